"""Every read of the planning records, already restricted to the agency the caller
obtained through `organizations.selectors.get_internal_unit` (404 for outsiders,
oversight reads logged), plus the arithmetic of statuses, periods and risk levels.

The dossier KPIs behind LINKED objectives are read from the KPI daily rollups
(`kpis.models.DailyRollup`), never from the dossiers: reads only."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from govqms.core.text import search_terms
from govqms.documents.models import Document, DocumentKind, VersionStatus
from govqms.kpis.models import DailyRollup
from govqms.organizations import selectors as org
from govqms.organizations.models import Membership, Role, Unit
from govqms.procedures.models import AdministrativeProcedure

from .models import (
    SCHEDULE_MONTHS,
    Band,
    Direction,
    Kpi,
    Measurement,
    Objective,
    PlanItem,
    PlanStatus,
    PolicyLink,
    Risk,
    RiskBands,
    Status,
)

WRITERS = {Role.HEAD, Role.ISO_SECRETARY}
PROCESS_KINDS = (DocumentKind.SYSTEM_PROCEDURE, DocumentKind.OPERATIONAL_PROCEDURE)
DEFAULT_MEDIUM_FROM, DEFAULT_HIGH_FROM = 5, 12

# ---------------------------------------------------------------- who may write


def can_write(user, unit: Unit) -> bool:
    """Head and ISO secretary manage the agency's plan, objectives and risks."""
    return bool(org.roles_in(user, unit) & WRITERS)


def can_measure(user, unit: Unit) -> bool:
    return bool(org.roles_in(user, unit) & (WRITERS | {Role.PROCESS_OWNER}))


def can_add_risk(user, unit: Unit) -> bool:
    return can_measure(user, unit)


def can_edit_risk(user, risk: Risk) -> bool:
    """Writers: every risk; a process owner: the risks of the processes they own."""
    roles = org.roles_in(user, risk.unit)
    if roles & WRITERS:
        return True
    return (
        Role.PROCESS_OWNER in roles
        and risk.process_id is not None
        and risk.process.owner_id == user.pk
    )


# ---------------------------------------------------------------- arithmetic


