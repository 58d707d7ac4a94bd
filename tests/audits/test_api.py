"""The API: same permissions as the pages."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from govqms.audits.models import Grade
from tests.audits.factories import make_plan, procedure, register


@pytest.fixture
def api():
    client = APIClient()
    client.cookies["django_language"] = "en"  # Accept-Language is ignored by design
    return client


def test_plans_list_and_create(aw, api):
    doc, _ = procedure(aw)
    url = reverse("api-audit-plans", args=[aw.a.pk])
    payload = {
        "title": "Đánh giá qua API",
        "planned_start": "2026-06-01T08:00:00+07:00",
        "planned_end": "2026-06-01T16:00:00+07:00",
        "lead": aw.users["a_internal_auditor"].pk,
        "processes": [doc.pk],
        "clauses": ["8.5.1"],
        "divisions": [],
    }
    api.force_authenticate(aw.a_staff)
    assert api.get(url).status_code == 200
    assert api.post(url, payload, format="json").status_code == 403
    api.force_authenticate(aw.dost_officer)
    assert api.get(url).status_code == 200
    assert api.post(url, payload, format="json").status_code == 403
    api.force_authenticate(aw.b_secretary)
    assert api.get(url).status_code == 404
    api.force_authenticate(aw.a_secretary)
    response = api.post(url, payload, format="json")
    assert response.status_code == 201, response.json()
    plan_id = response.json()["id"]
    assert response.json()["year"] == 2026
    listed = api.get(url, {"year": 2026}).json()
    assert [p["id"] for p in listed["results"]] == [plan_id]
    # Independence over the API too.
    doc.owner = aw.users["a_internal_auditor"]
    doc.save()
    response = api.post(url, {**payload, "title": "Lần 2"}, format="json")
    assert response.status_code == 400 and "Independence" in str(response.json())
    response = api.patch(
        reverse("api-audit-plan", args=[plan_id]), {"title": "Đổi tên"}, format="json"
    )
    assert response.status_code == 400  # the owner is now in scope


def test_checklist_results_findings(aw, api):
    plan = make_plan(aw)
    lead = aw.users["a_internal_auditor"]
    api.force_authenticate(lead)
    url = reverse("api-audit-checklist", args=[plan.pk])
    response = api.post(url, {"generate": True}, format="json")
    assert response.status_code == 201 and len(response.json()) == 6
    response = api.post(url, {"question": "Câu hỏi thêm", "clause": "10.2"}, format="json")
    assert response.status_code == 201
    item_id = response.json()["id"]
    response = api.post(
        reverse("api-audit-item-result", args=[item_id]),
        {"result": "conforming", "notes": "ok"},
        format="json",
    )
    assert response.status_code == 200 and response.json()["result"] == "conforming"
    response = api.patch(
        reverse("api-audit-item", args=[item_id]), {"question": "Câu hỏi sửa"}, format="json"
    )
    assert response.json()["question"] == "Câu hỏi sửa"
    assert api.delete(reverse("api-audit-item", args=[item_id])).status_code == 204
    response = api.post(
        reverse("api-audit-findings", args=[plan.pk]),
        {"grade": Grade.OBSERVATION, "clause": "7.5.3", "description": "Quan sát"},
        format="json",
    )
    assert response.status_code == 201
    assert len(api.get(reverse("api-audit-findings", args=[plan.pk])).json()["results"]) == 1
    api.force_authenticate(aw.a_staff)
    assert api.get(url).status_code == 200
    response = api.post(
        reverse("api-audit-findings", args=[plan.pk]),
        {"grade": "minor", "clause": "7.5.3", "description": "x"},
        format="json",
    )
    assert response.status_code == 403
    api.force_authenticate(aw.c_secretary)
    assert api.get(url).status_code == 404
    assert api.get(reverse("api-audit-plan", args=[plan.pk])).status_code == 404


def test_programmes_and_auditors(aw, api):
    api.force_authenticate(aw.a_head)
    response = api.post(
        reverse("api-audit-programmes", args=[aw.a.pk]),
        {"year": 2026, "objectives": "Mục tiêu", "clauses": ["9.2"]},
        format="json",
    )
    assert response.status_code == 201 and response.json()["clauses"] == ["9.2"]
    response = api.post(
        reverse("api-auditors", args=[aw.a.pk]),
        {
            "user": aw.a_staff.pk,
            "certificate_name": "Chứng chỉ",
            "certificate_date": "2025-01-01",
            "certificate_expiry": "2027-01-01",
        },
        format="json",
    )
    assert response.status_code == 201
    names = [
        a["user_name"] for a in api.get(reverse("api-auditors", args=[aw.a.pk])).json()["results"]
    ]
    assert str(aw.a_staff) in names
    api.force_authenticate(aw.a_staff)
    assert (
        api.post(
            reverse("api-audit-programmes", args=[aw.a.pk]), {"year": 2027}, format="json"
        ).status_code
        == 403
    )
    register(aw.b, aw.b_secretary)
    api.force_authenticate(aw.a_head)
    assert api.get(reverse("api-auditors", args=[aw.b.pk])).status_code == 404
