"""Reads of the KPIs, from the rollups only (never the dossiers or their events).

Callers obtain the agency through `organizations.selectors.get_internal_unit`
(which checks the user and logs an overseer's read); the DoST figures cover the
reader's subtree only."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import F, Q, Sum
from django.utils import timezone

from govqms.organizations import selectors as org
from govqms.organizations.models import Unit

from .models import (
    BUCKET_EDGES,
    BUCKETS,
    COUNTERS,
    AgencyMonthlyRollup,
    DailyRollup,
    MonthlyRollup,
    StepRollup,
    VariantRollup,
)
from .services import month_of, next_month

# ---------------------------------------------------------------- periods


@dataclass(frozen=True)
class Period:
    start: dt.date  # first month (its first day)
    end: dt.date  # last month (its first day)

    @property
    def until(self) -> dt.date:
        """The day after the period."""
        return next_month(self.end)

    def months(self) -> list[dt.date]:
        out, m = [], self.start
        while m <= self.end:
            out.append(m)
            m = next_month(m)
        return out

    def query(self) -> str:
        return f"start={self.start:%Y-%m}&end={self.end:%Y-%m}"


def _month(text: str | None) -> dt.date | None:
    try:
        year, month = (int(x) for x in (text or "").split("-")[:2])
        return dt.date(year, month, 1)
    except (TypeError, ValueError):
        return None


def parse_period(params, today: dt.date | None = None) -> Period:
    """?start=YYYY-MM&end=YYYY-MM; default: the last 12 months up to this one."""
    today = today or timezone.localdate()
    end = _month(params.get("end")) or month_of(today)
    start = _month(params.get("start"))
    if start is None:
        start = dt.date(end.year - 1, end.month, 1)
        start = next_month(start)
    if start > end:
        start, end = end, start
    if (end.year - start.year) * 12 + end.month - start.month > 120:
        start = dt.date(end.year - 10, end.month, 1)
    return Period(start, end)


# ---------------------------------------------------------------- KPI arithmetic


def percentile_from_buckets(counts: list[int], q: float) -> float | None:
    """The q-quantile (0..1) of working hours estimated from bucket counts: linear
    inside its bucket (the open last bucket gives its lower edge)."""
    total = sum(counts)
    if not total:
        return None
    target = q * total
    seen = 0
    for i, n in enumerate(counts):
        if n and seen + n >= target:
            low = BUCKET_EDGES[i]
            if i + 1 >= len(BUCKET_EDGES):
                return float(low)
            high = BUCKET_EDGES[i + 1]
            return low + (high - low) * max(0.0, target - seen) / n
        seen += n
    return float(BUCKET_EDGES[-1])


def _rate(part, whole):
    return round(100.0 * part / whole, 1) if whole else None


@dataclass
class Kpis:
    received: int = 0
    resolved: int = 0
    early: int = 0
    on_time: int = 0
    late: int = 0
    overdue_open: int = 0
    hours_count: int = 0
    hours_sum: float = 0.0
    conform_checked: int = 0
    conformant: int = 0
    allot_checked: int = 0
    within_allotment: int = 0
    buckets: list = field(default_factory=lambda: [0] * len(BUCKETS))

    @classmethod
    def from_row(cls, row: dict, overdue_open: int = 0) -> Kpis:
        k = cls(overdue_open=max(0, overdue_open or 0))
        for name in COUNTERS:
            if name in row and not name.startswith("b") and hasattr(k, name):
                setattr(k, name, row[name] or 0)
        k.buckets = [row.get(b) or 0 for b in BUCKETS]
        return k

    @property
    def early_rate(self):
        return _rate(self.early, self.resolved)

    @property
    def on_time_rate(self):
        """Early or on time, out of those resolved."""
        return _rate(self.early + self.on_time, self.resolved)

    @property
    def late_rate(self):
        return _rate(self.late, self.resolved)

    @property
    def mean_hours(self):
        return round(self.hours_sum / self.hours_count, 1) if self.hours_count else None

    @property
    def median_hours(self):
        v = percentile_from_buckets(self.buckets, 0.5)
        return round(v, 1) if v is not None else None

    @property
    def p90_hours(self):
        v = percentile_from_buckets(self.buckets, 0.9)
        return round(v, 1) if v is not None else None

    @property
    def conformance_rate(self):
        return _rate(self.conformant, self.conform_checked)

    @property
    def allotment_rate(self):
        return _rate(self.within_allotment, self.allot_checked)

    def as_dict(self) -> dict:
        return {
            "received": self.received,
            "resolved": self.resolved,
            "early": self.early,
            "on_time": self.on_time,
            "late": self.late,
            "overdue_open": self.overdue_open,
            "early_rate": self.early_rate,
            "on_time_rate": self.on_time_rate,
            "late_rate": self.late_rate,
            "median_hours": self.median_hours,
            "p90_hours": self.p90_hours,
            "conformance_rate": self.conformance_rate,
            "allotment_rate": self.allotment_rate,
        }


def _period_sums(period: Period) -> dict:
    """Counters summed over the period and the open overdue count at its end."""
    inside = Q(month__gte=period.start, month__lte=period.end)
    sums = {f"p_{name}": Sum(name, filter=inside) for name in COUNTERS}
    sums["p_overdue_open"] = Sum(F("overdue_in") - F("overdue_out"))
    return sums


def _kpis(row) -> Kpis:
    """Kpis from a row of `_period_sums` (keys prefixed "p_")."""
    row = {k[2:]: v for k, v in (row or {}).items() if k.startswith("p_")}
    return Kpis.from_row(row, row.get("overdue_open") or 0)


# ---------------------------------------------------------------- agency


def _monthly(unit: Unit, period: Period, **filters):
    return MonthlyRollup.objects.filter(unit=unit, month__lte=period.end, **filters).order_by()


def agency_kpis(user, unit: Unit, period: Period, procedure=None) -> Kpis:
    if not org.can_view_internal(user, unit):
        return Kpis()
    qs = (
        _monthly(unit, period, procedure=procedure, total=False)
        if procedure is not None
        else _monthly(unit, period, total=True)
    )
    return _kpis(qs.aggregate(**_period_sums(period)))


def agency_trend(user, unit: Unit, period: Period, procedure=None) -> list[dict]:
    """One row per month of the period: received, resolved, early, on time, late,
    on-time rate, median hours."""
    if not org.can_view_internal(user, unit):
        return []
    qs = _monthly(unit, period, month__gte=period.start)
    qs = qs.filter(procedure=procedure, total=False) if procedure else qs.filter(total=True)
    by_month = {r["month"]: r for r in qs.values("month", *COUNTERS)}
    rows = []
    for month in period.months():
        k = Kpis.from_row(by_month.get(month, {}))
        rows.append({"month": month, **k.as_dict()})
    return rows


def agency_procedures(user, unit: Unit, period: Period) -> list[dict]:
    """The agency's TTHC with their KPIs over the period, most received first."""
    if not org.can_view_internal(user, unit):
        return []
    qs = _monthly(unit, period, total=False)
    rows = (
        qs.values("procedure_id", "procedure__code", "procedure__name")
        .annotate(**_period_sums(period))
        .order_by()
    )
    out = []
    for r in rows:
        k = _kpis(r)
        if not (k.received or k.resolved or k.overdue_open):
            continue
        out.append(
            {
                "procedure_id": r["procedure_id"],
                "code": r["procedure__code"] or "",
                "name": r["procedure__name"] or "",
                "kpis": k,
            }
        )
    out.sort(key=lambda r: (-r["kpis"].received, r["code"]))
    return out


