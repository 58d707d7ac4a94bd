"""Home panels: the agency's yearly plan and objectives; the DoST's agencies with
overdue plan items."""

from django.utils import timezone

from govqms.core import panels
from govqms.organizations import selectors as org

from . import selectors
from .models import Band, PlanStatus, Status


def agency_panel(user, unit):
    if not org.can_view_internal(user, unit):
        return None
    today = timezone.localdate()
    year = today.year
    items = selectors.plan_items(unit, year)
    objectives = selectors.objectives(unit, year)
    b = selectors.bands(unit)
    open_risks = selectors.risks(unit)
    return panels.Panel(
        "planning/panel_agency.html",
        {
            "unit": unit,
            "year": year,
            "overdue": list(selectors.overdue_plan_items(unit, today)),
            "planned": items.exclude(status=PlanStatus.CANCELLED).count(),
            "done": items.filter(status=PlanStatus.DONE).count(),
            "next": items.filter(status=PlanStatus.PLANNED, start__gte=today).first(),
            "objectives": objectives.count(),
            "off_track": objectives.filter(last_status=Status.OFF_TRACK).count(),
            "never_measured": selectors.objectives_never_measured(unit, year).count(),
            "risks_high": open_risks.filter(score__gte=b.high_from).count(),
            "band_high": Band.HIGH,
        },
        order=50,
    )


def oversight_panel(user):
    if not org.is_oversight_user(user):
        return None
    rows = selectors.overdue_plan_by_agency(user)
    return panels.Panel(
        "planning/panel_oversight.html",
        {"rows": rows, "total": sum(r["count"] for r in rows)},
        order=50,
    )


def register():
    panels.register_agency_panel(agency_panel)
    panels.register_oversight_panel(oversight_panel)
