"""Every write of the TTHC catalogue and of its assignment to agencies.

Each function checks the actor's permission (`actor` None is the system), runs in a
transaction and writes an audit entry. Catalogue changes also write a
`ProcedureRevision` (what changed, the announcing decision).

The 5-working-day rule (Circular 26/2014/TT-BKHCN): when a TTHC gets a new
announcement date (created with one, or changed to another), every agency it is
assigned to must update its ISO list within 5 working days of that date: the
assignment's `list_update_due` is set through the calendar engine and its
`list_updated_on` cleared. An agency assigned a TTHC after its announcement gets
5 working days from the assignment date."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govqms.core import audit
from govqms.core.calendar import Calendar
from govqms.core.permissions import require
from govqms.documents.models import Document, DocumentKind
from govqms.organizations.models import Unit

from . import rules  # noqa: F401  (registers the permissions)
from .models import AdministrativeProcedure, Assignment, ProcedureRevision

CODE_RE = re.compile(r"^\d+(\.\d+)+$")
LIST_UPDATE_WORKING_DAYS = 5
# Fields a catalogue edit or an import may set.
EDITABLE_FIELDS = [f for f in AdministrativeProcedure.AUDIT_FIELDS]
COVERING_KINDS = (DocumentKind.OPERATIONAL_PROCEDURE, DocumentKind.INTERNAL_PROCESS)


def valid_code(code: str) -> bool:
    """A national TTHC code: digits, a dot, digits (1.001234, 2.000635)."""
    return bool(CODE_RE.match(code or ""))


def normalise_days(value) -> Decimal:
    """A time limit as stored (two decimals); accepts "0,5" with a decimal comma."""
    if isinstance(value, str):
        value = value.strip().replace(",", ".")
    try:
        days = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError(_("“%s” is not a number of working days.") % value) from None
    if days < 0 or not days.is_finite():
        raise ValidationError(_("The time limit must not be negative."))
    return days


# ---------------------------------------------------------------- the 5-working-day rule


class _Calendars:
    """Calendars by province, for one batch."""

    def __init__(self):
        self._by_scope = {}

    def get(self, unit: Unit) -> Calendar:
        scope = unit.province or ""
        if scope not in self._by_scope:
            self._by_scope[scope] = Calendar.for_scope(scope)
        return self._by_scope[scope]


def list_update_due(unit: Unit, start: dt.date, calendars: _Calendars | None = None) -> dt.date:
    """The day an agency's ISO list must be updated by: 5 working days after `start`
    (the announcement date), on the agency's province calendar."""
    calendar = (calendars or _Calendars()).get(unit)
    return calendar.next_working_day(start, LIST_UPDATE_WORKING_DAYS)


def _due_for(assignment: Assignment, announced_on: dt.date, calendars: _Calendars) -> dt.date:
    start = max(announced_on, assignment.assigned_on)
    return list_update_due(assignment.unit, start, calendars)


def _schedule_list_updates(procedure: AdministrativeProcedure, *, write_audit=True) -> int:
    """Set the list-update deadline on every open assignment of `procedure`."""
    if procedure.announced_on is None:
        return 0
    calendars = _Calendars()
    count = 0
    for assignment in procedure.assignments.filter(ended_on=None).select_related("unit"):
        due = _due_for(assignment, procedure.announced_on, calendars)
        if assignment.list_update_due == due and assignment.list_updated_on is None:
            continue
        before = audit.snapshot(assignment, ["list_update_due", "list_updated_on"])
        assignment.list_update_due = due
        assignment.list_updated_on = None
        assignment.save(update_fields=["list_update_due", "list_updated_on"])
        count += 1
        if write_audit:
            audit.record(
                actor=None,
                action="procedure_list_update_due",
                obj=assignment,
                unit=assignment.unit,
                changes=audit.diff(
                    before, audit.snapshot(assignment, ["list_update_due", "list_updated_on"])
                ),
                note=_("Announcement %(decision)s of %(date)s")
                % {
                    "decision": procedure.announced_by or "—",
                    "date": procedure.announced_on.strftime("%d/%m/%Y"),
                },
            )
    return count


# ---------------------------------------------------------------- catalogue


def _clean(values: dict) -> dict:
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    clean = dict(values)
    if "code" in clean:
        clean["code"] = str(clean["code"]).strip()
        if not valid_code(clean["code"]):
            raise ValidationError(
                {
                    "code": _("“%s” is not a TTHC code (digits.digits, e.g. 1.001234).")
                    % clean["code"]
                }
            )
    if "time_limit_days" in clean:
        clean["time_limit_days"] = normalise_days(clean["time_limit_days"])
    for name in ("name", "field", "fees", "legal_basis", "announced_by"):
        if name in clean:
            clean[name] = (clean[name] or "").strip()
    return clean


def _validate(procedure: AdministrativeProcedure) -> None:
    procedure.refresh_search_text()
    procedure.full_clean(exclude=["search_text"])


