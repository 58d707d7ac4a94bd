"""Every write of the oversight app: permission check, transaction, audit entry."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govqms.core import audit, files
from govqms.documents.services.attachments import PDF, check_file, display_name
from govqms.organizations.models import Unit

from . import selectors
from .models import ConformityAnnouncement


def check_signed_file(fileobj, name: str) -> None:
    """The signed decision must be a PDF (decided by its content) within the size limit."""
    kind = check_file(fileobj, name)  # size limit, content type, name vs content
    if kind != PDF:
        raise ValidationError(
            _("“%(name)s” was refused: the signed decision must be a PDF file.")
            % {"name": display_name(name)},
            code="refused",
        )


def record_announcement(
    actor,
    unit: Unit,
    *,
    decision_number: str,
    decision_date,
    scope: str = "",
    procedures=(),
    procedure_count: int | None = None,
    signed_file=None,
    posted_at_office: bool = False,
    posted_url: str = "",
) -> ConformityAnnouncement:
    """Record an agency's conformity announcement (its head or ISO secretary)."""
    if not selectors.can_manage_announcements(actor, unit):
        raise PermissionDenied
    decision_number = (decision_number or "").strip()
    errors = {}
    if not decision_number:
        errors["decision_number"] = _("Enter the decision number.")
    if decision_date is None:
        errors["decision_date"] = _("Enter the decision date.")
    elif decision_date > timezone.localdate():
        errors["decision_date"] = _("The decision date cannot be in the future.")
    allowed = set(selectors.scope_procedures(actor, unit).values_list("pk", flat=True))
    procedure_ids = [p.pk if hasattr(p, "pk") else int(p) for p in procedures or ()]
    if set(procedure_ids) - allowed:
        errors["procedures"] = _(
            "Only administrative procedures of this agency's scope may be listed."
        )
    if procedure_count is not None and procedure_count < 0:
        errors["procedure_count"] = _("Enter a number of zero or more.")
    if signed_file is not None:
        try:
            check_signed_file(signed_file, getattr(signed_file, "name", ""))
        except ValidationError as exc:
            errors["signed_file"] = exc.messages
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        ann = ConformityAnnouncement(
            unit=unit,
            decision_number=decision_number[:100],
            decision_date=decision_date,
            scope=scope or "",
            procedure_count=procedure_count if procedure_count is not None else None,
            posted_at_office=bool(posted_at_office),
            posted_url=posted_url or "",
            recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        if signed_file is not None:
            ann.file_name = display_name(getattr(signed_file, "name", ""))
            ann.file_size = getattr(signed_file, "size", None)
            ann.file_sha256 = files.sha256(signed_file)
            files.store(ann.signed_file, signed_file, PDF)
        ann.refresh_search_text()
        ann.save()
        if procedure_ids:
            ann.procedures.set(procedure_ids)
            if ann.procedure_count is None:
                ann.procedure_count = len(procedure_ids)
                ann.save(update_fields=["procedure_count"])
        audit.record(
            actor=actor,
            action="announcement_recorded",
            obj=ann,
            unit=unit,
            changes={
                f: [None, getattr(ann, f)]
                for f in ConformityAnnouncement.AUDIT_FIELDS
                if f != "unit"
            }
            | {"procedures": [None, sorted(procedure_ids)]},
        )
    return ann
