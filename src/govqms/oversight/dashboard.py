"""The DoST's assessment dashboard and an agency's multi-year trend.

Everything is read through the assessments selectors (campaign_for_year,
final_results, campaign_assessments, visible_assessments) and the shares and
changes are the ones of assessments.figures, so the dashboard prints exactly what
the provincial reports print ("xuất sắc 52/166 (31,3 %)").

The obligations an agency is behind on are computed in batch for the whole
subtree by oversight.dashboard_obligations (one query per obligation), the same
definitions the provincial reports count with; the dashboard also lists a
self-assessment submitted after its due day."""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from govqms.assessments import figures as fig
from govqms.assessments import scoring
from govqms.assessments import selectors as assessments
from govqms.assessments.models import Assessment, Band, Campaign
from govqms.core.text import search_terms
from govqms.organizations import selectors as org
from govqms.organizations.models import Unit, UnitKind

from . import dashboard_obligations as ob
from .signals import url

BAND_ORDER = [b.value for b in Band]
BAND_LABELS = {b.value: b.label for b in Band}
BAND_COLOURS = {
    Band.EXCELLENT: "#198754",
    Band.GOOD: "#0d6efd",
    Band.FAIR: "#ffc107",
    Band.AVERAGE: "#fd7e14",
    Band.WEAK: "#dc3545",
}

NO_AUDIT = "no_audit"
NO_REVIEW = "no_review"
LEGAL_OVERDUE = "legal_overdue"
SELF_ASSESSMENT = "self_assessment"
OBLIGATIONS = {
    NO_AUDIT: gettext_lazy("No internal audit completed this year"),
    NO_REVIEW: gettext_lazy("No management review held this year"),
    LEGAL_OVERDUE: gettext_lazy("Legal updates overdue"),
    SELF_ASSESSMENT: gettext_lazy("Self-assessment missing or late"),
}


def _d(day) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def change_text(figure: fig.BandFigure) -> str:
    """ "excellent 52/166 (31,3 %), +10,8 percentage points, +18" in the active
    language; without the previous year, the band line alone."""
    if figure.change_points is None:
        return figure.text
    return _("%(line)s, %(points)s percentage points, %(count)s") % {
        "line": figure.text,
        "points": fig.signed(figure.change_points),
        "count": signed_count(figure.change_count),
    }


def signed_count(value: int | None) -> str:
    """A change in agencies: +18 / −9 / 0 (no sign on zero, like the shares)."""
    return "0" if value == 0 else fig.signed(value)


def points(value: Decimal | None) -> Decimal | None:
    """A total as written: 93.50 -> 93.5, 90.00 -> 90 (the template localizes it:
    "93,5" in Vietnamese)."""
    if value is None:
        return None
    value = Decimal(value)
    return value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()


# ---------------------------------------------------------------- the dashboard


@dataclass
class RankRow:
    rank: int | None
    assessment: Assessment
    unit: Unit
    total: Decimal | None
    band: str
    detail_url: str = ""
    record_url: str = ""
    trend_url: str = ""

    @property
    def band_label(self) -> str:
        return str(BAND_LABELS.get(self.band, ""))

    @property
    def points(self) -> Decimal | None:
        return points(self.total)

    @property
    def kind_label(self) -> str:
        return self.unit.get_kind_display()

    @property
    def parent_name(self) -> str:
        return self.unit.parent.name if self.unit.parent_id else ""


@dataclass
class Breakdown:
    """One bar of a stacked chart: the count per band of a kind of agency or a parent."""

    key: str
    label: str
    counts: dict = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def ordered(self) -> list[int]:
        return [self.counts.get(b, 0) for b in BAND_ORDER]


@dataclass
class BehindRow:
    unit: Unit
    detail: str
    url: str

    @property
    def record_url(self) -> str:
        return url("agency_oversight", self.unit.pk)


@dataclass
class Obligation:
    key: str
    title: str
    rows: list = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.rows)


@dataclass
class Dashboard:
    year: int
    campaign: Campaign | None
    previous: Campaign | None
    rows: list  # [RankRow], best first
    figures: list  # [fig.BandFigure]
    by_kind: list  # [Breakdown]
    by_parent: list  # [Breakdown]
    obligations: list  # [Obligation]
    agencies: int  # active agencies of the subtree in the DoST's remit
    assessed: int  # assessments of the year's campaign (final or not)
    years: list

    @property
    def whole(self) -> int:
        return len(self.rows)

    @property
    def has_results(self) -> bool:
        return bool(self.rows)

    @property
    def has_previous(self) -> bool:
        return self.previous is not None and any(f.previous_count is not None for f in self.figures)

    def change_lines(self) -> list[str]:
        return [change_text(f) for f in self.figures]

    # Chart data (json_script): plain lists of numbers and labels.
    def band_chart(self) -> dict:
        return {
            "bands": [f.band for f in self.figures],
            "labels": [f.label for f in self.figures],
            "counts": [f.count for f in self.figures],
            # The shares as printed ("31,3 %"): the charts write no number of their own.
            "shares": [fig.percent(f.share) for f in self.figures],
            "previous": [f.previous_count for f in self.figures],
            "colours": [BAND_COLOURS[f.band] for f in self.figures],
        }

    @staticmethod
    def stacked_chart(breakdowns: list) -> dict:
        return {
            "categories": [b.label for b in breakdowns],
            "series": [
                {
                    "band": band,
                    "name": str(BAND_LABELS[band]),
                    "colour": BAND_COLOURS[band],
                    "data": [b.counts.get(band, 0) for b in breakdowns],
                }
                for band in BAND_ORDER
            ],
        }


