"""The "satisfaction" input of the management review (9.3.2 c): the satisfaction
index over the review period, the number of responses, the lowest-rated TTHC and
questions, and the complaints received, answered and overdue."""

from django.urls import reverse
from django.utils.translation import gettext as _

from govqms.reviews.inputs import Section, register

from . import selectors

LOWEST = 3


def _pct(value) -> str:
    return "—" if value is None else f"{value:.1f} %".replace(".", ",")


@register("satisfaction")
def satisfaction(unit, start, end) -> Section:
    index = selectors.satisfaction_index(unit, start, end)
    figures = selectors.complaint_figures(unit, start, end)
    procedures = sorted(
        (r for r in index.by_procedure if r.index is not None), key=lambda r: r.index
    )[:LOWEST]
    questions = sorted(
        (r for r in index.by_question if r.index is not None), key=lambda r: r.index
    )[:LOWEST]
    summary = _(
        "%(n)s survey responses, satisfaction index %(index)s (%(sat)s satisfied); "
        "%(rec)s complaints received, %(ans)s answered, %(over)s overdue."
    ) % {
        "n": index.responses,
        "index": _pct(index.index),
        "sat": _pct(index.satisfied_share),
        "rec": figures["received"],
        "ans": figures["answered"],
        "over": figures["overdue"],
    }
    rows = [[_("Lowest-rated procedure"), r.label, r.responses, _pct(r.index)] for r in procedures]
    rows += [[_("Lowest-rated question"), r.label, r.responses, _pct(r.index)] for r in questions]
    query = f"?period=year&year={start.year}" if start.year == end.year else ""
    return Section(
        summary=summary,
        columns=[_("Kind"), _("Item"), _("Responses"), _("Index")],
        rows=rows,
        links=[
            {
                "label": _("Satisfaction index"),
                "url": reverse("satisfaction", args=[unit.pk]) + query,
            },
            {"label": _("Complaints"), "url": reverse("complaint_list", args=[unit.pk])},
        ],
        figures={
            "responses": index.responses,
            "index": index.index,
            "satisfied_share": index.satisfied_share,
            "complaints_received": figures["received"],
            "complaints_answered": figures["answered"],
            "complaints_answered_late": figures["answered_late"],
            "complaints_overdue": figures["overdue"],
            "complaints_open": figures["open"],
        },
    )
