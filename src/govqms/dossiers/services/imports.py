"""Every write of dossier evidence: the three ways in of the import pipeline.

    import_file(actor, unit, file, fmt="csv"|"xlsx"|"xes", profile=...)   # now
    batch = start_file_import(actor, unit, uploaded, fmt=..., profile=...)  # stored,
        # run in the request when small, else enqueued (tasks.run_import)
    batch, first_time = import_api_batch(actor, unit, payload, idempotency_key)

Each checks the permission `dossiers.import_dossiers` (actor None: the system),
creates an `ImportBatch`, runs `imports.pipeline.run_batch` (validate and apply in
one transaction, classify, one audit entry per batch)."""

from __future__ import annotations

import hashlib
import os

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile, File
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ..imports import csv_xlsx, xes
from ..imports.pipeline import BatchResult, Record, run_batch
from ..models import BatchStatus, ImportBatch, ImportProfile, ImportSource

# Files up to this size are imported during the request; larger ones by a worker.
INLINE_BYTES = int(getattr(settings, "GOVQMS_DOSSIER_INLINE_BYTES", 2 * 1024 * 1024))
MAX_API_DOSSIERS = 20000


def may_import(user, unit) -> bool:
    return bool(user and user.has_perm("dossiers.import_dossiers", unit))


def _check(actor, unit):
    if actor is not None and not may_import(actor, unit):
        raise PermissionDenied(_("You may not import dossiers for this agency."))


def _sha256(stream) -> str:
    digest = hashlib.sha256()
    stream.seek(0)
    for block in iter(lambda: stream.read(1 << 20), b""):
        digest.update(block)
    stream.seek(0)
    return digest.hexdigest()


def _records(stream, fmt: str, profile: ImportProfile | None):
    if fmt == ImportSource.XES:
        return xes.read(stream), None, None
    if profile is None:
        raise ValidationError(_("Choose an import profile for a CSV or XLSX file."))
    labels = {name: header for name, header in profile.mapping.items()}
    return csv_xlsx.read(stream, profile.mapping, fmt), profile.value_maps, labels


def _run(batch, stream, fmt, profile, actor, progress=None, now=None) -> BatchResult:
    try:
        records, value_maps, labels = _records(stream, fmt, profile)
    except ValidationError:
        batch.status = BatchStatus.FAILED
        batch.save(update_fields=["status"])
        raise
    return run_batch(
        batch,
        records,
        actor=actor,
        value_maps=value_maps,
        labels=labels,
        progress=progress,
        now=now,
        stream=stream,
        sequential=fmt != ImportSource.XLSX,
    )


def import_file(
    actor,
    unit,
    path_or_file,
    *,
    fmt: str,
    profile: ImportProfile | None = None,
    lenient: bool = False,
    filename: str | None = None,
    progress=None,
    now=None,
) -> BatchResult:
    """Import a CSV, XLSX or XES file (a path or a binary file object) now."""
    _check(actor, unit)
    close = False
    if isinstance(path_or_file, str | os.PathLike):
        stream = open(path_or_file, "rb")  # noqa: SIM115 - closed below
        close = True
        filename = filename or os.path.basename(os.fspath(path_or_file))
    else:
        stream = path_or_file
        filename = filename or os.path.basename(getattr(path_or_file, "name", "") or "")
    try:
        batch = ImportBatch.objects.create(
            source=fmt,
            filename=filename[:255],
            file_sha256=_sha256(stream),
            unit=unit,
            profile=profile,
            lenient=lenient,
            created_by=actor,
        )
        return _run(batch, stream, fmt, profile, actor, progress, now)
    finally:
        if close:
            stream.close()


def start_file_import(
    actor, unit, uploaded, *, fmt: str, profile: ImportProfile | None = None, lenient=False
) -> ImportBatch:
    """Store an uploaded file as a batch, then import it: in the request when it is
    small, else by the background task (the page polls the batch's progress)."""
    _check(actor, unit)
    if fmt != ImportSource.XES and profile is None:
        raise ValidationError(_("Choose an import profile for a CSV or XLSX file."))
    name = os.path.basename(getattr(uploaded, "name", "") or "import")[:200]
    batch = ImportBatch(
        source=fmt,
        filename=name,
        file_sha256=_sha256(uploaded),
        unit=unit,
        profile=profile,
        lenient=lenient,
        created_by=actor,
    )
    batch.file.save(f"{batch.file_sha256[:16]}.{fmt}", File(uploaded), save=False)
    batch.save()
    if (getattr(uploaded, "size", None) or 0) <= INLINE_BYTES:
        run_stored_batch(batch.pk)
    else:
        from ..tasks import run_import

        transaction.on_commit(lambda: run_import.enqueue(batch.pk))
    batch.refresh_from_db()
    return batch


def run_stored_batch(batch_id: int) -> BatchResult:
    batch = ImportBatch.objects.select_related("unit", "profile", "created_by").get(pk=batch_id)
    with batch.file.open("rb") as stream:
        return _run(batch, stream, batch.source, batch.profile, batch.created_by)


def _api_records(payload: dict):
    dossiers = payload.get("dossiers") if isinstance(payload, dict) else None
    if not isinstance(dossiers, list):
        raise ValidationError(_("The body must have a list “dossiers”."))
    if len(dossiers) > MAX_API_DOSSIERS:
        raise ValidationError(
            _("At most %(n)d dossiers per batch: split it.") % {"n": MAX_API_DOSSIERS}
        )
    return _api_items(dossiers)


def _api_items(dossiers):
    for number, item in enumerate(dossiers, start=1):
        if not isinstance(item, dict):
            yield Record(number, {})
            continue
        fields = {
            k: item.get(k)
            for k in (
                "code",
                "procedure_code",
                "channel",
                "received_at",
                "due_at",
                "resolved_at",
                "delivered_at",
                "status",
                "division",
                "unit_code",
            )
        }
        events = []
        for ev in item.get("events") or []:
            if isinstance(ev, dict):
                events.append(
                    {
                        "kind": ev.get("kind"),
                        "at": ev.get("at"),
                        "step": ev.get("step"),
                        "actor": ev.get("actor"),
                        "event_division": ev.get("division"),
                        "new_due_at": ev.get("new_due_at"),
                    }
                )
        yield Record(number, fields, events)


def import_api_batch(actor, unit, payload: dict, idempotency_key: str, *, now=None):
    """A batch pushed by a one-stop system. The same Idempotency-Key again returns
    the first batch and changes nothing. Returns (batch, result or None if replayed)."""
    _check(actor, unit)
    records = _api_records(payload)
    key = (idempotency_key or "").strip()
    if not key or len(key) > 150:
        raise ValidationError(_("An Idempotency-Key header (1 to 150 characters) is required."))
    scoped = f"{unit.pk}:{key}"
    existing = ImportBatch.objects.filter(idempotency_key=scoped).first()
    if existing is not None:
        return existing, None
    import json

    body = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str).encode()
    try:
        with transaction.atomic():
            batch = ImportBatch.objects.create(
                source=ImportSource.API,
                filename=_("API batch %(key)s") % {"key": key[:60]},
                file_sha256=hashlib.sha256(body).hexdigest(),
                idempotency_key=scoped,
                unit=unit,
                lenient=bool(payload.get("lenient")),
                created_by=actor,
            )
    except IntegrityError:
        return ImportBatch.objects.get(idempotency_key=scoped), None
    batch.file.save(f"{batch.file_sha256[:16]}.json", ContentFile(body), save=True)
    result = run_batch(batch, records, actor=actor, now=now)
    return batch, result
