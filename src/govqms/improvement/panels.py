"""Home panels: an agency's nonconformities and overdue corrective actions; for the
DoST, the agencies of its subtree with overdue corrective actions."""

from govqms.core import panels
from govqms.organizations import selectors as org

from . import selectors
from .models import Status


def agency_panel(user, unit):
    if not org.can_view_internal(user, unit):
        return None
    counts = selectors.status_counts(unit)
    not_closed = sum(n for status, n in counts.items() if status != Status.CLOSED)
    return panels.Panel(
        "improvement/panel_agency.html",
        {
            "unit": unit,
            "not_closed": not_closed,
            "total": sum(counts.values()),
            "overdue": selectors.overdue_action_count(unit),
        },
        order=40,
    )


def oversight_panel(user):
    if not org.is_oversight_user(user):
        return None
    units = org.supervised_units(user)
    counts = selectors.overdue_counts(units)
    names = dict(units.filter(pk__in=list(counts)).values_list("pk", "name"))
    rows = sorted(
        ({"unit_id": pk, "name": names.get(pk, ""), "n": n} for pk, n in counts.items()),
        key=lambda r: (-r["n"], r["name"]),
    )
    return panels.Panel(
        "improvement/panel_oversight.html",
        {"rows": rows[:10], "total": sum(counts.values()), "agencies": len(rows)},
        order=40,
    )


def register():
    panels.register_agency_panel(agency_panel)
    panels.register_oversight_panel(oversight_panel)
