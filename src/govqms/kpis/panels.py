"""Home panels: the headline service figures of the last 12 months."""

from govqms.core import panels
from govqms.organizations import selectors as org

from . import selectors


def agency_panel(user, unit):
    if not org.can_view_internal(user, unit):
        return None
    kpis = selectors.headline(user, unit)
    if kpis is None or not (kpis.received or kpis.resolved or kpis.overdue_open):
        return None
    return panels.Panel("kpis/panel_agency.html", {"unit": unit, "kpis": kpis}, order=40)


def oversight_panel(user):
    if not org.is_oversight_user(user):
        return None
    kpis = selectors.headline(user)
    return panels.Panel("kpis/panel_oversight.html", {"kpis": kpis}, order=40)


def register():
    panels.register_agency_panel(agency_panel)
    panels.register_oversight_panel(oversight_panel)