def default_year(user, today: dt.date | None = None) -> int:
    """The latest year with a campaign (this year when there is none)."""
    years = assessments.campaign_years(user)
    return years[0] if years else (today or timezone.localdate()).year


def _rank_rows(results: list[Assessment]) -> list[RankRow]:
    # The rank is the campaign's (kept on each assessment when it becomes final); for
    # assessments that have none yet it is computed the same way (ties share a rank).
    names = {a.pk: a.unit.name for a in results}
    missing = any(a.rank is None for a in results)
    computed = (
        scoring.ranks(
            {a.pk: a.final_total for a in results},
            tie_break=lambda pk: names[pk],
        )
        if missing
        else {}
    )
    rows = []
    for a in results:
        rows.append(
            RankRow(
                rank=a.rank if a.rank is not None else computed.get(a.pk),
                assessment=a,
                unit=a.unit,
                total=a.final_total,
                band=a.band,
                detail_url=url("assessment_detail", a.unit_id, a.pk),
                record_url=url("agency_oversight", a.unit_id),
                trend_url=url("agency_assessment_trend", a.unit_id),
            )
        )
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.unit.name))
    return rows


def _breakdowns(rows: list[RankRow], key, label) -> list[Breakdown]:
    found: dict[str, Breakdown] = {}
    for row in rows:
        k = key(row)
        if k not in found:
            found[k] = Breakdown(k, label(row), Counter())
        found[k].counts[row.band] += 1
    return list(found.values())


def by_kind(rows: list[RankRow]) -> list[Breakdown]:
    order = {k: i for i, k in enumerate(UnitKind.values)}
    result = _breakdowns(rows, lambda r: r.unit.kind, lambda r: r.kind_label)
    return sorted(result, key=lambda b: order.get(b.key, len(order)))


def by_parent(rows: list[RankRow]) -> list[Breakdown]:
    result = _breakdowns(
        rows,
        lambda r: str(r.unit.parent_id or ""),
        lambda r: r.parent_name or _("(no parent)"),
    )
    return sorted(result, key=lambda b: (-b.total, b.label))


def assessed_bands(user, campaign: Campaign) -> list[str]:
    """One entry per agency assessed in the campaign: its band once final, "" before.
    The shares are of every agency assessed ("52/166"), final or not, as the
    provincial reports write them."""
    final = Assessment.Status.FINAL
    return [
        band if status == final else ""
        for status, band in assessments.campaign_assessments(user, campaign).values_list(
            "status", "band"
        )
    ]


def dashboard(user, year: int, *, today: dt.date | None = None) -> Dashboard:
    """The year's figures for an oversight user's subtree (callers have checked the
    user is an oversight user)."""
    today = today or timezone.localdate()
    campaign = assessments.campaign_for_year(user, year)
    rows, bands, previous, previous_bands = [], [], None, None
    if campaign is not None:
        rows = _rank_rows(list(assessments.final_results(user, campaign)))
        bands = assessed_bands(user, campaign)
        previous = (
            assessments.visible_campaigns(user).filter(owner=campaign.owner, year=year - 1).first()
        )
        if previous is not None:
            previous_bands = assessed_bands(user, previous) or None
    figures = fig.band_figures(bands, previous_bands)
    units = list(
        org.supervised_units(user, in_remit=True).only(
            "pk", "name", "code", "kind", "parent", "path"
        )
    )
    return Dashboard(
        year=year,
        campaign=campaign,
        previous=previous,
        rows=rows,
        figures=figures,
        by_kind=by_kind(rows),
        by_parent=by_parent(rows),
        obligations=obligations(user, units, year, campaign, today=today),
        agencies=len(units),
        assessed=len(bands),
        years=assessments.campaign_years(user),
    )


def filter_rows(
    rows: list[RankRow], *, query: str = "", kind: str = "", band: str = ""
) -> list[RankRow]:
    """The ranking table's filters: accent-folded search on the agency, kind, band."""
    terms = search_terms(query)
    return [
        r
        for r in rows
        if (not kind or r.unit.kind == kind)
        and (not band or r.band == band)
        and all(t in r.unit.search_text for t in terms)
    ]


# ---------------------------------------------------------------- obligations


def _self_assessment_behind(user, campaign: Campaign, today: dt.date) -> dict[int, tuple]:
    """{agency: (why, assessment pk)}: missing (ob.self_assessment_missing) or
    submitted after the due day."""
    due = campaign.self_assessment_due
    result = {}
    qs = assessments.campaign_assessments(user, campaign).filter(
        Q(submitted_at__isnull=True) | Q(submitted_at__date__gt=due)
    )
    for a in qs:
        if a.submitted_at is None:
            if not ob.self_assessment_missing(a, campaign, today):
                continue
            why = _("Not submitted (due %(due)s)") % {"due": _d(due)}
        else:
            why = _("Submitted on %(on)s, due %(due)s") % {
                "on": _d(timezone.localtime(a.submitted_at).date()),
                "due": _d(due),
            }
        result[a.unit_id] = (why, a.pk)
    return result


