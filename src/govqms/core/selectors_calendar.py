"""Reads of the working calendar's overrides, and who may change them.

The working calendar holds no agency data: every signed-in user may read it. National
overrides (empty scope) are changed by superusers only; a province's overrides by the
DoST administrators whose administered root unit lies in that province."""

import datetime as dt

from django.db.models import QuerySet
from django.http import Http404

from govqms.organizations import selectors as org

from .models import CalendarOverride


def overrides_for_engine(scope: str = "") -> tuple:
    """The national overrides and, for a province, its own: what `Calendar.for_scope`
    builds from (as `calendar.Override`, in a stable order)."""
    from .calendar import Override

    scopes = {"", scope or ""}
    rows = (
        CalendarOverride.objects.filter(scope__in=scopes)
        .order_by("scope", "date")
        .values_list("date", "kind", "scope", "legal_basis", "note")
    )
    return tuple(Override(*row) for row in rows)


def overrides(scope: str = "", year: int | None = None) -> QuerySet[CalendarOverride]:
    """Overrides that apply to `scope` (the national ones and the province's own)."""
    qs = CalendarOverride.objects.filter(scope__in={"", scope or ""})
    if year is not None:
        qs = qs.filter(date__gte=dt.date(year, 1, 1), date__lte=dt.date(year, 12, 31))
    return qs.select_related("created_by").order_by("date", "scope")


def get_override(pk) -> CalendarOverride:
    try:
        return CalendarOverride.objects.select_related("created_by").get(pk=pk)
    except (CalendarOverride.DoesNotExist, ValueError, TypeError):
        raise Http404("No such calendar override.") from None


def is_calendar_admin(user) -> bool:
    """May this user change any part of the working calendar (a DoST administrator)?"""
    return bool(org.admin_roots(user))


def editable_scopes(user) -> list[str]:
    """The scopes this user may add overrides to: "" (national) for a superuser, and
    the provinces of the units they administer."""
    if not getattr(user, "is_authenticated", False):
        return []
    scopes = [""] if user.is_superuser else []
    for root in org.admin_roots(user):
        if root.province and root.province not in scopes:
            scopes.append(root.province)
    return scopes


def can_edit_scope(user, scope: str) -> bool:
    return (scope or "") in editable_scopes(user)


def visible_scopes(user) -> list[str]:
    """Scopes offered on the calendar page: national, then the provinces of the units
    the user works in or oversees."""
    scopes = [""]
    units = list(org.oversight_roots(user)) + list(org.agency_units(user))
    for unit in units:
        if unit.province and unit.province not in scopes:
            scopes.append(unit.province)
    return scopes


def default_scope(user) -> str:
    """The province whose calendar a user sees first (their own), else national."""
    scopes = editable_scopes(user) + visible_scopes(user)
    return next((s for s in scopes if s), "")