def create_procedure(actor, *, source: str = "", write_audit: bool = True, **values):
    """A new TTHC in the catalogue (DoST administrators)."""
    require(actor, "procedures.manage_catalogue")
    values = _clean(values)
    with transaction.atomic():
        procedure = AdministrativeProcedure(**values)
        _validate(procedure)
        procedure.save()
        after = audit.snapshot(procedure, EDITABLE_FIELDS)
        changes = audit.diff(None, {k: v for k, v in after.items() if v not in (None, "")})
        ProcedureRevision.objects.create(
            procedure=procedure,
            announced_by=procedure.announced_by,
            announced_on=procedure.announced_on,
            changes=changes,
            source=source[:300],
            changed_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        if write_audit:
            audit.record(
                actor=actor, action="procedure_create", obj=procedure, changes=changes, note=source
            )
    return procedure


def update_procedure(actor, procedure, *, source: str = "", write_audit: bool = True, **values):
    """Change a TTHC. Returns the new revision, or None if nothing changed. A new
    announcement date restarts the 5-working-day deadline of every agency concerned."""
    require(actor, "procedures.manage_catalogue")
    values = _clean(values)
    with transaction.atomic():
        procedure = AdministrativeProcedure.objects.select_for_update().get(pk=procedure.pk)
        before = audit.snapshot(procedure, EDITABLE_FIELDS)
        for name, value in values.items():
            setattr(procedure, name, value)
        after = audit.snapshot(procedure, EDITABLE_FIELDS)
        changes = audit.diff(before, after)
        if not changes:
            return None
        _validate(procedure)
        procedure.save()
        revision = ProcedureRevision.objects.create(
            procedure=procedure,
            announced_by=procedure.announced_by,
            announced_on=procedure.announced_on,
            changes=changes,
            source=source[:300],
            changed_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        if write_audit:
            audit.record(
                actor=actor, action="procedure_update", obj=procedure, changes=changes, note=source
            )
        if "announced_on" in changes:
            _schedule_list_updates(procedure, write_audit=write_audit)
    return revision


# ---------------------------------------------------------------- assignments


def assign(actor, procedure, units, *, assigned_on: dt.date | None = None) -> list[Assignment]:
    """Assign a TTHC to agencies (DoST administrators above each of them). Agencies
    that already carry it are left as they are. Returns the new assignments."""
    units = list(units)
    for unit in units:
        require(actor, "procedures.assign", unit)
    assigned_on = assigned_on or timezone.localdate()
    calendars = _Calendars()
    created = []
    with transaction.atomic():
        already = set(
            Assignment.objects.filter(
                procedure=procedure, unit__in=units, ended_on=None
            ).values_list("unit_id", flat=True)
        )
        for unit in units:
            if unit.pk in already:
                continue
            if not unit.is_active:
                raise ValidationError(_("%s has ended: it cannot be assigned procedures.") % unit)
            already.add(unit.pk)
            assignment = Assignment(procedure=procedure, unit=unit, assigned_on=assigned_on)
            if procedure.announced_on:
                assignment.list_update_due = _due_for(assignment, procedure.announced_on, calendars)
            assignment.save()
            created.append(assignment)
            audit.record(
                actor=actor,
                action="procedure_assign",
                obj=assignment,
                unit=unit,
                changes=audit.diff(None, audit.snapshot(assignment, Assignment.AUDIT_FIELDS)),
            )
    return created


def end_assignment(actor, assignment, *, ended_on: dt.date | None = None) -> Assignment:
    """The agency no longer carries this TTHC."""
    require(actor, "procedures.assign", assignment.unit)
    with transaction.atomic():
        before = audit.snapshot(assignment, Assignment.AUDIT_FIELDS)
        assignment.ended_on = ended_on or timezone.localdate()
        assignment.save(update_fields=["ended_on"])
        audit.record(
            actor=actor,
            action="procedure_unassign",
            obj=assignment,
            unit=assignment.unit,
            changes=audit.diff(before, audit.snapshot(assignment, Assignment.AUDIT_FIELDS)),
        )
    return assignment


def set_scope(actor, assignment, *, in_scope: bool, document: Document | None) -> Assignment:
    """The agency's ISO secretary or head: is this TTHC inside the QMS, and which of
    its own operational procedures (or internal processes) covers it."""
    require(actor, "procedures.manage_scope", assignment.unit)
    if assignment.ended_on is not None:
        raise ValidationError(_("This assignment has ended."))
    if document is not None:
        if document.unit_id != assignment.unit_id:
            raise ValidationError(_("Choose one of the agency's own procedures."))
        if document.kind not in COVERING_KINDS:
            raise ValidationError(_("Choose an operational procedure or an internal process."))
    with transaction.atomic():
        before = audit.snapshot(assignment, Assignment.AUDIT_FIELDS)
        assignment.in_scope = in_scope
        assignment.document = document
        after = audit.snapshot(assignment, Assignment.AUDIT_FIELDS)
        changes = audit.diff(before, after)
        if changes:
            assignment.save(update_fields=["in_scope", "document"])
            audit.record(
                actor=actor,
                action="procedure_scope",
                obj=assignment,
                unit=assignment.unit,
                changes=changes,
            )
    return assignment


def mark_list_updated(actor, unit: Unit, *, on: dt.date | None = None) -> int:
    """The agency has updated its ISO list: every pending list update is done."""
    require(actor, "procedures.manage_scope", unit)
    on = on or timezone.localdate()
    with transaction.atomic():
        pending = Assignment.objects.filter(
            unit=unit, ended_on=None, list_update_due__isnull=False, list_updated_on=None
        )
        codes = list(pending.values_list("procedure__code", flat=True))
        if not codes:
            return 0
        count = pending.update(list_updated_on=on)
        audit.record(
            actor=actor,
            action="procedure_list_updated",
            unit=unit,
            object_type="organizations.unit",
            object_id=str(unit.pk),
            object_repr=str(unit),
            changes={"procedures": sorted(codes), "list_updated_on": on.isoformat()},
        )
    return count
