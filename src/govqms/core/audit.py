"""Writing and verifying the audit trail. Services call `record`; nothing else
writes `AuditEntry`."""

import datetime as dt
import json
import re
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.db import connection, models, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import AuditChainHead, AuditEntry
from .replay import user_or_system

GENESIS = "0" * 64


def _jsonable(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def snapshot(instance: models.Model, fields: list[str]) -> dict:
    """The values of `fields` of `instance`, as JSON (foreign keys by id)."""
    data = {}
    for name in fields:
        field = instance._meta.get_field(name)
        value = getattr(instance, field.attname)
        data[name] = _jsonable(value)
    return data


def diff(before: dict | None, after: dict | None) -> dict:
    """{field: [before, after]} for the fields that differ."""
    before, after = before or {}, after or {}
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    unit=None,
    changes: dict | None = None,
    note: str = "",
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
) -> AuditEntry:
    """Append one entry to the chain (inside the caller's transaction)."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:300]
    actor_obj = user_or_system(actor)
    with transaction.atomic():
        # The head row's lock makes concurrent writers append one after the other.
        head, created = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        last_seq, last_hash = head.last_seq, head.last_hash
        moved_at_commit = connection.vendor == "postgresql"
        if moved_at_commit and created and AuditEntry.objects.exists():
            # The head row was deleted: following the entries left would hide what
            # was deleted with it.
            raise RuntimeError("The audit chain head is missing: run verify-audit-trail.")
        if moved_at_commit:
            # The head moves at commit (migration core 0006): entries this
            # transaction has written already are beyond it. (Committed ones never
            # are, so entries deleted at the end still leave a gap after the head.)
            tail = AuditEntry.objects.order_by("-seq").values_list("seq", "hash").first()
            if tail is not None and tail[0] > last_seq:
                last_seq, last_hash = tail
        entry = AuditEntry(
            seq=last_seq + 1,
            at=timezone.now(),
            actor=actor_obj,
            actor_label=actor_obj.get_username() if actor_obj else "system",
            unit=unit,
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            object_repr=object_repr[:300],
            changes=json.loads(json.dumps(_jsonable(changes or {}), ensure_ascii=False)),
            note=note,
            prev_hash=last_hash,
        )
        entry.hash = entry.compute_hash()
        entry.save()
        if not moved_at_commit:
            AuditChainHead.objects.filter(pk=1).update(last_seq=entry.seq, last_hash=entry.hash)
    return entry


@dataclass
class ChainProblem:
    seq: int | None
    entry_id: int | None
    message: str


def chain_head() -> AuditChainHead | None:
    """The head as it will be at commit: on PostgreSQL the deferred trigger that moves
    it is run now for the entries of this transaction (none pending: no change)."""
    if connection.vendor != "postgresql" or connection.get_autocommit():
        return AuditChainHead.objects.filter(pk=1).first()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS govqms_audit_head_at_commit IMMEDIATE")
        cursor.execute("SET CONSTRAINTS govqms_audit_head_at_commit DEFERRED")
    return AuditChainHead.objects.filter(pk=1).first()


def verify_chain(chunk_size: int = 2000) -> tuple[int, ChainProblem | None]:
    """Walk the chain in order; return (entries checked, first problem or None).
    On PostgreSQL, outside a transaction, the walk and the head are read from one
    snapshot: an entry appended meanwhile is not taken for a deletion."""
    if connection.vendor == "postgresql" and connection.get_autocommit():
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            return _walk_chain(chunk_size)
    return _walk_chain(chunk_size)


def _walk_chain(chunk_size: int) -> tuple[int, ChainProblem | None]:
    expected_prev, expected_seq, checked = GENESIS, 1, 0
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=chunk_size):
        if entry.seq != expected_seq:
            return checked, ChainProblem(
                entry.seq,
                entry.pk,
                f"entry #{entry.seq} (id {entry.pk}) follows #{expected_seq - 1}: "
                f"entries #{expected_seq}..#{entry.seq - 1} are missing (deleted)",
            )
        if entry.prev_hash != expected_prev:
            return checked, ChainProblem(
                entry.seq,
                entry.pk,
                f"entry #{entry.seq} (id {entry.pk}) does not link to the entry before it "
                "(inserted, or the one before was altered)",
            )
        if entry.compute_hash() != entry.hash:
            return checked, ChainProblem(
                entry.seq,
                entry.pk,
                f"entry #{entry.seq} (id {entry.pk}) was altered: its content "
                "no longer matches its hash",
            )
        expected_prev, expected_seq, checked = entry.hash, entry.seq + 1, checked + 1
    head = chain_head()
    if head and (head.last_seq != expected_seq - 1 or head.last_hash != expected_prev):
        return checked, ChainProblem(
            head.last_seq,
            None,
            f"the chain ends at #{expected_seq - 1} but the last recorded entry is "
            f"#{head.last_seq}: entries at the end were deleted or altered",
        )
    return checked, None


# What each action code means, for the audit pages (codes without a label show as is).
ACTION_LABELS = {
    "create": _("Created"),
    "update": _("Changed"),
    "oversight_read": _("Read by oversight"),
    "restructure_merge": _("Merge"),
    "restructure_split": _("Split"),
    "restructure_rename": _("Rename"),
    "restructure_move": _("Move"),
    "restructure_dissolve": _("Dissolve"),
    "version_create": _("New issue started"),
    "version_edit": _("Draft edited"),
    "version_draft": _("Returned to draft"),
    "version_in_review": _("Sent for review"),
    "version_approved": _("Approved"),
    "version_scheduled": _("Effective date set"),
    "version_effective": _("In force"),
    "version_superseded": _("Superseded"),
    "version_obsolete": pgettext_lazy("document version", "Withdrawn"),
    "read_tasks_assigned": _("Read tasks assigned"),
    "acknowledge": _("Read and confirmed"),
    "read_reminder": _("Reminder sent"),
    "read_reminder_request": _("Reminder requested"),
    "document_reviewed": _("Reviewed, no change needed"),
    "attachment_add": _("Attachment added"),
    "attachment_remove": _("Attachment removed"),
    "legal_status": _("Legal status changed"),
    "update_task_create": _("Legal update needed"),
    "update_task_done": _("Legal update done"),
    "framework_adopt": _("Template adopted"),
    "framework_merge": _("Template changes brought in"),
    "framework_update_notice": _("Template updated"),
    "framework_publish": _("Framework published"),
    "framework_version_create": _("Framework version started"),
    "procedure_create": _("TTHC created"),
    "procedure_update": _("TTHC changed"),
    "procedure_import": _("TTHC imported"),
    "procedure_assign": _("TTHC assigned"),
    "procedure_unassign": _("TTHC assignment ended"),
    "procedure_scope": _("ISO scope changed"),
    "procedure_list_updated": _("ISO list updated"),
    "procedure_list_update_due": _("ISO list update due"),
    "calendar_override_add": _("Working calendar changed"),
    "calendar_override_delete": _("Working calendar change removed"),
    "dossier_profile_create": _("Import profile created"),
    "dossier_profile_update": _("Import profile changed"),
    "dossier_profile_delete": _("Import profile deleted"),
}


def register_action_labels(labels: dict) -> None:
    """Let an app name its own audit actions (called from its AppConfig.ready())."""
    ACTION_LABELS.update(labels)


def action_label(code: str) -> str:
    return str(ACTION_LABELS.get(code, code))


# ---------------------------------------------------------------- display

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
_DECIMAL = re.compile(r"^-?\d+\.\d+$")


def _audited_model(object_type: str):
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _show(value, field) -> str:
    """One stored value (JSON) as people read it in the active language."""
    if value is None or value == "":
        return "—"
    choices = dict(field.flatchoices) if getattr(field, "choices", None) else {}
    if isinstance(value, str | int) and value in choices:
        return str(choices[value])
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, float):
        value = repr(value)
    if isinstance(value, str):
        if _ISO_DATE.match(value):
            return f"{value[8:10]}/{value[5:7]}/{value[:4]}"
        if _ISO_DATETIME.match(value):
            try:
                at = dt.datetime.fromisoformat(value)
            except ValueError:
                return value
            if timezone.is_aware(at):
                at = timezone.localtime(at)
            return at.strftime("%d/%m/%Y %H:%M")
        if _DECIMAL.match(value):
            trimmed = value.rstrip("0").rstrip(".")
            return formats.number_format(Decimal(trimmed), use_l10n=True)
        return value
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def audit_change_rows(entry) -> list[dict]:
    """[{"label", "before", "after"}] for an entry's {field: [before, after]} changes,
    with the field's verbose name when the audited model is known."""
    model = _audited_model(entry.object_type)
    rows = []
    for name, pair in (entry.changes or {}).items():
        field = None
        if model is not None:
            try:
                field = model._meta.get_field(name)
            except Exception:  # a field since removed, or a computed key
                field = None
            if field is not None and not field.concrete:  # a reverse relation's name
                field = None
        label = str(getattr(field, "verbose_name", "") or name.replace("_", " "))
        if isinstance(pair, list | tuple) and len(pair) == 2:
            before, after = pair
        else:
            before, after = None, pair
        rows.append(
            {
                "label": label[:1].upper() + label[1:],
                "before": _show(before, field) if before is not None else "",
                "after": _show(after, field),
            }
        )
    return rows
