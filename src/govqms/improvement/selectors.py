"""Every read of nonconformities and corrective actions.

An agency's nonconformities are internal records: callers obtain the unit through
`organizations.selectors.get_internal_unit` (404 for outsiders, overseers' reads
logged), then read within that unit only."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from govqms.core.text import search_terms
from govqms.documents.models import Document
from govqms.organizations import selectors as org
from govqms.organizations.models import Membership, Unit

from .models import ActionStatus, CorrectiveAction, Nonconformity, Status


def _today() -> dt.date:
    return timezone.localdate()


# ---------------------------------------------------------------- contract helpers


def nonconformities_for_source(unit: Unit, source_kind: str, source_ids) -> dict:
    """{source_id: Nonconformity} for the given source records of `unit` (no user
    filter: the caller has already checked the unit)."""
    ids = [str(i) for i in source_ids if str(i)]
    if not ids:
        return {}
    qs = Nonconformity.objects.filter(unit=unit, source_kind=source_kind, source_id__in=ids)
    return {nc.source_id: nc for nc in qs}


def actions_closed_same_day(unit: Unit, start: dt.date, end: dt.date) -> QuerySet:
    """Corrective actions of `unit` marked done on the day they were created, done
    between `start` and `end` (inclusive): a formalism signal."""
    from django.db.models import F

    return (
        CorrectiveAction.objects.filter(
            nonconformity__unit=unit,
            status=ActionStatus.DONE,
            done_on__gte=start,
            done_on__lte=end,
            done_on=F("created_on"),
        )
        .select_related("nonconformity", "owner")
        .order_by("done_on", "pk")
    )


# ---------------------------------------------------------------- pages


def overdue_actions_q(today: dt.date | None = None) -> Q:
    return Q(status=ActionStatus.OPEN, due_date__lt=today or _today())


def nonconformities(
    user,
    unit: Unit,
    *,
    status: str | None = None,
    source: str | None = None,
    grade: str | None = None,
    overdue: bool = False,
    query: str | None = None,
) -> QuerySet[Nonconformity]:
    """The nonconformities of `unit` (obtained through get_internal_unit)."""
    if not org.can_view_internal(user, unit):
        return Nonconformity.objects.none()
    today = _today()
    overdue_sub = CorrectiveAction.objects.filter(
        overdue_actions_q(today), nonconformity=OuterRef("pk")
    )
    qs = Nonconformity.objects.filter(unit=unit).annotate(
        has_overdue=Exists(overdue_sub),
        action_count=Count("actions", distinct=True),
        open_action_count=Count(
            "actions", filter=Q(actions__status=ActionStatus.OPEN), distinct=True
        ),
    )
    if status == "not_closed":
        qs = qs.exclude(status=Status.CLOSED)
    elif status:
        qs = qs.filter(status=status)
    if source:
        qs = qs.filter(source_kind=source)
    if grade == "none":
        qs = qs.filter(grade="")
    elif grade:
        qs = qs.filter(grade=grade)
    if overdue:
        qs = qs.filter(has_overdue=True)
    for term in search_terms(query):
        qs = qs.filter(search_text__contains=term)
    return qs.select_related("process").order_by("-detected_on", "-year", "-seq")


def get_nonconformity(user, unit: Unit, pk) -> Nonconformity:
    if not org.can_view_internal(user, unit):
        raise Http404("No such nonconformity.")
    try:
        return Nonconformity.objects.select_related(
            "unit",
            "process",
            "raised_by",
            "correction_by",
            "analysed_by",
            "evaluated_by",
            "closed_by",
        ).get(unit=unit, pk=pk)
    except (Nonconformity.DoesNotExist, ValueError, TypeError):
        raise Http404("No such nonconformity.") from None


def get_action(user, unit: Unit, nc_pk, pk) -> CorrectiveAction:
    nc = get_nonconformity(user, unit, nc_pk)
    try:
        return nc.actions.select_related("owner", "nonconformity__unit").get(pk=pk)
    except (CorrectiveAction.DoesNotExist, ValueError, TypeError):
        raise Http404("No such action.") from None


def actions_of(nc: Nonconformity) -> list[CorrectiveAction]:
    return list(nc.actions.select_related("owner").order_by("due_date", "pk"))


def history(user, nc: Nonconformity):
    """The audit entries of this nonconformity (and of its actions), newest first."""
    return (
        org.audit_entries(user, nc.unit)
        .filter(object_type="improvement.nonconformity", object_id=str(nc.pk))
        .select_related("actor")
    )


def owner_choices(unit: Unit):
    """People who may own an action: the agency's active members."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    ids = Membership.objects.active_on().filter(unit=unit).values("user_id")
    return User.objects.filter(pk__in=ids).order_by("full_name", "username")