def slowest_steps(user, unit: Unit, period: Period, procedure=None, limit=10) -> list[dict]:
    """Steps by mean working hours (descending), with their late share."""
    if not org.can_view_internal(user, unit):
        return []
    qs = StepRollup.objects.filter(unit=unit, day__gte=period.start, day__lt=period.until)
    if procedure is not None:
        qs = qs.filter(procedure=procedure)
    rows = (
        qs.order_by()
        .values("procedure__code", "step")
        .annotate(n=Sum("count"), late=Sum("late"), hours=Sum("hours_sum"))
    )
    out = [
        {
            "procedure": r["procedure__code"] or "",
            "step": r["step"],
            "count": r["n"],
            "late": r["late"],
            "late_rate": _rate(r["late"], r["n"]),
            "mean_hours": round(r["hours"] / r["n"], 1) if r["n"] else None,
        }
        for r in rows
        if r["n"]
    ]
    out.sort(key=lambda r: (-(r["mean_hours"] or 0), r["procedure"], r["step"]))
    return out[:limit]


def variants(user, unit: Unit, period: Period, procedure=None, limit=10) -> list[dict]:
    """The most common paths through the steps; deviating ones are marked."""
    if not org.can_view_internal(user, unit):
        return []
    qs = VariantRollup.objects.filter(unit=unit, day__gte=period.start, day__lt=period.until)
    if procedure is not None:
        qs = qs.filter(procedure=procedure)
    rows = (
        qs.order_by()
        .values("procedure__code", "path_key", "path", "conformant")
        .annotate(n=Sum("count"))
    )
    total = defaultdict(int)
    for r in rows:
        total[r["procedure__code"]] += r["n"]
    out = [
        {
            "procedure": r["procedure__code"] or "",
            "path": r["path"],
            "conformant": r["conformant"],
            "count": r["n"],
            "share": _rate(r["n"], total[r["procedure__code"]]),
        }
        for r in rows
    ]
    out.sort(key=lambda r: (-r["count"], r["path"]))
    return out[:limit]


