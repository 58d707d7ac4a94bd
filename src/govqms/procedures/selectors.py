"""Every read of the TTHC catalogue, the agencies' assignments and their internal
processes, filtered to what the user may see.

- The catalogue is public data: anyone signed in reads it.
- An agency's assignments, coverage and processes are internal records: callers
  obtain the unit through `organizations.selectors.get_internal_unit` (404 for other
  agencies, overseers' reads logged), or call `get_assignment`.
- The public functions (`public_*`) return only what a citizen may see: in-scope
  TTHC of active agencies in the DoST's remit and the EFFECTIVE version of the
  procedure covering each, never drafts, people or records."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from govqms.core.text import search_terms
from govqms.documents.models import Document, DocumentKind, DocumentVersion, VersionStatus
from govqms.organizations import selectors as org
from govqms.organizations.models import Unit

from .models import AdministrativeProcedure, Assignment

HOURS_PER_DAY = Decimal(8)

# ---------------------------------------------------------------- catalogue


def catalogue(
    user,
    *,
    query: str | None = None,
    field: str | None = None,
    level: str | None = None,
    online_level: str | None = None,
    include_abolished: bool = False,
) -> QuerySet[AdministrativeProcedure]:
    if not getattr(user, "is_authenticated", False):
        return AdministrativeProcedure.objects.none()
    qs = AdministrativeProcedure.objects.all()
    for term in search_terms(query):
        qs = qs.filter(search_text__contains=term)
    if field:
        qs = qs.filter(field=field)
    if level:
        qs = qs.filter(level=level)
    if online_level:
        qs = qs.filter(online_level=online_level)
    if not include_abolished:
        qs = qs.filter(Q(abolished_on=None) | Q(abolished_on__gt=timezone.localdate()))
    return qs.order_by("code")


def catalogue_fields() -> list[str]:
    return list(
        AdministrativeProcedure.objects.exclude(field="")
        .order_by("field")
        .values_list("field", flat=True)
        .distinct()
    )


def get_procedure(user, pk) -> AdministrativeProcedure:
    if not getattr(user, "is_authenticated", False):
        raise Http404("No such procedure.")
    try:
        return AdministrativeProcedure.objects.get(pk=pk)
    except (AdministrativeProcedure.DoesNotExist, ValueError, TypeError):
        raise Http404("No such procedure.") from None


def revisions(procedure: AdministrativeProcedure):
    return procedure.revisions.select_related("changed_by").order_by("-changed_at", "-pk")


def procedure_assignments(user, procedure) -> QuerySet[Assignment]:
    """The agencies carrying a TTHC that this user may see: an overseer's subtree,
    an agency member's own agencies."""
    units = org.visible_units(user)
    return (
        procedure.assignments.filter(ended_on=None, unit__in=units)
        .select_related("unit", "document")
        .order_by("unit__path")
    )


def assignable_units(user, *, kind: str | None = None, parent=None) -> QuerySet[Unit]:
    """Active agencies a DoST administrator may assign TTHC to."""
    roots = org.admin_roots(user)
    q = Q(pk__in=[])
    for root in roots:
        q |= Q(path__startswith=root.path)
    qs = Unit.objects.active_on().filter(q)
    if kind:
        qs = qs.filter(kind=kind)
    if parent:
        qs = qs.filter(parent_id=parent)
    return qs.order_by("path")


# ---------------------------------------------------------------- steps


@dataclass
class StepCheck:
    """The step table of a process against the legal time limit."""

    total_hours: Decimal
    limit_hours: Decimal
    count: int

    @property
    def difference(self) -> Decimal:
        return self.total_hours - self.limit_hours

    @property
    def ok(self) -> bool:
        return self.count > 0 and self.difference == 0

    @property
    def message(self) -> str:
        if self.count == 0:
            return _("The procedure has no steps.")
        if self.difference == 0:
            return ""
        values = {
            "total": _hours(self.total_hours),
            "limit": _hours(self.limit_hours),
            "diff": _hours(abs(self.difference)),
        }
        if self.difference < 0:
            return (
                _(
                    "The steps add up to %(total)s hours, %(diff)s hours short of the legal "
                    "limit of %(limit)s hours."
                )
                % values
            )
        return (
            _(
                "The steps add up to %(total)s hours, %(diff)s hours over the legal "
                "limit of %(limit)s hours."
            )
            % values
        )


def _hours(value: Decimal) -> str:
    """Hours as the reader writes numbers: "8,5" in Vietnamese, "8.5" in English."""
    from django.utils.formats import number_format

    return number_format(value.normalize())


def step_hours(step: dict) -> Decimal:
    try:
        return Decimal(str(step.get("hours") or 0))
    except ArithmeticError:
        return Decimal(0)