def status_for(value, target, direction: str, tolerance) -> str:
    """On track when the target is met; at risk within `tolerance` of it; else off
    track. `direction` says whether higher or lower values are better."""
    value, target, tolerance = Decimal(value), Decimal(target), abs(Decimal(tolerance or 0))
    gap = value - target if direction == Direction.HIGHER else target - value
    if gap >= 0:
        return Status.ON_TRACK
    if -gap <= tolerance:
        return Status.AT_RISK
    return Status.OFF_TRACK


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def period_of(schedule: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """The measurement period (first and last day) of `schedule` containing `day`."""
    months = SCHEDULE_MONTHS.get(schedule, 3)
    first_month = (day.month - 1) // months * months + 1
    start = dt.date(day.year, first_month, 1)
    end = _add_months(start, months) - dt.timedelta(days=1)
    return start, end


def periods_of_year(schedule: str, year: int) -> list[tuple[dt.date, dt.date]]:
    out, day = [], dt.date(year, 1, 1)
    while day.year == year:
        start, end = period_of(schedule, day)
        out.append((start, end))
        day = end + dt.timedelta(days=1)
    return out


def _pct(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * Decimal(part) / Decimal(whole)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


def dossier_kpi(
    unit: Unit, kpi: str, procedure_ids: list[int] | None, start: dt.date, end: dt.date
) -> tuple[Decimal | None, dict]:
    """The value of a dossier KPI for an agency (and a set of TTHC; empty or None:
    all of them) over [start, end], from the daily rollups, with its basis.

    - on_time_rate: resolved early or on time / resolved, in the period (%).
    - overdue_share: open dossiers overdue at the end of the period / open ones (%)."""
    qs = DailyRollup.objects.filter(unit=unit).order_by()
    if procedure_ids:
        qs = qs.filter(procedure_id__in=procedure_ids)
    if kpi == Kpi.ON_TIME_RATE:
        sums = qs.filter(day__gte=start, day__lte=end).aggregate(
            resolved=Sum("resolved"), good=Sum(F("early") + F("on_time"))
        )
        resolved, good = sums["resolved"] or 0, sums["good"] or 0
        return _pct(good, resolved), {"on_time_or_early": good, "resolved": resolved}
    if kpi == Kpi.OVERDUE_SHARE:
        sums = qs.filter(day__lte=end).aggregate(
            open=Sum(F("received") - F("resolved")),
            overdue=Sum(F("overdue_in") - F("overdue_out")),
        )
        open_, overdue = max(0, sums["open"] or 0), max(0, sums["overdue"] or 0)
        return _pct(overdue, open_), {"overdue_open": overdue, "open": open_}
    return None, {}


# ---------------------------------------------------------------- policy and objectives


def years(unit: Unit, today: dt.date | None = None) -> list[int]:
    today = today or timezone.localdate()
    found = set(Objective.objects.filter(unit=unit).values_list("year", flat=True))
    found |= set(PlanItem.objects.filter(unit=unit).values_list("year", flat=True))
    found |= {today.year, today.year + 1}
    return sorted(found, reverse=True)


def policy(unit: Unit, year: int):
    """(PolicyLink or None, its effective version or None)."""
    link = PolicyLink.objects.filter(unit=unit, year=year).select_related("document").first()
    version = None
    if link:
        version = link.document.versions.filter(status=VersionStatus.EFFECTIVE).first()
    return link, version


def policy_documents(unit: Unit) -> QuerySet[Document]:
    return Document.objects.filter(unit=unit, kind=DocumentKind.QUALITY_POLICY).order_by("code")


def process_documents(unit: Unit) -> QuerySet[Document]:
    return Document.objects.filter(unit=unit, kind__in=PROCESS_KINDS).order_by("code")


def assigned_procedures(unit: Unit) -> QuerySet[AdministrativeProcedure]:
    """The TTHC currently assigned to the agency (an objective may link only these)."""
    return AdministrativeProcedure.objects.filter(
        assignments__unit=unit, assignments__ended_on=None
    ).distinct()


def members(unit: Unit):
    from django.contrib.auth import get_user_model

    ids = Membership.objects.active_on().filter(unit=unit).values("user_id")
    return get_user_model().objects.filter(pk__in=ids).order_by("full_name", "username")


def objectives(unit: Unit, year: int | None = None, query: str | None = None):
    qs = Objective.objects.filter(unit=unit).select_related("plan_who")
    if year:
        qs = qs.filter(year=year)
    for term in search_terms(query):
        qs = qs.filter(search_text__contains=term)
    return qs.prefetch_related("procedures").order_by("year", "pk")


def get_objective(unit: Unit, pk) -> Objective:
    return get_object_or_404(Objective.objects.select_related("plan_who", "unit"), unit=unit, pk=pk)


def measurements(objective: Objective) -> QuerySet[Measurement]:
    return objective.measurements.select_related("recorded_by").order_by("measured_on", "pk")


def objectives_never_measured(unit: Unit, year: int) -> QuerySet[Objective]:
    """Objectives of the year with no measurement at all (a formalism signal)."""
    return (
        Objective.objects.filter(unit=unit, year=year)
        .annotate(n=Count("measurements"))
        .filter(n=0)
        .order_by("pk")
    )


def measurements_in(unit: Unit, start: dt.date, end: dt.date) -> QuerySet[Measurement]:
    return (
        Measurement.objects.filter(
            objective__unit=unit, measured_on__gte=start, measured_on__lte=end
        )
        .select_related("objective")
        .order_by("objective_id", "measured_on", "pk")
    )


def linked_objectives(year: int) -> QuerySet[Objective]:
    """Every LINKED objective of a year, all agencies (for the daily sweep)."""
    return (
        Objective.objects.filter(year=year, source="linked")
        .exclude(kpi="")
        .select_related("unit")
        .prefetch_related("procedures")
    )


# ---------------------------------------------------------------- risks


def bands(unit: Unit) -> RiskBands:
    row = (
        RiskBands.objects.filter(unit=unit).first()
        or RiskBands.objects.filter(unit__isnull=True).first()
    )
    return row or RiskBands(medium_from=DEFAULT_MEDIUM_FROM, high_from=DEFAULT_HIGH_FROM)


def _band_q(b: RiskBands, band: str) -> Q:
    if band == Band.HIGH:
        return Q(score__gte=b.high_from)
    if band == Band.MEDIUM:
        return Q(score__gte=b.medium_from, score__lt=b.high_from)
    return Q(score__lt=b.medium_from)


def risks(
    unit: Unit,
    *,
    query: str | None = None,
    kind: str | None = None,
    band: str | None = None,
    likelihood: int | None = None,
    impact: int | None = None,
    process: str | None = None,
    owner: str | None = None,
    due: bool = False,
    include_closed: bool = False,
    today: dt.date | None = None,
) -> QuerySet[Risk]:
    qs = (
        Risk.objects.filter(unit=unit)
        .select_related("process", "owner")
        .annotate(score=F("likelihood") * F("impact"))
    )
    if not include_closed:
        qs = qs.filter(closed=False)
    if kind:
        qs = qs.filter(kind=kind)
    if band in Band.values:
        qs = qs.filter(_band_q(bands(unit), band))
    if likelihood:
        qs = qs.filter(likelihood=likelihood)
    if impact:
        qs = qs.filter(impact=impact)
    if process:
        qs = qs.filter(process_id=process) if str(process).isdigit() else qs
    if owner and str(owner).isdigit():
        qs = qs.filter(owner_id=owner)
    if due:
        qs = qs.filter(review_date__lte=today or timezone.localdate())
    for term in search_terms(query):
        qs = qs.filter(search_text__contains=term)
    return qs.order_by("-score", "pk")


def get_risk(unit: Unit, pk) -> Risk:
    return get_object_or_404(
        Risk.objects.select_related("process", "owner", "unit"), unit=unit, pk=pk
    )


def risk_events(risk: Risk):
    return risk.events.select_related("by").order_by("-at", "-pk")


def heat_map(qs: QuerySet[Risk], unit: Unit) -> list[list[dict]]:
    """A 5 × 5 grid, impact 5 at the top row, likelihood 1..5 left to right: each
    cell {likelihood, impact, level, band, count}."""
    counts = {
        (r["likelihood"], r["impact"]): r["n"]
        for r in qs.order_by().values("likelihood", "impact").annotate(n=Count("pk"))
    }
    b = bands(unit)
    return [
        [
            {
                "likelihood": likelihood,
                "impact": impact,
                "level": likelihood * impact,
                "band": b.band(likelihood * impact),
                "count": counts.get((likelihood, impact), 0),
            }
            for likelihood in range(1, 6)
        ]
        for impact in range(5, 0, -1)
    ]


def risks_due_for_review(today: dt.date) -> QuerySet[Risk]:
    """Open risks whose review date has come (all agencies, for the daily sweep)."""
    return (
        Risk.objects.filter(closed=False, review_date__lte=today)
        .select_related("unit", "owner")
        .order_by("pk")
    )


# ---------------------------------------------------------------- yearly plan


def plan_items(
    unit: Unit,
    year: int | None = None,
    *,
    kind: str | None = None,
    status: str | None = None,
    owner: str | None = None,
    query: str | None = None,
    overdue: bool = False,
    today: dt.date | None = None,
) -> QuerySet[PlanItem]:
    qs = PlanItem.objects.filter(unit=unit).select_related("owner")
    if year:
        qs = qs.filter(year=year)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if owner and str(owner).isdigit():
        qs = qs.filter(owner_id=owner)
    if overdue:
        qs = qs.filter(status=PlanStatus.PLANNED, end__lt=today or timezone.localdate())
    for term in search_terms(query):
        qs = qs.filter(search_text__contains=term)
    return qs.order_by("start", "pk")


def get_plan_item(unit: Unit, pk) -> PlanItem:
    return get_object_or_404(PlanItem.objects.select_related("owner", "unit"), unit=unit, pk=pk)


def is_overdue(item: PlanItem, today: dt.date | None = None) -> bool:
    return item.status == PlanStatus.PLANNED and item.end < (today or timezone.localdate())


def overdue_plan_items(unit: Unit, today: dt.date | None = None) -> QuerySet[PlanItem]:
    return plan_items(unit, overdue=True, today=today)


def overdue_plan_by_agency(user, today: dt.date | None = None) -> list[dict]:
    """For the DoST home: the agencies of the reader's subtree with overdue plan
    items, most overdue first: [{unit, count}]."""
    roots = org.oversight_roots(user)
    if not roots:
        return []
    units = org.supervised_units(user)
    rows = (
        PlanItem.objects.filter(
            unit__in=units, status=PlanStatus.PLANNED, end__lt=today or timezone.localdate()
        )
        .order_by()
        .values("unit_id")
        .annotate(n=Count("pk"))
    )
    counts = {r["unit_id"]: r["n"] for r in rows}
    by_pk = Unit.objects.in_bulk(list(counts))
    out = [{"unit": by_pk[pk], "count": n} for pk, n in counts.items() if pk in by_pk]
    return sorted(out, key=lambda r: (-r["count"], r["unit"].name))


def plan_items_to_remind(today: dt.date) -> QuerySet[PlanItem]:
    """Planned items with a start or end date within the next 60 days or overdue
    (the sweep decides which reminder each one needs)."""
    horizon = today + dt.timedelta(days=60)
    return (
        PlanItem.objects.filter(status=PlanStatus.PLANNED)
        .filter(Q(start__gte=today, start__lte=horizon) | Q(end__lte=horizon))
        .select_related("unit", "owner")
        .order_by("pk")
    )


def iso_secretaries(unit: Unit):
    from django.contrib.auth import get_user_model

    ids = (
        Membership.objects.active_on().filter(unit=unit, role=Role.ISO_SECRETARY).values("user_id")
    )
    return list(get_user_model().objects.filter(pk__in=ids))


def heads(unit: Unit):
    from django.contrib.auth import get_user_model

    ids = Membership.objects.active_on().filter(unit=unit, role=Role.HEAD).values("user_id")
    return list(get_user_model().objects.filter(pk__in=ids))
