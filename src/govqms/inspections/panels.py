"""Home panels: the agency's open inspection and its corrective report due; for the
DoST, the progress of this year's inspection plan."""

from django.utils import timezone

from govqms.core import panels
from govqms.organizations import selectors as org

from . import selectors


def agency_panel(user, unit):
    if not org.can_view_internal(user, unit):
        return None
    items = selectors.agency_due(user, unit)
    if not items:
        return None
    return panels.Panel(
        "inspections/panel_agency.html",
        {"unit": unit, "items": items, "today": timezone.localdate()},
        order=45,
    )


def oversight_panel(user):
    if not org.is_oversight_user(user):
        return None
    year = timezone.localdate().year
    plan = selectors.plan_for_year(user, year)
    if plan is None:
        return panels.Panel(
            "inspections/panel_oversight.html", {"plan": None, "year": year}, order=45
        )
    return panels.Panel(
        "inspections/panel_oversight.html",
        {"plan": plan, "year": year, "counts": selectors.plan_counts(plan)},
        order=45,
    )


def register():
    panels.register_agency_panel(agency_panel)
    panels.register_oversight_panel(oversight_panel)
