"""Home panels of legal updates: the agency's open tasks, and for the DoST the
agencies with the most overdue tasks."""

from govqms.core import panels
from govqms.organizations import selectors as org

from .selectors import legal as selectors


def agency_panel(user, unit):
    if not org.can_view_internal(user, unit):
        return None
    context = selectors.open_tasks_summary(user, unit)
    context["unit"] = unit
    return panels.Panel("documents/legal/panel_agency.html", context, order=40)


def oversight_panel(user):
    if not org.is_oversight_user(user):
        return None
    return panels.Panel(
        "documents/legal/panel_oversight.html", selectors.overdue_by_agency(user), order=40
    )


def register():
    from .services import legal  # noqa: F401  (registers documents.manage_legal)

    panels.register_agency_panel(agency_panel)
    panels.register_oversight_panel(oversight_panel)