def obligations(
    user, units: list[Unit], year: int, campaign: Campaign | None, *, today: dt.date
) -> list[Obligation]:
    """The agencies behind on each obligation of the year: one query per obligation."""
    ids = [u.pk for u in units]
    by_id = {u.pk: u for u in units}
    found: dict[str, Obligation] = {
        key: Obligation(key, str(title)) for key, title in OBLIGATIONS.items()
    }
    if apps.is_installed("govqms.audits"):
        done = ob.audited(ids, year)
        found[NO_AUDIT].rows = [
            BehindRow(u, _("No completed audit in %(year)s") % {"year": year}, _audits_url(u))
            for u in units
            if u.pk not in done
        ]
    else:
        del found[NO_AUDIT]
    if apps.is_installed("govqms.reviews"):
        held = ob.reviewed(ids, year)
        found[NO_REVIEW].rows = [
            BehindRow(
                u,
                _("No review held in %(year)s") % {"year": year},
                url("review_list", u.pk) or url("agency_oversight", u.pk),
            )
            for u in units
            if u.pk not in held
        ]
    else:
        del found[NO_REVIEW]
    overdue = ob.legal_overdue(ids, year, today)
    found[LEGAL_OVERDUE].rows = [
        BehindRow(
            by_id[uid],
            _("%(n)s open past their 3 months, the oldest due %(due)s")
            % {"n": n, "due": _d(oldest)},
            url("update_task_list", uid) or url("agency_oversight", uid),
        )
        for uid, (n, oldest) in sorted(overdue.items(), key=lambda kv: by_id[kv[0]].name)
        if uid in by_id
    ]
    if campaign is not None:
        behind = _self_assessment_behind(user, campaign, today)
        found[SELF_ASSESSMENT].rows = [
            BehindRow(
                by_id[uid], why, url("assessment_detail", uid, pk) or url("agency_oversight", uid)
            )
            for uid, (why, pk) in behind.items()
            if uid in by_id
        ]
        found[SELF_ASSESSMENT].rows.sort(key=lambda r: r.unit.name)
    return list(found.values())


def _audits_url(unit: Unit) -> str:
    return url("audit_plan_list", unit.pk) or url("agency_oversight", unit.pk)


# ---------------------------------------------------------------- an agency's trend


@dataclass
class TrendRow:
    year: int
    assessment: Assessment
    participants: int  # agencies ranked that year (final assessments)
    detail_url: str = ""

    @property
    def is_final(self) -> bool:
        return self.assessment.status == Assessment.Status.FINAL

    @property
    def band(self) -> str:
        return self.assessment.band if self.is_final else ""

    @property
    def self_points(self) -> Decimal | None:
        return points(self.assessment.self_total)

    @property
    def appraised_points(self) -> Decimal | None:
        return points(self.assessment.appraised_total)

    @property
    def final_points(self) -> Decimal | None:
        return points(self.assessment.final_total) if self.is_final else None

    @property
    def band_label(self) -> str:
        return str(BAND_LABELS.get(self.band, ""))


def agency_trend(user, unit: Unit) -> list[TrendRow]:
    """An agency's assessments year by year, oldest first (callers obtain `unit`
    through organizations.selectors.get_internal_unit)."""
    if not org.can_view_internal(user, unit):
        return []
    items = list(
        assessments.visible_assessments(user)
        .filter(unit=unit)
        .select_related("campaign")
        .order_by("campaign__year", "campaign__owner__path")
    )
    # How many agencies were ranked each year (a count, no other agency's result).
    ranked = dict(
        Assessment.objects.filter(
            campaign_id__in=[a.campaign_id for a in items], status=Assessment.Status.FINAL
        )
        .values("campaign_id")
        .annotate(n=Count("pk"))
        .values_list("campaign_id", "n")
        .order_by()
    )
    rows, seen = [], set()
    for a in items:
        if a.campaign.year in seen:
            continue
        seen.add(a.campaign.year)
        rows.append(
            TrendRow(
                year=a.campaign.year,
                assessment=a,
                participants=ranked.get(a.campaign_id, 0),
                detail_url=url("assessment_detail", unit.pk, a.pk),
            )
        )
    return rows


def _num(value) -> float | None:
    return None if value is None else float(value)


def trend_chart(rows: list[TrendRow]) -> dict:
    return {
        "years": [str(r.year) for r in rows],
        "self": [_num(r.assessment.self_total) for r in rows],
        "appraised": [_num(r.assessment.appraised_total) for r in rows],
        "final": [_num(r.assessment.final_total) if r.is_final else None for r in rows],
        "bands": [r.band_label for r in rows],
        "ranks": [r.assessment.rank if r.is_final else None for r in rows],
    }
