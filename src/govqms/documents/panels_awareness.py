"""Home panels of distribution and awareness and of the periodic review, and the
daily sweep jobs of documents. `register()` is called from DocumentsConfig.ready()."""

from django.utils import timezone

from govqms.core import panels, sweep
from govqms.organizations import selectors as org

from .selectors import awareness as selectors


def reading_panel(user, unit):
    """Agency home: my documents to read here, and the agency's read progress."""
    if not org.can_view_internal(user, unit):
        return None
    is_member = org.is_member_of(user, unit)
    tasks = selectors.my_open_tasks(user, unit) if is_member else None
    progress = selectors.recent_progress(user, unit)
    if not is_member and not progress:
        return None
    return panels.Panel(
        "documents/awareness/panel_reading.html",
        {
            "unit": unit,
            "is_member": is_member,
            "tasks": list(tasks[:5]) if tasks is not None else [],
            "task_count": tasks.count() if tasks is not None else 0,
            "progress": progress,
        },
        order=30,
    )


def reviews_panel(user, unit):
    """Agency home: periodic reviews overdue and due soon."""
    if not org.can_view_internal(user, unit):
        return None
    today = timezone.localdate()
    overdue = selectors.overdue_reviews(user, unit, today=today)
    return panels.Panel(
        "documents/awareness/panel_reviews.html",
        {
            "unit": unit,
            "overdue": list(overdue[:5]),
            "overdue_count": overdue.count(),
            "due_soon_count": selectors.due_soon_reviews(user, unit, today=today).count(),
            "due_soon_days": selectors.DUE_SOON_DAYS,
        },
        order=40,
    )


def oversight_reviews_panel(user):
    """DoST home: agencies with periodic reviews overdue."""
    if not org.is_oversight_user(user):
        return None
    rows = [row for row in selectors.reviews_by_agency(user) if row["overdue"]]
    return panels.Panel(
        "documents/awareness/panel_oversight_reviews.html",
        {
            "rows": rows[:8],
            "agencies_overdue": len(rows),
            "documents_overdue": sum(r["overdue"] for r in rows),
        },
        order=40,
    )


def _activate_due_versions(today):
    from .services.versions import activate_due_versions

    return activate_due_versions(today)


def _send_read_reminders(today):
    from .services.awareness import send_reminders

    return send_reminders(today)


def register() -> None:
    panels.register_agency_panel(reading_panel)
    panels.register_agency_panel(reviews_panel)
    panels.register_oversight_panel(oversight_reviews_panel)
    # Versions first: a version taking effect today gets its read tasks before reminders.
    sweep.register_daily("documents.activate_due_versions", _activate_due_versions)
    sweep.register_daily("documents.send_read_reminders", _send_read_reminders)