def deviating_variants(user, unit, period, procedure=None, limit=10) -> list[dict]:
    return [v for v in variants(user, unit, period, procedure, limit=1000) if not v["conformant"]][
        :limit
    ]


def latest_day(user, unit: Unit) -> dt.date | None:
    if not org.can_view_internal(user, unit):
        return None
    return (
        DailyRollup.objects.filter(unit=unit).order_by("-day").values_list("day", flat=True).first()
    )


# ---------------------------------------------------------------- DoST


def province_units(user) -> list[Unit]:
    """The agencies in the reader's subtree that are in the DoST's remit."""
    return list(org.supervised_units(user, in_remit=True).order_by("path"))


def _subtree_sums(unit_ids: list[int], period: Period, group: str) -> dict:
    """Monthly totals of these agencies summed per `group` ("unit_id" or "month") over
    the period; for "unit_id" also the open overdue count at the period's end. Plain
    sums over the small per-agency table: no join, no conditional aggregate."""
    base = AgencyMonthlyRollup.objects.filter(unit_id__in=unit_ids).order_by()
    rows = {
        r.pop(group): r
        for r in base.filter(month__gte=period.start, month__lte=period.end)
        .values(group)
        .annotate(**{f"p_{name}": Sum(name) for name in COUNTERS})
    }
    if group == "unit_id":
        for unit_id, overdue in (
            base.filter(month__lte=period.end)
            .values("unit_id")
            .annotate(n=Sum(F("overdue_in") - F("overdue_out")))
            .values_list("unit_id", "n")
        ):
            rows.setdefault(unit_id, {})["p_overdue_open"] = overdue
    return rows


def province_ranking(user, period: Period) -> tuple[Kpis, list[dict]]:
    """Province KPIs and every agency of the subtree ranked by on-time rate
    (agencies without resolved dossiers last), from the agencies' monthly totals."""
    if not org.oversight_roots(user):
        return Kpis(), []
    units = province_units(user)
    sums = _subtree_sums([u.pk for u in units], period, "unit_id")
    by_unit = {unit_id: _kpis(r) for unit_id, r in sums.items()}
    overall = Kpis()
    for k in by_unit.values():
        for name in (
            "received",
            "resolved",
            "early",
            "on_time",
            "late",
            "overdue_open",
            "hours_count",
            "hours_sum",
            "conform_checked",
            "conformant",
            "allot_checked",
            "within_allotment",
        ):
            setattr(overall, name, getattr(overall, name) + getattr(k, name))
        overall.buckets = [a + b for a, b in zip(overall.buckets, k.buckets, strict=True)]
    ranking = [{"unit": u, "kpis": by_unit.get(u.pk, Kpis())} for u in units]
    ranking.sort(
        key=lambda r: (
            r["kpis"].on_time_rate is None,
            -(r["kpis"].on_time_rate or 0),
            -r["kpis"].resolved,
            r["unit"].name,
        )
    )
    return overall, ranking


def province_trend(user, period: Period, units: list[Unit] | None = None) -> list[dict]:
    if not org.oversight_roots(user):
        return []
    units = units if units is not None else province_units(user)
    rows = _subtree_sums([u.pk for u in units], period, "month")
    return [{"month": m, **_kpis(rows.get(m, {})).as_dict()} for m in period.months()]


def headline(user, unit: Unit | None = None, today: dt.date | None = None) -> Kpis | None:
    """The last 12 months for the home panels (an agency, or the reader's subtree)."""
    period = parse_period({}, today)
    if unit is not None:
        if not org.can_view_internal(user, unit):
            return None
        return agency_kpis(user, unit, period)
    return province_ranking(user, period)[0]