def check_steps(steps: list[dict], time_limit_days) -> StepCheck:
    """Do the steps add up to the legal limit (days x 8 working hours)?"""
    total = sum((step_hours(s) for s in steps or []), Decimal(0))
    return StepCheck(
        total_hours=total,
        limit_hours=Decimal(str(time_limit_days)) * HOURS_PER_DAY,
        count=len(steps or []),
    )


# ---------------------------------------------------------------- an agency's TTHC


def _effective_exists():
    return Exists(
        DocumentVersion.objects.filter(
            document_id=OuterRef("document_id"), status=VersionStatus.EFFECTIVE
        )
    )


def agency_assignments(user, unit: Unit) -> QuerySet[Assignment]:
    """The open assignments of an agency (callers obtain `unit` through
    `get_internal_unit`)."""
    if not org.can_view_internal(user, unit):
        return Assignment.objects.none()
    return (
        Assignment.objects.filter(unit=unit, ended_on=None)
        .select_related("procedure", "document")
        .order_by("procedure__code")
    )


def _effective_versions(document_ids) -> dict[int, DocumentVersion]:
    return {
        v.document_id: v
        for v in DocumentVersion.objects.filter(
            document_id__in=[d for d in document_ids if d], status=VersionStatus.EFFECTIVE
        )
    }


@dataclass
class AssignmentRow:
    assignment: Assignment
    version: DocumentVersion | None
    check: StepCheck | None

    @property
    def procedure(self):
        return self.assignment.procedure

    @property
    def covered(self) -> bool:
        return self.version is not None

    @property
    def list_overdue(self) -> bool:
        a = self.assignment
        if not a.list_update_due or a.list_updated_on is not None:
            return False
        return a.list_update_due < timezone.localdate()


def assignment_rows(assignments) -> list[AssignmentRow]:
    """Each assignment with the effective version of its procedure and its step check
    (two queries)."""
    assignments = list(assignments)
    versions = _effective_versions([a.document_id for a in assignments])
    rows = []
    for a in assignments:
        version = versions.get(a.document_id)
        check = (
            check_steps(version.content.get("steps") or [], a.procedure.time_limit_days)
            if version is not None
            else None
        )
        rows.append(AssignmentRow(a, version, check))
    return rows


@dataclass
class Coverage:
    assigned: int
    covered: int
    in_scope: int = 0

    @property
    def share(self) -> float | None:
        return self.covered / self.assigned if self.assigned else None

    @property
    def percent(self) -> int | None:
        return None if self.share is None else round(self.share * 100)


def coverage(unit: Unit) -> Coverage:
    """The share of an agency's assigned TTHC that have an effective operational
    procedure (callers have checked the user may see inside `unit`)."""
    qs = Assignment.objects.filter(unit=unit, ended_on=None).annotate(effective=_effective_exists())
    data = qs.aggregate(
        assigned=Count("pk"),
        covered=Count("pk", filter=Q(effective=True)),
        in_scope=Count("pk", filter=Q(in_scope=True)),
    )
    return Coverage(**data)


def coverage_by_agency(user, *, order: str = "coverage") -> list[dict]:
    """The DoST: coverage of every active agency in its remit, lowest first (agencies
    with no TTHC assigned last). `order`: coverage, -coverage, name, assigned."""
    units = org.supervised_units(user, in_remit=True).order_by()
    figures = {
        row["unit"]: row
        for row in Assignment.objects.filter(ended_on=None, unit__in=units.values("pk"))
        .annotate(effective=_effective_exists())
        .values("unit")
        .annotate(
            assigned=Count("pk"),
            covered=Count("pk", filter=Q(effective=True)),
            in_scope=Count("pk", filter=Q(in_scope=True)),
            overdue=Count(
                "pk",
                filter=Q(list_update_due__lt=timezone.localdate(), list_updated_on=None),
            ),
        )
    }
    rows = []
    for unit in units.select_related(None).only("pk", "name", "code", "kind", "path"):
        f = figures.get(unit.pk, {})
        c = Coverage(f.get("assigned", 0), f.get("covered", 0), f.get("in_scope", 0))
        rows.append({"unit": unit, "coverage": c, "overdue": f.get("overdue", 0)})

    def by_coverage(row):
        share = row["coverage"].share
        return (share is None, share if share is not None else 0, row["unit"].name)

    if order == "-coverage":
        rows.sort(
            key=lambda r: (r["coverage"].share is None, -(r["coverage"].share or 0), r["unit"].name)
        )
    elif order == "name":
        rows.sort(key=lambda r: r["unit"].name)
    elif order == "assigned":
        rows.sort(key=lambda r: (-r["coverage"].assigned, r["unit"].name))
    else:
        rows.sort(key=by_coverage)
    return rows


