"""Pages: who may read and write, the forms from plan to minutes."""

import datetime as dt

import pytest
from django.urls import reverse

from govqms.core.models import AuditEntry
from govqms.reviews.models import ManagementReview
from tests.reviews.factories import held, plan


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


def test_list_empty_state_filters_and_year(world, en):
    w = world
    en.force_login(w.a_staff)
    url = reverse("review_list", args=[w.a.pk])
    body = en.get(url).content.decode()
    assert "No management review is recorded for this agency yet." in body
    assert "Plan a review" not in body  # staff read only
    plan(w, title="Xem xét 2026")
    plan(w, title="Xem xét 2025", planned_date=dt.date(2025, 12, 1))
    body = en.get(url, {"year": 2025}).content.decode()
    assert "Xem xét 2025" in body and "Xem xét 2026" not in body
    body = en.get(url, {"status": "held"}).content.decode()
    assert "No management review matches these filters." in body
    body = en.get(url, {"q": "xem xet 2026"}).content.decode()  # accents folded
    assert "Xem xét 2026" in body and "Xem xét 2025" not in body


def test_secretary_plans_holds_comments_decides_and_issues(world, en):
    w = world
    en.force_login(w.a_secretary)
    response = en.post(
        reverse("review_create", args=[w.a.pk]),
        {
            "title": "Họp xem xét 2026",
            "planned_date": "2026-12-15",
            "place": "Hội trường",
            "chair": w.a_head.pk,
            "attendees": [w.a_head.pk, w.a_staff.pk],
            "guests": "Ông X\nBà Y",
            "resources": "Đủ máy tính.",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    review = ManagementReview.objects.get(title="Họp xem xét 2026")
    assert review.period_start == dt.date(2025, 12, 16) and review.secretary == w.a_secretary
    detail = reverse("review_detail", args=[w.a.pk, review.pk])
    body = en.get(detail).content.decode()
    assert "Live: compiled from the records now" in body and "Đủ máy tính." in body

    response = en.post(
        reverse("review_hold", args=[w.a.pk, review.pk]), {"held_at": "2026-12-15T08:00"}
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == "held" and review.frozen_inputs
    en.post(
        reverse("review_comment", args=[w.a.pk, review.pk]), {"key": "resources", "text": "Đạt"}
    )
    en.post(
        reverse("review_decision_add", args=[w.a.pk, review.pk]),
        {
            "kind": "improvement",
            "text": "Mở rộng dịch vụ công trực tuyến",
            "owner": w.a_staff.pk,
            "due_date": "2027-06-30",
        },
    )
    body = en.get(detail).content.decode()
    assert "Frozen on" in body and "Mở rộng dịch vụ công trực tuyến" in body and "Đạt" in body
    en.post(reverse("review_issue_minutes", args=[w.a.pk, review.pk]), {"number": "09/BB"})
    review.refresh_from_db()
    assert review.status == "minutes_issued" and review.number == "09/BB"
    assert AuditEntry.objects.filter(unit=w.a, action="review_held").exists()
    # After the minutes: no more edits.
    response = en.get(reverse("review_edit", args=[w.a.pk, review.pk]))
    assert response.status_code == 302


def test_staff_reads_but_may_not_write(world, en):
    w = world
    review = plan(w)
    en.force_login(w.a_staff)
    assert en.get(reverse("review_detail", args=[w.a.pk, review.pk])).status_code == 200
    assert en.get(reverse("review_create", args=[w.a.pk])).status_code == 403
    assert en.get(reverse("review_edit", args=[w.a.pk, review.pk])).status_code == 403
    assert (
        en.post(
            reverse("review_hold", args=[w.a.pk, review.pk]), {"held_at": "2026-12-15T08:00"}
        ).status_code
        == 403
    )
    review.refresh_from_db()
    assert review.status == "planned"


def test_owner_updates_own_action_others_may_not(world, en):
    from govqms.reviews import services

    w = world
    review = held(w)
    decision = services.add_decision(
        w.a_secretary, review, kind="improvement", text="Đào tạo", owner=w.a_staff
    )
    url = reverse("review_action_edit", args=[w.a.pk, decision.pk])
    en.force_login(w.users["a_process_owner"])
    assert en.get(url).status_code == 403
    en.force_login(w.a_staff)
    response = en.post(
        url, {"status": "done", "done_on": "2027-01-05", "evidence": "Chứng chỉ", "next": "actions"}
    )
    assert response.status_code == 302 and response["Location"].endswith(
        "/management-review-actions/"
    )
    decision.refresh_from_db()
    assert decision.status == "done" and decision.done_on == dt.date(2027, 1, 5)
    body = en.get(reverse("review_actions", args=[w.a.pk]), {"status": "done"}).content.decode()
    assert "Đào tạo" in body
    body = en.get(reverse("review_actions", args=[w.a.pk]), {"status": "overdue"}).content.decode()
    assert "No action matches." in body


def test_dost_reads_read_only_logged_and_outsiders_get_404(world, en):
    w = world
    review = held(w, unit=w.b)
    url = reverse("review_detail", args=[w.b.pk, review.pk])
    en.force_login(w.dost_officer)
    body = en.get(url).content.decode()
    assert "Hold the meeting" not in body and "Add the decision" not in body
    assert AuditEntry.objects.filter(
        unit=w.b, action="oversight_read", actor=w.dost_officer
    ).exists()
    assert (
        en.post(
            reverse("review_comment", args=[w.b.pk, review.pk]), {"key": "resources", "text": "x"}
        ).status_code
        == 403
    )
    en.force_login(w.a_head)
    assert en.get(url).status_code == 404
    en.force_login(w.q_officer)
    assert en.get(url).status_code == 404
    # The review of B looked up under agency A's address is not found either.
    en.force_login(w.a_secretary)
    assert en.get(reverse("review_detail", args=[w.a.pk, review.pk])).status_code == 404


def test_agency_home_panel(world, en):
    w = world
    held(w, title="Họp xem xét đã tổ chức")
    en.force_login(w.a_staff)
    body = en.get(reverse("agency_detail", args=[w.a.pk])).content.decode()
    assert "Họp xem xét đã tổ chức" in body


def test_editing_a_held_review_keeps_its_frozen_inputs(world, en):
    w = world
    review = held(w, resources="Đủ nguồn lực.")
    frozen = review.frozen_inputs
    en.force_login(w.a_head)
    url = reverse("review_edit", args=[w.a.pk, review.pk])
    response = en.post(
        url,
        {
            "title": review.title,
            "planned_date": "2026-12-15",
            "place": "Hội trường lớn",
            "chair": w.a_head.pk,
            "secretary": w.a_secretary.pk,
            "attendees": [w.a_head.pk],
            "resources": "Sửa sau khi họp",  # disabled: ignored
        },
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.place == "Hội trường lớn" and review.resources == "Đủ nguồn lực."
    assert review.frozen_inputs == frozen
    assert list(review.attendees.all()) == [w.a_head]
