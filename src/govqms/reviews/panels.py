"""Home panel: the agency's last and next management review, and its open actions."""

from govqms.core import panels
from govqms.organizations import selectors as org

from .models import ActionStatus, ReviewStatus
from .selectors import actions, reviews


def agency_panel(user, unit):
    if not org.can_view_internal(user, unit):
        return None
    qs = reviews(user, unit)
    last = qs.exclude(status=ReviewStatus.PLANNED).order_by("-held_at").first()
    upcoming = qs.filter(status=ReviewStatus.PLANNED).order_by("planned_date").first()
    open_actions = actions(user, unit, status=ActionStatus.OPEN)
    overdue = actions(user, unit, overdue=True).count()
    return panels.Panel(
        "reviews/panel_agency.html",
        {
            "unit": unit,
            "last": last,
            "upcoming": upcoming,
            "open_actions": open_actions.count(),
            "overdue": overdue,
        },
        order=60,
    )


def register():
    panels.register_agency_panel(agency_panel)
