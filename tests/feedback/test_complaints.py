"""Complaints and recommendations: due date in working days, overdue, handling,
the nonconformity raised from a complaint, personal data, permissions."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from govqms.feedback import selectors, services
from govqms.feedback.models import Complaint, Status

NAME = "Lê Thị Khiếu Nại"
CONTACT = "0912345678"


def make(world, actor=None, **fields):
    values = {
        "channel": "counter",
        "received_on": dt.date(2026, 3, 6),
        "subject": "Hồ sơ trả chậm",
        "content": "Hồ sơ đăng ký khai sinh của tôi bị trả chậm hai ngày.",
        "complainant_name": NAME,
        "complainant_contact": CONTACT,
    }
    values.update(fields)
    return services.create_complaint(actor or world.a_secretary, world.a, **values)


def test_due_date_is_ten_working_days_by_default(world):
    # Friday 6 March 2026: two working weeks later.
    assert make(world).due_date == dt.date(2026, 3, 20)
    # Friday 24 April 2026: 27/4 (Hùng Kings, moved), 30/4 and 1/5 are holidays.
    assert make(world, received_on=dt.date(2026, 4, 24)).due_date == dt.date(2026, 5, 13)


def test_the_agency_sets_its_working_days(world):
    services.set_complaint_working_days(world.a_secretary, world.a, 5)
    assert make(world).due_date == dt.date(2026, 3, 13)
    with pytest.raises(PermissionDenied):
        services.set_complaint_working_days(world.a_staff, world.a, 3)


def test_overdue_until_answered(world):
    complaint = make(world)
    assert complaint.is_overdue(dt.date(2026, 3, 23))
    assert not complaint.is_overdue(dt.date(2026, 3, 20))
    assert list(selectors.complaints(world.a_secretary, world.a, overdue=True)) == [complaint]
    services.answer_complaint(world.a_secretary, complaint, response="Đã xin lỗi và trả kết quả.")
    complaint.refresh_from_db()
    assert complaint.status == Status.ANSWERED and not complaint.is_overdue(dt.date(2026, 3, 23))
    assert not selectors.complaints(world.a_secretary, world.a, overdue=True).exists()


def test_overdue_complaints_are_flagged_on_the_list_and_notified(client, world):
    from govqms.core.models import Notification

    complaint = make(world, assigned_to=world.a_staff)
    client.force_login(world.a_secretary)
    body = client.get(reverse("complaint_list", args=[world.a.pk]) + "?overdue=1").content.decode()
    assert "complaint-overdue" in body and complaint.subject in body
    assert services.notify_overdue(dt.date(2026, 4, 1)) >= 2
    assert Notification.objects.filter(
        user=world.a_staff, key=f"complaint_overdue:{complaint.pk}"
    ).exists()
    assert services.notify_overdue(dt.date(2026, 4, 1)) == 0  # once


def test_the_handling_follows_its_statuses(world):
    complaint = make(world)
    assert complaint.status == Status.RECEIVED
    complaint = services.update_complaint(world.a_secretary, complaint, assigned_to=world.a_staff)
    assert complaint.status == Status.IN_PROGRESS
    with pytest.raises(ValidationError):
        services.set_status(world.a_secretary, complaint, Status.CLOSED)
    services.answer_complaint(
        world.a_staff, complaint, response="Đã trả lời", responded_on=dt.date(2026, 3, 10)
    )
    complaint = services.set_status(world.a_secretary, complaint, Status.CLOSED)
    assert complaint.status == Status.CLOSED
    with pytest.raises(ValidationError):
        services.answer_complaint(world.a_secretary, complaint, response="Lại")


def test_who_may_write(world):
    complaint = make(world)
    for user in [
        world.a_staff,
        world.users["a_process_owner"],
        world.dost_officer,
        world.b_secretary,
    ]:
        with pytest.raises(PermissionDenied):
            make(world, actor=user)
        with pytest.raises(PermissionDenied):
            services.update_complaint(user, complaint, subject="x")
        with pytest.raises(PermissionDenied):
            services.answer_complaint(user, complaint, response="x")
    make(world, actor=world.a_head)
    # Staff assigned the complaint may answer it, and only that.
    services.update_complaint(world.a_secretary, complaint, assigned_to=world.a_staff)
    services.answer_complaint(world.a_staff, complaint, response="Đã trả lời")
    with pytest.raises(PermissionDenied):
        services.set_status(world.a_staff, complaint, Status.CLOSED)
    with pytest.raises(ValidationError):
        services.update_complaint(world.a_secretary, complaint, assigned_to=world.b_secretary)


def test_assigned_staff_answers_on_the_page(client, world):
    complaint = make(world, assigned_to=world.a_staff)
    client.force_login(world.a_staff)
    page = client.get(reverse("complaint_detail", args=[complaint.pk])).content.decode()
    assert "answer-form" in page and "raise-nc" not in page
    response = client.post(
        reverse("complaint_answer", args=[complaint.pk]),
        {"response": "Chúng tôi đã khắc phục.", "responded_on": "2026-03-09"},
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.ANSWERED and complaint.responded_on == dt.date(2026, 3, 9)
    # Another staff member, not assigned, may not.
    client.force_login(world.users["a_process_owner"])
    response = client.post(reverse("complaint_answer", args=[complaint.pk]), {"response": "x"})
    assert response.status_code == 403


def test_personal_data_is_for_the_managers_only(client, world):
    complaint = make(world, assigned_to=world.a_staff)
    url = reverse("complaint_detail", args=[complaint.pk])
    for user in [world.a_secretary, world.a_head]:
        client.force_login(user)
        assert NAME in client.get(url).content.decode()
        assert NAME in client.get(reverse("complaint_list", args=[world.a.pk])).content.decode()
        data = client.get(reverse("api-complaint-detail", args=[complaint.pk])).json()
        assert data["complainant_name"] == NAME
    for user in [
        world.a_staff,
        world.users["a_steering_member"],
        world.dost_officer,
        world.dost_admin,
    ]:
        client.force_login(user)
        for page in [url, reverse("complaint_list", args=[world.a.pk])]:
            body = client.get(page).content.decode()
            assert NAME not in body and CONTACT not in body, (user.username, page)
        data = client.get(reverse("api-complaint-detail", args=[complaint.pk])).json()
        assert "complainant_name" not in data and "complainant_contact" not in data
        rows = client.get(reverse("api-complaints", args=[world.a.pk])).json()
        assert NAME not in str(rows) and CONTACT not in str(rows)
        xlsx = client.get(reverse("complaint_export", args=[world.a.pk])).content
        cells = [c for row in openpyxl.load_workbook(io.BytesIO(xlsx)).active.values for c in row]
        assert NAME not in cells and CONTACT not in cells


def test_the_export_lists_the_filtered_complaints(client, world):
    make(world, subject="Thái độ công chức")
    make(world, subject="Phí không đúng", channel="hotline")
    client.force_login(world.a_secretary)
    response = client.get(reverse("complaint_export", args=[world.a.pk]) + "?channel=hotline")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.values)
    assert len(rows) == 2 and rows[1][3] == "Phí không đúng" and NAME in rows[1]


def test_search_folds_accents(world):
    make(world, subject="Thái độ công chức không đúng mực")
    make(world, subject="Phí lệ phí")
    found = selectors.complaints(world.a_secretary, world.a, query="thai do cong chuc")
    assert [c.subject for c in found] == ["Thái độ công chức không đúng mực"]


def test_raise_a_nonconformity_and_see_the_link_both_ways(client, world):
    from govqms.improvement.models import Nonconformity

    complaint = make(world)
    client.force_login(world.a_secretary)
    response = client.post(reverse("complaint_nonconformity", args=[complaint.pk]))
    assert response.status_code == 302
    nc = Nonconformity.objects.get(unit=world.a)
    assert (nc.source_kind, nc.source_id) == ("complaint", str(complaint.pk))
    assert nc.source_url == reverse("complaint_detail", args=[complaint.pk])
    assert complaint.subject in nc.title
    # Idempotent: a second click finds the same one.
    client.post(reverse("complaint_nonconformity", args=[complaint.pk]))
    assert Nonconformity.objects.filter(unit=world.a).count() == 1
    body = client.get(reverse("complaint_detail", args=[complaint.pk])).content.decode()
    assert "complaint-nc" in body and nc.number in body and "raise-nc" not in body
    assert reverse("nc_detail", kwargs={"unit_pk": world.a.pk, "pk": nc.pk}) in body
    # Staff and the DoST may not raise one.
    other = make(world, subject="Khác")
    for user in [world.a_staff, world.dost_officer]:
        client.force_login(user)
        assert client.post(reverse("complaint_nonconformity", args=[other.pk])).status_code == 403
    assert Nonconformity.objects.filter(unit=world.a).count() == 1


def test_a_citizen_complaint_notifies_the_managers(client, world):
    from govqms.core.models import Notification
    from tests.feedback.factories import token

    response = client.post(
        reverse("public_complaint", args=[world.a.code]),
        {
            "subject": "Không có ghế chờ",
            "content": "Phòng chờ thiếu ghế.",
            "token": token(world.a, form="complaint"),
        },
    )
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.due_date == services.due_date_for(world.a, complaint.received_on)
    assert Notification.objects.filter(
        user=world.a_secretary, key=f"complaint_received:{complaint.pk}"
    ).exists()


def test_outsiders_get_404(client, world):
    complaint = make(world)
    for user in [world.b_secretary, world.c_secretary, world.q_officer]:
        client.force_login(user)
        assert client.get(reverse("complaint_detail", args=[complaint.pk])).status_code == 404
