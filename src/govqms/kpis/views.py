"""Dashboards of service KPIs: thin views over `selectors` (rollups only)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from govqms.dossiers.selectors import dossiers as dossier_selectors
from govqms.organizations import selectors as org
from govqms.procedures import selectors as procedure_selectors

from . import selectors
from .exports import table_response

KPI_HEADER = [
    "received",
    "resolved",
    "early",
    "on_time",
    "late",
    "overdue_open",
    "early_rate",
    "on_time_rate",
    "late_rate",
    "median_hours",
    "p90_hours",
    "conformance_rate",
    "allotment_rate",
]


def _kpi_row(k):
    d = k.as_dict()
    return [d[name] for name in KPI_HEADER]


def _trend_table(trend):
    header = ["month", *KPI_HEADER]
    rows = [[r["month"].strftime("%Y-%m"), *[r[n] for n in KPI_HEADER]] for r in trend]
    return header, rows


def _export(request, title, tables):
    """?export=<table>&format=csv|xlsx: the figures behind one chart or table."""
    name = request.GET.get("export")
    if not name:
        return None
    if name not in tables:
        raise Http404("No such table.")
    header, rows = tables[name]()
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    return table_response(f"{title}-{name}", header, rows, fmt)


def _trend_chart(trend):
    return {
        "months": [r["month"].strftime("%m/%Y") for r in trend],
        "received": [r["received"] for r in trend],
        "early": [r["early"] for r in trend],
        "on_time": [r["on_time"] for r in trend],
        "late": [r["late"] for r in trend],
        "on_time_rate": [r["on_time_rate"] for r in trend],
    }


@login_required
def agency_dashboard(request, unit_pk):
    unit = org.get_internal_unit(request.user, unit_pk, what="service KPIs")
    user = request.user
    period = selectors.parse_period(request.GET)
    kpis = selectors.agency_kpis(user, unit, period)
    trend = selectors.agency_trend(user, unit, period)
    procedures = selectors.agency_procedures(user, unit, period)
    steps = selectors.slowest_steps(user, unit, period)
    variants = selectors.variants(user, unit, period)
    response = _export(
        request,
        f"KPI-{unit.code}",
        {
            "kpis": lambda: (KPI_HEADER, [_kpi_row(kpis)]),
            "trend": lambda: _trend_table(trend),
            "procedures": lambda: (
                ["code", "name", *KPI_HEADER],
                [[p["code"], p["name"], *_kpi_row(p["kpis"])] for p in procedures],
            ),
            "steps": lambda: (
                ["procedure", "step", "count", "late", "late_rate", "mean_hours"],
                [
                    [
                        s[k]
                        for k in ("procedure", "step", "count", "late", "late_rate", "mean_hours")
                    ]
                    for s in steps
                ],
            ),
            "variants": lambda: (
                ["procedure", "path", "conformant", "count", "share"],
                [
                    [v[k] for k in ("procedure", "path", "conformant", "count", "share")]
                    for v in variants
                ],
            ),
        },
    )
    if response is not None:
        return response
    return render(
        request,
        "kpis/agency_dashboard.html",
        {
            "unit": unit,
            "period": period,
            "kpis": kpis,
            "trend_chart": _trend_chart(trend),
            "procedures": procedures,
            "steps": steps,
            "steps_chart": {
                "labels": [f"{s['procedure']} · {s['step']}" for s in steps][::-1],
                "hours": [s["mean_hours"] for s in steps][::-1],
            },
            "variants": variants,
            "is_overseer": not org.is_member_of(user, unit),
        },
    )


def _procedure(request, unit, procedure_pk):
    return procedure_selectors.get_procedure(request.user, procedure_pk)


@login_required
def procedure_dashboard(request, unit_pk, procedure_pk):
    unit = org.get_internal_unit(request.user, unit_pk, what="service KPIs")
    procedure = _procedure(request, unit, procedure_pk)
    user = request.user
    period = selectors.parse_period(request.GET)
    kpis = selectors.agency_kpis(user, unit, period, procedure=procedure)
    trend = selectors.agency_trend(user, unit, period, procedure=procedure)
    steps = selectors.slowest_steps(user, unit, period, procedure=procedure, limit=30)
    variants = selectors.variants(user, unit, period, procedure=procedure)
    response = _export(
        request,
        f"KPI-{unit.code}-{procedure.code}",
        {
            "kpis": lambda: (KPI_HEADER, [_kpi_row(kpis)]),
            "trend": lambda: _trend_table(trend),
            "steps": lambda: (
                ["step", "count", "late", "late_rate", "mean_hours"],
                [
                    [s[k] for k in ("step", "count", "late", "late_rate", "mean_hours")]
                    for s in steps
                ],
            ),
            "variants": lambda: (
                ["path", "conformant", "count", "share"],
                [[v[k] for k in ("path", "conformant", "count", "share")] for v in variants],
            ),
        },
    )
    if response is not None:
        return response
    return render(
        request,
        "kpis/procedure_dashboard.html",
        {
            "unit": unit,
            "procedure": procedure,
            "period": period,
            "kpis": kpis,
            "trend_chart": _trend_chart(trend),
            "steps": steps,
            "steps_chart": {
                "labels": [s["step"] for s in steps][::-1],
                "hours": [s["mean_hours"] for s in steps][::-1],
            },
            "variants": variants,
        },
    )


def dossier_url(pk) -> str | None:
    """The dossier page of the dossiers app, when it is there."""
    for name in ("dossier_detail", "dossiers:dossier_detail"):
        try:
            return reverse(name, kwargs={"pk": pk})
        except NoReverseMatch:
            continue
    return None


@login_required
def late_dossiers(request, unit_pk, procedure_pk):
    """The TTHC's late dossiers of the period (a list of dossiers, not a dashboard)."""
    unit = org.get_internal_unit(request.user, unit_pk, what="late dossiers")
    procedure = _procedure(request, unit, procedure_pk)
    period = selectors.parse_period(request.GET)
    dossiers = list(
        dossier_selectors.agency_dossiers(
            request.user,
            unit,
            procedure=procedure.code,
            outcome="late",
        )
        .filter(resolved_at__date__gte=period.start, resolved_at__date__lt=period.until)
        .order_by("-resolved_at")[:200]
    )
    for d in dossiers:
        d.url = dossier_url(d.pk)
    return render(
        request,
        "kpis/late_dossiers.html",
        {"unit": unit, "procedure": procedure, "period": period, "dossiers": dossiers},
    )


@login_required
def oversight_dashboard(request):
    user = request.user
    if not org.is_oversight_user(user):
        raise PermissionDenied
    period = selectors.parse_period(request.GET)
    kpis, ranking = selectors.province_ranking(user, period)
    trend = selectors.province_trend(user, period)
    response = _export(
        request,
        "KPI-province",
        {
            "kpis": lambda: (KPI_HEADER, [_kpi_row(kpis)]),
            "trend": lambda: _trend_table(trend),
            "ranking": lambda: (
                ["code", "agency", *KPI_HEADER],
                [[r["unit"].code, r["unit"].name, *_kpi_row(r["kpis"])] for r in ranking],
            ),
        },
    )
    if response is not None:
        return response
    ranked = [r for r in ranking if r["kpis"].resolved][:30]
    return render(
        request,
        "kpis/oversight_dashboard.html",
        {
            "period": period,
            "kpis": kpis,
            "ranking": ranking,
            "trend_chart": _trend_chart(trend),
            "ranking_chart": {
                "labels": [r["unit"].name for r in ranked][::-1],
                "rates": [r["kpis"].on_time_rate for r in ranked][::-1],
            },
        },
    )
