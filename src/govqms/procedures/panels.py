"""Home panels: an agency's overdue ISO list updates and coverage; for the DoST, the
agencies of its subtree with overdue list updates."""

from govqms.core import panels
from govqms.organizations import selectors as org

from . import selectors


def agency_panel(user, unit):
    if not org.can_view_internal(user, unit):
        return None
    coverage = selectors.coverage(unit)
    overdue = list(selectors.overdue_list_updates(user, unit))
    if not coverage.assigned and not overdue:
        return None
    return panels.Panel(
        "procedures/panel_agency.html",
        {"unit": unit, "coverage": coverage, "overdue": overdue},
        order=30,
    )


def oversight_panel(user):
    if not org.is_oversight_user(user):
        return None
    return panels.Panel(
        "procedures/panel_oversight.html", selectors.overdue_list_updates_by_agency(user), order=30
    )


def register():
    panels.register_agency_panel(agency_panel)
    panels.register_oversight_panel(oversight_panel)
