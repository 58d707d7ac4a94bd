"""Home panels: the agency's satisfaction index this quarter and its open complaints;
for the DoST, the lowest and highest agencies of its subtree this quarter."""

import datetime as dt

from django.utils import timezone

from govqms.core import panels
from govqms.organizations import selectors as org

from . import selectors


def agency_panel(user, unit):
    if not org.can_view_internal(user, unit):
        return None
    period = selectors.parse_period({}, timezone.localdate())
    index = selectors.satisfaction_index(unit, period.start, period.end)
    figures = selectors.complaint_figures(unit, dt.date(2000, 1, 1), timezone.localdate())
    return panels.Panel(
        "feedback/panel_agency.html",
        {"unit": unit, "period": period, "index": index, "figures": figures},
        order=60,
    )


def oversight_panel(user):
    if not org.is_oversight_user(user):
        return None
    period = selectors.parse_period({}, timezone.localdate())
    ranking = selectors.oversight_ranking(user, period.start, period.end)
    rows = [r for r in ranking if r["index"] is not None]
    overdue = sum(r["overdue"] for r in ranking)
    return panels.Panel(
        "feedback/panel_oversight.html",
        {
            "period": period,
            "rated": len(rows),
            "lowest": rows[::-1][:3],
            "highest": rows[:3],
            "overdue": overdue,
        },
        order=60,
    )


def register():
    panels.register_agency_panel(agency_panel)
    panels.register_oversight_panel(oversight_panel)
