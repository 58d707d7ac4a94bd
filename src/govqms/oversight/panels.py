"""Home panels: an agency's lifecycle (Decision 19/2014) and its own signals; for the
DoST, the agencies of its subtree with the most formalism signals."""

from django.utils import timezone

from govqms.core import panels
from govqms.organizations import selectors as org

from . import selectors


def agency_panel(user, unit):
    if not org.can_view_internal(user, unit):
        return None
    year = timezone.localdate().year
    return panels.Panel(
        "oversight/panel_agency.html",
        {
            "unit": unit,
            "year": year,
            "lifecycle": selectors.agency_lifecycle(user, unit, year),
            "signals": selectors.unit_signals(user, unit, year),
        },
        order=10,
    )


def oversight_panel(user):
    if not org.is_oversight_user(user):
        return None
    return panels.Panel(
        "oversight/panel_oversight.html",
        selectors.top_signal_agencies(user, timezone.localdate().year),
        order=10,
    )


def register():
    panels.register_agency_panel(agency_panel)
    panels.register_oversight_panel(oversight_panel)
