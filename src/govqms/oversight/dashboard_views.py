"""The DoST's assessment dashboard and an agency's multi-year assessment trend: thin
views over oversight.dashboard (which reads through the assessments selectors)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _

from govqms.assessments.figures import percent, signed
from govqms.assessments.models import Band
from govqms.core.pages import query_without_page
from govqms.kpis.exports import table_response
from govqms.organizations import selectors as org
from govqms.organizations.models import UnitKind
from govqms.reports.http import ascii_filename

from . import dashboard, selectors
from .signals import url

PAGE_SIZE = 50


def _export(request, title: str, tables: dict):
    """?export=<chart>&format=csv|xlsx: the figures behind one chart or table, written
    in Vietnamese like every exported document."""
    name = request.GET.get("export")
    if not name:
        return None
    if name not in tables:
        raise Http404("No such table.")
    with translation.override("vi"):
        header, rows = tables[name]()
        header = [str(h) for h in header]
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    # The title names the file and the XLSX sheet: an agency code may hold "/" or
    # other characters neither allows.
    return table_response(ascii_filename(f"{title}-{name}"), header, rows, fmt)


def _band_table(data: dashboard.Dashboard):
    header = [
        _("Band"),
        _("Agencies"),
        _("Out of"),
        _("Share (%)"),
        _("Previous year"),
        _("Previous share (%)"),
        _("Change (percentage points)"),
        _("Change (agencies)"),
    ]
    return header, [
        [
            str(dashboard.BAND_LABELS[f.band]),
            f.count,
            f.whole,
            f.share,
            f.previous_count,
            f.previous_share,
            f.change_points,
            f.change_count,
        ]
        for f in data.figures
    ]


def _stacked_table(first: str, breakdowns):
    header = [first, *[str(dashboard.BAND_LABELS[b]) for b in dashboard.BAND_ORDER], _("Total")]
    return header, [[b.label, *b.ordered, b.total] for b in breakdowns]


def _ranking_table(rows):
    header = [
        _("Rank"),
        _("Agency"),
        _("Code"),
        _("Kind"),
        _("Parent"),
        _("Final total"),
        _("Band"),
    ]
    return header, [
        [r.rank, r.unit.name, r.unit.code, r.kind_label, r.parent_name, r.total, r.band_label]
        for r in rows
    ]


def _behind_table(data: dashboard.Dashboard):
    header = [_("Obligation"), _("Agency"), _("Code"), _("Detail")]
    return header, [
        [str(dashboard.OBLIGATIONS[o.key]), r.unit.name, r.unit.code, r.detail]
        for o in data.obligations
        for r in o.rows
    ]


@login_required
def assessment_dashboard(request):
    """The year's assessment results of the agencies under the user's oversight."""
    user = request.user
    if not org.is_oversight_user(user):
        raise PermissionDenied
    year = selectors.parse_year(request.GET.get("year"), default=dashboard.default_year(user))
    data = dashboard.dashboard(user, year)
    query = request.GET.get("q", "")[:200]
    kind = request.GET.get("kind", "")
    kind = kind if kind in UnitKind.values else ""
    band = request.GET.get("band", "")
    band = band if band in Band.values else ""
    rows = dashboard.filter_rows(data.rows, query=query, kind=kind, band=band)
    response = _export(
        request,
        f"danh-gia-{year}",
        {
            "bands": lambda: _band_table(data),
            "kinds": lambda: _stacked_table(_("Kind of agency"), data.by_kind),
            "parents": lambda: _stacked_table(_("Parent"), data.by_parent),
            "ranking": lambda: _ranking_table(rows),
            "behind": lambda: _behind_table(data),
        },
    )
    if response is not None:
        return response
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    kinds_present = {r.unit.kind for r in data.rows}
    return render(
        request,
        "oversight/dashboard/assessment_dashboard.html",
        {
            "year": year,
            "data": data,
            "years": sorted(set(data.years) | {year}, reverse=True),
            "page": page,
            "matches": len(rows),
            "q": query,
            "kind": kind,
            "band": band,
            "kinds": [(k, label) for k, label in UnitKind.choices if k in kinds_present],
            "bands": Band.choices,
            "cards": [
                {
                    "figure": f,
                    "line": dashboard.change_text(f),
                    "share": percent(f.share),
                    "points": signed(f.change_points) if f.change_points is not None else "",
                    "count": dashboard.signed_count(f.change_count)
                    if f.change_count is not None
                    else "",
                }
                for f in data.figures
            ],
            "campaign_url": url("campaign_detail", data.campaign.pk) if data.campaign else "",
            "band_chart": data.band_chart(),
            "kind_chart": data.stacked_chart(data.by_kind),
            "parent_chart": data.stacked_chart(data.by_parent),
            "query_string": query_without_page(request),
            "base_query": _base_query(request, year),
        },
    )


def _base_query(request, year: int) -> str:
    """The page's year and filters, for the export links."""
    params = request.GET.copy()
    for name in ("page", "export", "format"):
        params.pop(name, None)
    params["year"] = str(year)
    return params.urlencode()


@login_required
def agency_assessment_trend(request, unit_pk):
    """One agency's assessments year by year: its members and its overseers."""
    unit = org.get_internal_unit(request.user, unit_pk, what="assessment results by year")
    rows = dashboard.agency_trend(request.user, unit)
    response = _export(
        request,
        f"danh-gia-{unit.code}",
        {
            "trend": lambda: (
                [
                    _("Year"),
                    _("Self-assessed total"),
                    _("Appraised total"),
                    _("Final total"),
                    _("Band"),
                    _("Rank"),
                    _("Agencies ranked"),
                ],
                [
                    [
                        r.year,
                        r.assessment.self_total,
                        r.assessment.appraised_total,
                        r.assessment.final_total if r.is_final else None,
                        r.band_label,
                        r.assessment.rank if r.is_final else None,
                        r.participants or None,
                    ]
                    for r in rows
                ],
            )
        },
    )
    if response is not None:
        return response
    return render(
        request,
        "oversight/dashboard/agency_trend.html",
        {
            "unit": unit,
            "rows": rows,
            "chart": dashboard.trend_chart(rows),
            "is_overseer": not org.is_member_of(request.user, unit),
        },
    )
