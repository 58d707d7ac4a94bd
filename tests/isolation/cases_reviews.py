"""Isolation cases of management reviews (reviews/urls.py and reviews/api_urls.py)."""

import datetime as dt

from tests.isolation import AGENCY, MANAGE, Route, target_secretary
from tests.isolation.cases_documents import once


def _plan(w, target, title):
    from govqms.reviews import services

    secretary = target_secretary(w, target)
    return services.plan_review(
        secretary,
        target,
        title=title,
        planned_date=dt.date(2026, 12, 15),
        chair=secretary,
        attendees=[secretary],
    )


@once
def _planned(w, target):
    return _plan(w, target, f"Xem xét dự kiến {target.code}")


@once
def _held(w, target):
    from govqms.reviews import services

    secretary = target_secretary(w, target)
    review = services.hold_review(secretary, _plan(w, target, f"Xem xét {target.code}"))
    decision = services.add_decision(
        secretary,
        review,
        kind="improvement",
        text=f"Cải tiến quy trình {target.code}",
        owner=secretary,
        due_date=dt.date(2027, 3, 1),
    )
    return review, decision


def _unit(w, target):
    _held(w, target)
    return {"unit_pk": target.pk}


def _planned_kwargs(w, target):
    return {"unit_pk": target.pk, "pk": _planned(w, target).pk}


def _held_kwargs(w, target):
    return {"unit_pk": target.pk, "pk": _held(w, target)[0].pk}


def _action_kwargs(w, target):
    return {"unit_pk": target.pk, "pk": _held(w, target)[1].pk}


ROUTES = {
    "review_list": Route(AGENCY, _unit),
    "review_create": Route(MANAGE, _unit),
    "review_detail": Route(AGENCY, _held_kwargs),
    "review_edit": Route(MANAGE, _planned_kwargs),
    "review_hold": Route(MANAGE, _planned_kwargs),
    "review_comment": Route(
        MANAGE,
        _held_kwargs,
        method="post",
        data=lambda w, target: {"key": "resources", "text": "Đủ nguồn lực"},
    ),
    "review_issue_minutes": Route(
        MANAGE, _held_kwargs, method="post", data=lambda w, target: {"number": "01/BB"}
    ),
    "review_decision_add": Route(
        MANAGE,
        _held_kwargs,
        method="post",
        data=lambda w, target: {"kind": "resource_need", "text": "Bổ sung máy scan"},
    ),
    "review_minutes_docx": Route(AGENCY, _held_kwargs),
    "review_minutes_pdf": Route(AGENCY, _held_kwargs),
    "review_actions": Route(AGENCY, _unit),
    "review_action_edit": Route(MANAGE, _action_kwargs),
    "api-review-list": Route(AGENCY, _unit),
    "api-review-detail": Route(AGENCY, _held_kwargs),
    "api-review-inputs": Route(AGENCY, _held_kwargs),
    "api-review-decisions": Route(AGENCY, _held_kwargs),
    "api-review-actions": Route(AGENCY, _unit),
    "api-review-action-detail": Route(AGENCY, _action_kwargs),
}
