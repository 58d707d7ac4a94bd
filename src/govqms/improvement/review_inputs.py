"""Management review inputs (ISO 9001:2015, 9.3.2) held by this app:
"nonconformities" (nonconformities and corrective actions) and
"improvement_opportunities" (improvements recorded on nonconformities closed as
effective). Plain JSON-able data, so the review can freeze it."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from govqms.reviews.inputs import Section, register

from . import selectors
from .models import Source, Status


def _link(nc) -> dict:
    return {
        "label": f"{nc.number} {nc.title}",
        "url": reverse("nc_detail", args=[nc.unit_id, nc.pk]),
    }


@register("nonconformities")
def nonconformities_input(unit, start, end) -> Section:
    data = selectors.period_summary(unit, start, end)
    opened, closed, overdue = data["opened"], data["closed"], data["overdue_actions"]
    statuses = dict(Status.choices)
    sources = dict(Source.choices)
    open_by_status = {
        str(statuses.get(k, k)): n for k, n in data["open_by_status"].items() if k != Status.CLOSED
    }
    by_source = {str(sources.get(k, k)): n for k, n in data["by_source"].items()}
    summary = _(
        "%(opened)d nonconformities opened and %(closed)d closed in the period; "
        "%(open)d not closed at its end; %(overdue)d corrective actions overdue."
    ) % {
        "opened": len(opened),
        "closed": len(closed),
        "open": sum(open_by_status.values()),
        "overdue": len(overdue),
    }
    rows, links, seen = [], [], set()
    for nc in [*opened, *closed]:
        if nc.pk in seen:
            continue
        seen.add(nc.pk)
        rows.append(
            [
                nc.number,
                nc.title,
                str(sources.get(nc.source_kind, nc.source_kind)),
                nc.clause,
                str(statuses.get(nc.status, nc.status)),
                nc.detected_on.isoformat(),
                nc.closed_on.isoformat() if nc.closed_on else "",
            ]
        )
        links.append(_link(nc))
    links.append(
        {"label": str(_("All nonconformities")), "url": reverse("nc_list", args=[unit.pk])}
    )
    return Section(
        summary=str(summary),
        columns=[
            str(_("Number")),
            str(_("Title")),
            str(_("Source")),
            str(_("Clause")),
            str(_("Status")),
            str(_("Detected on")),
            str(_("Closed on")),
        ],
        rows=rows,
        links=links,
        figures={
            "opened": len(opened),
            "closed": len(closed),
            "open_by_status": open_by_status,
            "by_source": by_source,
            "overdue_actions": len(overdue),
            "overdue": [
                {
                    "number": a.nonconformity.number,
                    "action": a.text[:200],
                    "owner": str(a.owner),
                    "due": a.due_date.isoformat(),
                }
                for a in overdue
            ],
        },
    )


@register("improvement_opportunities")
def improvement_opportunities_input(unit, start, end) -> Section:
    ncs = list(selectors.closed_with_improvements(unit, start, end))
    return Section(
        summary=str(
            ngettext(
                "%(n)d improvement recorded on nonconformities closed as effective.",
                "%(n)d improvements recorded on nonconformities closed as effective.",
                len(ncs),
            )
            % {"n": len(ncs)}
        ),
        columns=[str(_("Number")), str(_("Nonconformity")), str(_("Improvement"))],
        rows=[[nc.number, nc.title, nc.improvements] for nc in ncs],
        links=[_link(nc) for nc in ncs],
        figures={"count": len(ncs)},
    )
