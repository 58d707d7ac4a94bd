"""The API of satisfaction and complaints: same permissions as the pages."""

import datetime as dt

import pytest
from django.urls import reverse

from govqms.feedback.models import Complaint
from tests.feedback.factories import BIRTH, assign, respond


@pytest.fixture
def api(client):
    def as_user(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return as_user


def test_responses_and_index(api, world):
    birth = assign(world.a, **BIRTH)
    respond(world.a, [5, 4, 5, 4, 5], procedure=birth, dossier_code="HS-1", at=dt.date(2026, 2, 3))
    respond(world.a, [3, 3, 3, 3, 3], at=dt.date(2026, 2, 4), ip="10.0.0.2")
    query = "?period=quarter&year=2026&n=1"
    data = api(world.a_staff).get(reverse("api-survey-responses", args=[world.a.pk]) + query).json()
    results = data["results"] if isinstance(data, dict) else data
    assert {r["dossier_code"] for r in results} == {"HS-1", ""}
    assert "ip_hash" not in results[0]
    index = (
        api(world.dost_officer)
        .get(reverse("api-satisfaction-index", args=[world.a.pk]) + query)
        .json()
    )
    assert index["responses"] == 2 and index["index"] == 70.0  # mean 3.8
    assert index["by_procedure"][0]["label"].startswith("1.001193")
    assert (
        api(world.b_secretary).get(reverse("api-satisfaction-index", args=[world.a.pk])).status_code
        == 404
    )
    assert api(None).get(reverse("api-satisfaction-index", args=[world.a.pk])).status_code in (
        401,
        403,
    )


def test_complaint_crud_per_permissions(api, world):
    url = reverse("api-complaints", args=[world.a.pk])
    body = {
        "channel": "email",
        "received_on": "2026-03-06",
        "subject": "Chưa nhận được kết quả",
        "content": "Đã quá hạn nhưng chưa nhận kết quả.",
        "complainant_name": "Phan Văn Tư",
        "assigned_to": world.a_staff.pk,
    }
    for user in [world.a_staff, world.dost_officer, world.dost_admin]:
        assert api(user).post(url, body, content_type="application/json").status_code == 403
    assert (
        api(world.b_secretary).post(url, body, content_type="application/json").status_code == 404
    )
    created = api(world.a_secretary).post(url, body, content_type="application/json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["due_date"] == "2026-03-20" and data["status"] == "in_progress"
    detail = reverse("api-complaint-detail", args=[data["id"]])
    # Read: members and the overseer.
    assert api(world.dost_officer).get(detail).status_code == 200
    assert api(world.q_officer).get(detail).status_code == 404
    listed = api(world.a_staff).get(url + "?overdue=1").json()
    listed = listed["results"] if isinstance(listed, dict) else listed
    assert [c["id"] for c in listed] == [data["id"]] and listed[0]["overdue"] is True
    # The assignee answers; may not edit other fields.
    response = api(world.a_staff).patch(
        detail,
        {"response": "Đã gửi kết quả qua bưu điện.", "responded_on": "2026-03-10"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["status"] == "answered"
    response = api(world.a_staff).patch(
        detail, {"subject": "Khác"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert (
        api(world.dost_officer)
        .patch(detail, {"status": "closed"}, content_type="application/json")
        .status_code
        == 403
    )
    response = api(world.a_secretary).patch(
        detail, {"status": "closed"}, content_type="application/json"
    )
    assert response.json()["status"] == "closed"
    # Delete: managers only.
    assert api(world.a_staff).delete(detail).status_code == 403
    assert api(world.a_head).delete(detail).status_code == 204
    assert not Complaint.objects.exists()


def test_invalid_input_is_a_400(api, world):
    url = reverse("api-complaints", args=[world.a.pk])
    response = api(world.a_secretary).post(
        url, {"channel": "pigeon", "subject": "", "content": ""}, content_type="application/json"
    )
    assert response.status_code == 400
    response = api(world.a_secretary).post(
        url,
        {"channel": "phone", "subject": "x", "content": "y", "assigned_to": world.b_secretary.pk},
        content_type="application/json",
    )
    assert response.status_code == 400
