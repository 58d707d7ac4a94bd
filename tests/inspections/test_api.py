import datetime as dt

import pytest
from rest_framework.test import APIClient

from govqms.improvement.models import Nonconformity
from govqms.inspections.models import InspectionPlan
from tests.inspections.factories import inspected, inspection_of, make_plan

pytestmark = pytest.mark.django_db


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    client.cookies["django_language"] = "en"
    return client


def test_plan_api_create_adjust_approve(world):
    w = world
    c = _api(w.dost_admin)
    response = c.post("/api/inspection-plans/", {"year": 2026}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["counts"] == {
        "total": 3,
        "on_site": 1,
        "proposed": 1,
        "decided": 0,
        "done": 0,
        "closed": 0,
        "reports": 0,
        "minimum": 1,
        "shortfall": 0,
    }
    plan = InspectionPlan.objects.get(owner=w.p, year=2026)
    detail = c.get("/api/inspection-plans/2026/").json()
    assert {r["unit_name"] for r in detail["inspections"]} == {w.a.name, w.b.name, w.dost.name}
    assert all("Never inspected on site (+20)" in r["reasons"] for r in detail["inspections"])
    on_site = plan.inspections.get(mode="on_site")
    response = c.post(f"/api/inspections/{on_site.pk}/mode/", {"mode": "records"}, format="json")
    assert response.status_code == 200 and response.json()["mode"] == "records"
    response = c.post("/api/inspection-plans/2026/approve/", {}, format="json")
    assert response.status_code == 400
    assert "add 1 more" in str(response.json())
    # Officers read but do not approve; agencies do not see plans.
    assert _api(w.dost_officer).post("/api/inspection-plans/2026/approve/").status_code == 403
    assert _api(w.b_secretary).get("/api/inspection-plans/").status_code == 403
    assert _api(w.q_officer).get("/api/inspection-plans/2026/").status_code == 404


def test_inspection_api_run_and_report(world):
    w = world
    plan = make_plan(w)
    from govqms.inspections import services

    services.set_mode(w.dost_admin, inspection_of(plan, w.b), "on_site")
    services.approve_plan(w.dost_admin, plan)
    inspection = inspection_of(plan, w.b)
    c = _api(w.dost_officer)
    base = f"/api/inspections/{inspection.pk}/"
    today = dt.date.today().isoformat()
    response = c.post(
        base + "decision/",
        {
            "number": "5/QĐ",
            "date": today,
            "lead": "dost_officer",
            "scheduled_on": today,
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    response = c.post(
        base + "minutes/", {"inspected_on": today, "conclusion": "Phù hợp"}, format="json"
    )
    assert response.status_code == 200 and response.json()["corrective_report_due"]
    response = c.post(
        base + "findings/",
        {"clause": "7.5", "text": "Tài liệu hết hiệu lực", "grade": "nonconformity"},
        format="json",
    )
    assert response.status_code == 200
    nc = Nonconformity.objects.get(unit=w.b, source_kind="inspection")
    assert response.json()["findings"][0]["nonconformity_id"] == nc.pk
    assert c.get(base + "close/").json()["closable"] is False
    assert c.post(base + "close/").status_code == 400
    # The agency: reads its inspection (no risk score), reports; cannot add findings.
    agency = _api(w.b_secretary)
    data = agency.get(base).json()
    assert "risk_score" not in data and data["findings"][0]["text"] == "Tài liệu hết hiệu lực"
    assert agency.post(base + "findings/", {"text": "x", "grade": "observation"}).status_code == 403
    response = agency.post(base + "corrective-report/", {"text": "Đã thu hồi"}, format="json")
    assert response.status_code == 200 and response.json()["corrective_report_received"]
    assert c.post(base + "close/").json()["state"] == "closed"
    # Other agencies and provinces: 404; the list is filtered.
    assert _api(w.a_secretary).get(base).status_code == 404
    assert _api(w.q_officer).get(base).status_code == 404
    codes = {i["unit_code"] for i in _api(w.a_secretary).get("/api/inspections/").json()["results"]}
    assert codes == {"P-A"}


def test_inspection_list_year_filter(world):
    w = world
    inspected(w)
    c = _api(w.dost_officer)
    assert c.get("/api/inspections/?year=2026").json()["count"] == 3
    assert c.get("/api/inspections/?year=2025").json()["count"] == 0
    assert c.get("/api/inspections/?year=x").status_code == 400