def get_assignment(user, pk, *, what: str = "administrative procedure") -> Assignment:
    try:
        assignment = (
            Assignment.objects.filter(unit__in=org.visible_units(user))
            .select_related("procedure", "unit", "document")
            .get(pk=pk)
        )
    except (Assignment.DoesNotExist, ValueError, TypeError):
        raise Http404("No such assignment.") from None
    if not org.can_view_internal(user, assignment.unit):
        raise Http404("No such assignment.")
    if not org.is_member_of(user, assignment.unit):
        org.log_oversight_read(user, assignment.unit, f"{what}: {assignment.procedure.code}")
    return assignment


def covering_documents(user, unit: Unit) -> QuerySet[Document]:
    """The agency's own procedures that may cover a TTHC."""
    if not org.can_view_internal(user, unit):
        return Document.objects.none()
    return Document.objects.filter(
        unit=unit,
        kind__in=[DocumentKind.OPERATIONAL_PROCEDURE, DocumentKind.INTERNAL_PROCESS],
    ).order_by("code")


def effective_version(document: Document | None) -> DocumentVersion | None:
    if document is None:
        return None
    return document.versions.filter(status=VersionStatus.EFFECTIVE).first()


# ---------------------------------------------------------------- the 5-working-day list update


def overdue_list_updates(user, unit: Unit, *, today: dt.date | None = None) -> QuerySet[Assignment]:
    if not org.can_view_internal(user, unit):
        return Assignment.objects.none()
    today = today or timezone.localdate()
    return (
        Assignment.objects.filter(
            unit=unit, ended_on=None, list_updated_on=None, list_update_due__lt=today
        )
        .select_related("procedure")
        .order_by("list_update_due", "procedure__code")
    )


def pending_list_updates(user, unit: Unit) -> QuerySet[Assignment]:
    if not org.can_view_internal(user, unit):
        return Assignment.objects.none()
    return (
        Assignment.objects.filter(
            unit=unit, ended_on=None, list_updated_on=None, list_update_due__isnull=False
        )
        .select_related("procedure")
        .order_by("list_update_due", "procedure__code")
    )


def overdue_list_updates_by_agency(user, *, today: dt.date | None = None, limit: int = 10) -> dict:
    """The DoST home: agencies of the subtree with overdue ISO list updates."""
    today = today or timezone.localdate()
    roots = org.oversight_roots(user)
    if not roots:
        return {"rows": [], "total": 0, "agencies": 0, "today": today}
    subtree = Q(pk__in=[])
    for root in roots:
        subtree |= Q(path__startswith=root.path)
    overdue = Assignment.objects.filter(
        ended_on=None,
        list_updated_on=None,
        list_update_due__lt=today,
        unit__in=Unit.objects.filter(subtree),
    )
    per_agency = (
        overdue.values("unit", "unit__name").annotate(n=Count("pk")).order_by("-n", "unit__name")
    )
    rows = [
        {"unit_id": r["unit"], "name": r["unit__name"], "n": r["n"]} for r in per_agency[:limit]
    ]
    return {"rows": rows, "total": overdue.count(), "agencies": per_agency.count(), "today": today}


# ---------------------------------------------------------------- public pages


def public_agencies(query: str | None = None) -> QuerySet[Unit]:
    """Agencies whose published procedures a citizen may browse."""
    from govqms.portal.selectors import public_agencies as agencies

    return agencies(query)


def get_public_agency(pk) -> Unit:
    try:
        return public_agencies().get(pk=pk)
    except (Unit.DoesNotExist, ValueError, TypeError):
        raise Http404("No such agency.") from None


def public_procedures(unit: Unit) -> list[AssignmentRow]:
    """An agency's in-scope TTHC, each with the effective version of its procedure."""
    assignments = (
        Assignment.objects.filter(unit=unit, ended_on=None, in_scope=True)
        .select_related("procedure", "document")
        .order_by("procedure__code")
    )
    return assignment_rows(assignments)


# What of a procedure's content citizens see (never records, people or the audit trail).
PUBLIC_CONTENT_KEYS = (
    "legal_basis",
    "conditions",
    "dossier_components",
    "processing_time",
    "where",
    "fees",
    "steps",
    "forms",
)


def public_content(version: DocumentVersion) -> dict:
    content = version.content or {}
    public = {key: content.get(key) for key in PUBLIC_CONTENT_KEYS}
    public["steps"] = [
        {k: s.get(k) for k in ("step", "name", "responsible", "hours", "form")}
        for s in content.get("steps") or []
    ]
    return public


def get_public_procedure(unit: Unit, pk) -> AssignmentRow:
    """A published procedure: 404 unless the TTHC is in scope and its procedure has an
    effective version."""
    try:
        assignment = (
            Assignment.objects.filter(unit=unit, ended_on=None, in_scope=True)
            .select_related("procedure", "document")
            .get(pk=pk)
        )
    except (Assignment.DoesNotExist, ValueError, TypeError):
        raise Http404("No such procedure.") from None
    (row,) = assignment_rows([assignment])
    if row.version is None:
        raise Http404("No published procedure.")
    return row
