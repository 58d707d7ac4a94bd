"""Management review inputs (9.3.2) held by planning: the extent to which the
quality objectives were met, the monitoring and measurement results, and the
effectiveness of the actions taken on risks and opportunities."""

from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from govqms.reviews.inputs import Section, register

from . import selectors
from .models import Band, Effectiveness, Measurement, Objective, Risk, Status


def _num(value):
    return None if value is None else float(value)


def _target_text(objective) -> str:
    sign = "≥" if objective.direction == "higher" else "≤"
    target = formats.localize(objective.target.normalize())
    return f"{sign} {target} {objective.measure_unit}"


def _status_label(status: str) -> str:
    return str(Status(status).label) if status in Status.values else _("Not measured")


@register("objectives")
def objectives_input(unit, start, end) -> Section:
    rows, counts = [], {s: 0 for s in [*Status.values, ""]}
    latest_first = Measurement.objects.filter(measured_on__lte=end).order_by("-measured_on", "-pk")
    objectives = (
        Objective.objects.filter(unit=unit, year__gte=start.year, year__lte=end.year)
        .order_by("year", "pk")
        .prefetch_related(Prefetch("measurements", queryset=latest_first, to_attr="until_end"))
    )
    for o in objectives:
        last = o.until_end[0] if o.until_end else None
        status = last.status if last else ""
        counts[status] += 1
        rows.append(
            [
                o.year,
                o.title,
                o.indicator,
                _target_text(o),
                _num(last.value) if last else None,
                last.measured_on.isoformat() if last else None,
                _status_label(status),
            ]
        )
    if rows:
        summary = _(
            "%(n)d objectives: %(on)d on track, %(risk)d at risk, %(off)d off track, "
            "%(none)d not measured."
        ) % {
            "n": len(rows),
            "on": counts[Status.ON_TRACK],
            "risk": counts[Status.AT_RISK],
            "off": counts[Status.OFF_TRACK],
            "none": counts[""],
        }
    else:
        summary = _("No quality objective set for the period.")
    return Section(
        summary=summary,
        columns=[
            _("Year"),
            _("Objective"),
            _("Indicator"),
            _("Target"),
            _("Last value"),
            _("Measured on"),
            _("Status"),
        ],
        rows=rows,
        links=[
            {
                "label": _("Quality objectives %(year)d") % {"year": y},
                "url": reverse("planning_objectives", args=[unit.pk]) + f"?year={y}",
            }
            for y in range(start.year, end.year + 1)
        ],
        figures={
            "objectives": len(rows),
            "on_track": counts[Status.ON_TRACK],
            "at_risk": counts[Status.AT_RISK],
            "off_track": counts[Status.OFF_TRACK],
            "not_measured": counts[""],
        },
    )


@register("monitoring")
def monitoring_input(unit, start, end) -> Section:
    rows = [
        [
            m.objective.title,
            m.objective.indicator,
            m.period_start.isoformat(),
            m.period_end.isoformat(),
            m.measured_on.isoformat(),
            _num(m.value),
            _num(m.target),
            m.objective.measure_unit,
            _status_label(m.status),
            _("dossier data") if m.automatic else _("entered by hand"),
        ]
        for m in selectors.measurements_in(unit, start, end)
    ]
    summary = (
        ngettext(
            "%(n)d measurement of the quality indicators in the period.",
            "%(n)d measurements of the quality indicators in the period.",
            len(rows),
        )
        % {"n": len(rows)}
        if rows
        else _("No indicator was measured in the period.")
    )
    return Section(
        summary=summary,
        columns=[
            _("Objective"),
            _("Indicator"),
            _("From"),
            _("To"),
            _("Measured on"),
            _("Value"),
            _("Target"),
            _("Unit"),
            _("Status"),
            _("Source"),
        ],
        rows=rows,
        links=[
            {
                "label": _("Quality objectives"),
                "url": reverse("planning_objectives", args=[unit.pk]),
            }
        ],
        figures={"measurements": len(rows)},
    )


@register("risks")
def risks_input(unit, start, end) -> Section:
    b = selectors.bands(unit)
    # The register as it stands when the inputs are compiled (frozen at the meeting).
    open_risks = Risk.objects.filter(unit=unit, closed=False)
    by_band = {band: 0 for band in Band.values}
    for r in open_risks.only("likelihood", "impact"):
        by_band[b.band(r.level)] += 1
    evaluated = (
        Risk.objects.filter(unit=unit, evaluated_on__gte=start, evaluated_on__lte=end)
        .exclude(effectiveness="")
        .select_related("process")
        .order_by("evaluated_on", "pk")
    )
    by_effect = {e: 0 for e in Effectiveness.values}
    rows = []
    for r in evaluated:
        by_effect[r.effectiveness] += 1
        rows.append(
            [
                r.get_kind_display(),
                r.process_label,
                r.description,
                r.level,
                str(Band(b.band(r.level)).label),
                r.treatment,
                r.get_effectiveness_display(),
                r.evaluated_on.isoformat(),
            ]
        )
    not_evaluated = open_risks.filter(~Q(treatment="")).filter(effectiveness="").count()
    summary = _(
        "Open register: %(high)d high, %(medium)d medium, %(low)d low. Treatments evaluated "
        "in the period: %(n)d (%(eff)d effective, %(partly)d partly, %(not)d not effective); "
        "%(pending)d treatments not evaluated yet."
    ) % {
        "high": by_band[Band.HIGH],
        "medium": by_band[Band.MEDIUM],
        "low": by_band[Band.LOW],
        "n": len(rows),
        "eff": by_effect[Effectiveness.EFFECTIVE],
        "partly": by_effect[Effectiveness.PARTLY],
        "not": by_effect[Effectiveness.NOT],
        "pending": not_evaluated,
    }
    return Section(
        summary=summary,
        columns=[
            _("Kind"),
            _("Process"),
            _("Description"),
            pgettext("risk level", "Level"),
            _("Band"),
            _("Treatment"),
            _("Effectiveness"),
            _("Evaluated on"),
        ],
        rows=rows,
        links=[
            {
                "label": _("Risks and opportunities"),
                "url": reverse("planning_risks", args=[unit.pk]),
            }
        ],
        figures={
            "by_band": by_band,
            "evaluated": len(rows),
            "by_effectiveness": by_effect,
            "not_evaluated": not_evaluated,
        },
    )
