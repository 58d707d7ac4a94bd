"""Outputs (9.3.3): decisions become tracked actions, reminded when overdue, shown
in the next review's inputs; a decision may open a nonconformity."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from govqms.core.models import Notification
from govqms.core.sweep import daily_jobs
from govqms.reviews import selectors, services
from tests.kpis.factories import VN
from tests.reviews.factories import held, plan


def _first_review(w):
    return held(
        w,
        title="Xem xét lần 1",
        planned_date=dt.date(2026, 1, 10),
        held_at=dt.datetime(2026, 1, 10, 8, 30, tzinfo=VN),
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2026, 1, 9),
    )


def test_decisions_become_actions_and_feed_the_next_review(world):
    w = world
    first = _first_review(w)
    decision = services.add_decision(
        w.a_secretary,
        first,
        kind="qms_change",
        text="Sửa quy trình tiếp nhận hồ sơ",
        owner=w.a_staff,
        due_date=dt.date(2026, 4, 30),
    )
    assert decision.status == "open"
    assert list(selectors.actions(w.a_staff, w.a)) == [decision]
    # The owner is told of the new action.
    assert Notification.objects.filter(user=w.a_staff, key=f"review_action:{decision.pk}").exists()

    second = plan(w)
    inputs = selectors.review_inputs(w.a_head, second)["inputs"]
    assert inputs[0]["key"] == "previous_actions"
    assert "Sửa quy trình tiếp nhận hồ sơ" in str(inputs[0]["sections"])

    # The owner completes it (with evidence); the next review shows it done.
    with pytest.raises(ValidationError):
        services.update_action(w.a_staff, decision, status="done")
    services.update_action(
        w.a_staff, decision, status="done", done_on=dt.date(2026, 4, 2), evidence="QT-01 lần 2"
    )
    inputs = selectors.review_inputs(w.a_head, second)["inputs"]
    assert inputs[0]["sections"][0]["figures"]["done"] == 1
    assert "02/04/2026" in str(inputs[0]["sections"][0]["rows"])


def test_decisions_only_once_held_and_by_managers(world):
    w = world
    planned = plan(w)
    with pytest.raises(ValidationError):
        services.add_decision(w.a_secretary, planned, kind="improvement", text="x")
    review = services.hold_review(w.a_secretary, planned)
    with pytest.raises(PermissionDenied):
        services.add_decision(w.a_staff, review, kind="improvement", text="x")
    with pytest.raises(ValidationError):
        services.add_decision(
            w.a_secretary, review, kind="improvement", text="x", owner=w.b_secretary
        )
    services.add_decision(w.a_head, review, kind="resource_need", text="Thêm 01 máy tính")
    services.issue_minutes(w.a_secretary, review, number="05/BB-UBND")
    with pytest.raises(ValidationError):
        services.add_decision(w.a_secretary, review, kind="improvement", text="muộn")


def test_only_the_owner_or_a_manager_updates_an_action(world):
    w = world
    review = _first_review(w)
    decision = services.add_decision(
        w.a_secretary, review, kind="improvement", text="Đào tạo", owner=w.a_staff
    )
    other = w.users["a_process_owner"]
    with pytest.raises(PermissionDenied):
        services.update_action(other, decision, evidence="x")
    with pytest.raises(PermissionDenied):
        services.update_action(w.dost_officer, decision, evidence="x")
    with pytest.raises(PermissionDenied):  # the owner may not move the due date
        services.update_action(w.a_staff, decision, due_date=dt.date(2027, 1, 1))
    services.update_action(w.a_staff, decision, evidence="Danh sách học viên")
    services.update_action(w.a_head, decision, due_date=dt.date(2027, 1, 1))
    decision.refresh_from_db()
    assert decision.evidence == "Danh sách học viên" and decision.due_date == dt.date(2027, 1, 1)


def test_overdue_actions_are_reminded_once_to_owner_and_head(world):
    w = world
    review = _first_review(w)
    late = services.add_decision(
        w.a_secretary,
        review,
        kind="improvement",
        text="Việc trễ",
        owner=w.a_staff,
        due_date=dt.date(2026, 2, 1),
    )
    services.add_decision(
        w.a_secretary,
        review,
        kind="improvement",
        text="Việc chưa đến hạn",
        owner=w.a_staff,
        due_date=dt.date(2026, 5, 1),
    )
    job = daily_jobs()["review_overdue_actions"]
    assert job(dt.date(2026, 3, 1)) == 2  # the owner and the head
    assert job(dt.date(2026, 3, 2)) == 0  # once per key
    key = f"review_action_overdue:{late.pk}"
    assert set(Notification.objects.filter(key=key).values_list("user__username", flat=True)) == {
        "a_staff",
        "a_head",
    }
    services.update_action(w.a_staff, late, status="done", evidence="Xong")
    assert job(dt.date(2026, 6, 1)) == 2  # only the other action, now overdue


def test_a_decision_can_open_a_nonconformity(world):
    pytest.importorskip("govqms.improvement.services")
    from govqms.improvement.models import Nonconformity

    w = world
    review = _first_review(w)
    decision = services.add_decision(
        w.a_secretary,
        review,
        kind="improvement",
        text="Hồ sơ trễ hạn lặp lại ở bước thẩm định",
        owner=w.a_staff,
        due_date=dt.date(2026, 6, 30),
        raise_nonconformity=True,
    )
    nc = Nonconformity.objects.get(
        unit=w.a, source_kind="management_review", source_id=str(decision.pk)
    )
    assert decision.nonconformity_id == str(nc.pk)
    assert decision.nonconformity_url
    # Idempotent: raising again returns the same nonconformity.
    services.raise_nonconformity_for(w.a_secretary, decision)
    assert Nonconformity.objects.filter(unit=w.a, source_kind="management_review").count() == 1


def test_formalism_selectors(world):
    w = world
    assert selectors.review_held_in_year(w.a, 2026) is None
    review = _first_review(w)
    assert selectors.review_held_in_year(w.a, 2026) == review
    assert selectors.review_held_in_year(w.a, 2025) is None
    assert list(selectors.reviews_without_decisions(w.a, 2026)) == [review]
    services.add_decision(w.a_secretary, review, kind="improvement", text="Cải tiến")
    assert list(selectors.reviews_without_decisions(w.a, 2026)) == []
    plan(w, title="Chưa họp")  # planned only: not held
    assert selectors.review_held_in_year(w.b, 2026) is None
