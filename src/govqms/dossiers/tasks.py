"""Background work of the dossiers app (Django's Tasks API, database backend)."""

from django_tasks import task


@task()
def run_import(batch_id: int) -> dict:
    """Run a stored file's import (large uploads): progress goes to the batch row."""
    from .services.imports import run_stored_batch

    result = run_stored_batch(batch_id)
    return {"ok": result.ok, "errors": result.error_count, **result.batch.counts()}
