"""Background work of the KPI app (Django's Tasks API)."""

from django_tasks import task


@task()
def refresh_after_import(dossier_ids: list[int]) -> int:
    """The rollups of the dossiers of an import, when it is run in the background."""
    from .services import after_import

    return after_import(dossier_ids)