def people_names(unit: Unit, ids) -> dict[int, str]:
    """Display names of the given users, for the history of a record of `unit`
    (the caller has checked the unit)."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(pk__in=list(ids))
    return {u.pk: u.display_name for u in users}


def process_choices(unit: Unit):
    return Document.objects.filter(unit=unit).order_by("code")


def can_manage(user, unit_or_obj) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.has_perm(
        "improvement.manage", unit_or_obj
    )


def can_open(user, unit) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.has_perm(
        "improvement.open", unit
    )


def can_complete(user, action) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.has_perm(
        "improvement.complete_action", action
    )


# ---------------------------------------------------------------- counts


def overdue_action_count(unit: Unit, today: dt.date | None = None) -> int:
    return (
        CorrectiveAction.objects.filter(overdue_actions_q(today), nonconformity__unit=unit)
        .exclude(nonconformity__status=Status.CLOSED)
        .count()
    )


def overdue_counts(units, today: dt.date | None = None) -> dict[int, int]:
    """{unit id: overdue actions} for many units in one query."""
    rows = (
        CorrectiveAction.objects.filter(overdue_actions_q(today), nonconformity__unit__in=units)
        .exclude(nonconformity__status=Status.CLOSED)
        .values("nonconformity__unit_id")
        .annotate(n=Count("pk"))
    )
    return {r["nonconformity__unit_id"]: r["n"] for r in rows}


def status_counts(unit: Unit) -> dict[str, int]:
    rows = Nonconformity.objects.filter(unit=unit).values("status").annotate(n=Count("pk"))
    return {r["status"]: r["n"] for r in rows}


# ---------------------------------------------------------------- review inputs


def period_summary(unit: Unit, start: dt.date, end: dt.date) -> dict:
    """Figures of the 'nonconformities and corrective actions' review input."""
    opened = Nonconformity.objects.filter(unit=unit, detected_on__gte=start, detected_on__lte=end)
    closed = Nonconformity.objects.filter(
        unit=unit, status=Status.CLOSED, closed_on__gte=start, closed_on__lte=end
    )
    open_now = Nonconformity.objects.filter(unit=unit, detected_on__lte=end).exclude(
        status=Status.CLOSED, closed_on__lte=end
    )
    by_status = Counter(open_now.values_list("status", flat=True))
    by_source = Counter(opened.values_list("source_kind", flat=True))
    overdue = (
        CorrectiveAction.objects.filter(
            nonconformity__unit=unit, due_date__lt=end, nonconformity__detected_on__lte=end
        )
        .filter(Q(status=ActionStatus.OPEN) | Q(done_on__gt=end))
        .select_related("nonconformity", "owner")
        .order_by("due_date")
    )
    return {
        "opened": list(opened.order_by("detected_on", "seq")),
        "closed": list(closed.order_by("closed_on", "seq")),
        "open_by_status": dict(by_status),
        "by_source": dict(by_source),
        "overdue_actions": list(overdue),
    }


def closed_with_improvements(unit: Unit, start: dt.date, end: dt.date):
    return (
        Nonconformity.objects.filter(
            unit=unit,
            status=Status.CLOSED,
            effective=True,
            closed_on__gte=start,
            closed_on__lte=end,
        )
        .exclude(improvements="")
        .order_by("closed_on", "seq")
    )
