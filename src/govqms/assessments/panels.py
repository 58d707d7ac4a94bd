"""Home panels: the agency's yearly assessment (status and deadline); for the DoST,
the progress of its open campaign."""

from govqms.core import panels
from govqms.organizations import selectors as org

from . import selectors


def agency_panel(user, unit):
    if not org.can_view_internal(user, unit):
        return None
    assessment = selectors.latest_unit_assessment(user, unit)
    return panels.Panel(
        "assessments/panel_agency.html",
        {"unit": unit, "assessment": assessment},
        order=15,
    )


def oversight_panel(user):
    if not org.is_oversight_user(user):
        return None
    campaign = selectors.current_campaign(user)
    return panels.Panel(
        "assessments/panel_oversight.html",
        {
            "campaign": campaign,
            "progress": selectors.campaign_progress(user, campaign) if campaign else None,
        },
        order=15,
    )


def register():
    panels.register_agency_panel(agency_panel)
    panels.register_oversight_panel(oversight_panel)
