"""Every read of management reviews, already filtered to what the user may see.

Callers obtain the agency through `organizations.selectors.get_internal_unit`
(404 for other agencies; an overseer's read is logged), then look reviews and
decisions up inside it with `get_review` / `get_decision`."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from govqms.core.text import search_terms
from govqms.organizations import selectors as org
from govqms.organizations.models import Membership, Unit

from . import inputs
from .models import ActionStatus, ManagementReview, ReviewDecision, ReviewStatus


def reviews(
    user,
    unit: Unit,
    *,
    year: int | None = None,
    status: str | None = None,
    query: str | None = None,
) -> QuerySet[ManagementReview]:
    if not org.can_view_internal(user, unit):
        return ManagementReview.objects.none()
    qs = ManagementReview.objects.filter(unit=unit)
    if year:
        qs = qs.filter(planned_date__year=year)
    if status:
        qs = qs.filter(status=status)
    for term in search_terms(query):
        qs = qs.filter(search_text__contains=term)
    return (
        qs.select_related("chair")
        .annotate(
            n_decisions=Count("decisions", distinct=True),
            n_open=Count("decisions", filter=Q(decisions__status=ActionStatus.OPEN), distinct=True),
        )
        .order_by("-planned_date", "-pk")
    )


def review_years(user, unit: Unit) -> list[int]:
    if not org.can_view_internal(user, unit):
        return []
    years = {
        d.year for d in ManagementReview.objects.filter(unit=unit).dates("planned_date", "year")
    }
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)


def get_review(user, unit: Unit, pk) -> ManagementReview:
    if not org.can_view_internal(user, unit):
        from django.http import Http404

        raise Http404
    return get_object_or_404(
        ManagementReview.objects.select_related("chair", "secretary", "unit"), unit=unit, pk=pk
    )


def get_decision(user, unit: Unit, pk) -> ReviewDecision:
    if not org.can_view_internal(user, unit):
        from django.http import Http404

        raise Http404
    return get_object_or_404(
        ReviewDecision.objects.select_related("review", "owner"), unit=unit, pk=pk
    )


def review_inputs(user, review: ManagementReview) -> dict:
    """The inputs as the review shows them: frozen once held, else compiled now.
    {"frozen": bool, "at": datetime, "sections": [{"key", "title", "sections",
    "comment"}]}. Titles come from the registry (the reader's language)."""
    if not org.can_view_internal(user, review.unit):
        return {"frozen": False, "at": None, "inputs": []}
    if review.is_frozen:
        compiled, at, frozen = review.frozen_inputs, review.frozen_at, True
    else:
        compiled = inputs.compile_inputs(
            review.unit, review.period_start, review.period_end, review=review, reader=user
        )
        at, frozen = timezone.now(), False
    titles = {key: str(title) for key, title in inputs.INPUT_KEYS}
    comments = review.comments or {}
    out = []
    for item in compiled:
        out.append(
            {
                "key": item["key"],
                "title": titles.get(item["key"], item.get("title", item["key"])),
                "sections": item.get("sections") or [],
                "comment": comments.get(item["key"], ""),
            }
        )
    return {"frozen": frozen, "at": at, "inputs": out}


def decisions(user, review: ManagementReview) -> QuerySet[ReviewDecision]:
    if not org.can_view_internal(user, review.unit):
        return ReviewDecision.objects.none()
    return review.decisions.select_related("owner").order_by("pk")


def actions(
    user,
    unit: Unit,
    *,
    status: str | None = None,
    owner=None,
    overdue: bool = False,
    query: str | None = None,
) -> QuerySet[ReviewDecision]:
    """The actions of every review of the agency."""
    if not org.can_view_internal(user, unit):
        return ReviewDecision.objects.none()
    qs = ReviewDecision.objects.filter(unit=unit).select_related("review", "owner")
    if status:
        qs = qs.filter(status=status)
    if owner is not None:
        qs = qs.filter(owner=owner)
    if overdue:
        qs = qs.filter(status=ActionStatus.OPEN, due_date__lt=timezone.localdate())
    if query:
        qs = qs.filter(text__icontains=query.strip())
    return qs.order_by("status", "due_date", "pk")


def members(user, unit: Unit) -> QuerySet:
    """People who may chair, attend or own an action (active members)."""
    from django.contrib.auth import get_user_model

    if not org.can_view_internal(user, unit):
        return get_user_model().objects.none()
    ids = Membership.objects.active_on().filter(unit=unit).values("user_id")
    return get_user_model().objects.filter(pk__in=ids).order_by("full_name", "username")


def heads(unit: Unit) -> list:
    from govqms.organizations.models import Role

    return [
        m.user
        for m in Membership.objects.active_on()
        .filter(unit=unit, role=Role.HEAD)
        .select_related("user")
    ]


# ---------------------------------------------------------------- formalism signals
# No user filter: callers (the lifecycle and the DoST signals) have checked the unit.


def _held_in_year(unit: Unit, year: int) -> QuerySet[ManagementReview]:
    start = dt.date(year, 1, 1)
    end = dt.date(year, 12, 31)
    return ManagementReview.objects.filter(
        unit=unit,
        status__in=[ReviewStatus.HELD, ReviewStatus.MINUTES_ISSUED],
        held_at__date__gte=start,
        held_at__date__lte=end,
    ).order_by("held_at")


def review_held_in_year(unit: Unit, year: int) -> ManagementReview | None:
    """The first review of the agency held in `year` (None if none was)."""
    return _held_in_year(unit, year).first()


def reviews_without_decisions(unit: Unit, year: int) -> QuerySet[ManagementReview]:
    """Reviews held in `year` that recorded no decision (a formalism signal)."""
    return _held_in_year(unit, year).annotate(n=Count("decisions")).filter(n=0)
