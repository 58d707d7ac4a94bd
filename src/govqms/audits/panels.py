"""Agency home panel: this year's internal audit, the next one planned, and the audits
the signed-in user is to conduct."""

from django.db.models import Q
from django.utils import timezone

from govqms.core import panels
from govqms.organizations import selectors as org

from . import selectors


def agency_panel(user, unit):
    if not org.can_view_internal(user, unit):
        return None
    year = timezone.localdate().year
    open_plans = selectors.open_plans(user, unit)
    mine = (
        list(open_plans.filter(Q(lead=user) | Q(team=user)).distinct()[:5])
        if getattr(user, "is_authenticated", False)
        else []
    )
    return panels.Panel(
        "audits/panel_agency.html",
        {
            "unit": unit,
            "year": year,
            "done": selectors.audit_completed_in_year(unit, year),
            "next": open_plans.first(),
            "mine": mine,
        },
        order=40,
    )


def register():
    panels.register_agency_panel(agency_panel)
