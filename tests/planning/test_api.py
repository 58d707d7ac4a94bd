"""The API: same permissions as the pages."""

import pytest
from rest_framework.test import APIClient

from govqms.planning.models import Objective, PlanItem, Risk
from tests.planning.factories import make_item, make_objective, make_risk


@pytest.fixture
def api():
    return APIClient()


def _base(unit):
    return f"/api/units/{unit.pk}"


@pytest.mark.django_db
def test_objectives_and_measurements(world, api):
    w = world
    api.force_authenticate(w.a_secretary)
    response = api.post(
        f"{_base(w.a)}/objectives/",
        {
            "year": 2026,
            "title": "Đúng hạn",
            "indicator": "Tỷ lệ đúng hạn",
            "target": "95",
            "tolerance": "3",
            "source": "linked",
            "kpi": "on_time_rate",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    objective = Objective.objects.get(pk=pk)
    assert objective.unit == w.a and objective.source == "linked"
    response = api.post(
        f"{_base(w.a)}/objectives/{pk}/measurements/",
        {"measured_on": "2026-03-31", "value": "93.5"},
        format="json",
    )
    assert response.status_code == 201 and response.json()["status"] == "at_risk"
    listed = api.get(f"{_base(w.a)}/objectives/?year=2026").json()
    assert listed["count"] == 1 and listed["results"][0]["last_status"] == "at_risk"
    response = api.patch(f"{_base(w.a)}/objectives/{pk}/", {"target": "90"}, format="json")
    assert response.status_code == 200 and response.json()["last_status"] == "on_track"
    response = api.post(f"{_base(w.a)}/objectives/", {"year": 2026}, format="json")
    assert response.status_code == 400


@pytest.mark.django_db
def test_writes_refused_for_readers_and_outsiders(world, api):
    w = world
    objective = make_objective(w.b)
    risk = make_risk(w.b)
    item = make_item(w.b)
    body = {"measured_on": "2026-03-31", "value": "1"}
    api.force_authenticate(w.dost_officer)  # the overseer reads, never writes
    assert api.get(f"{_base(w.b)}/risks/{risk.pk}/").status_code == 200
    assert (
        api.post(f"{_base(w.b)}/objectives/{objective.pk}/measurements/", body).status_code == 403
    )
    assert api.patch(f"{_base(w.b)}/risks/{risk.pk}/", {"impact": 1}).status_code == 403
    assert api.patch(f"{_base(w.b)}/plan-items/{item.pk}/", {"title": "x"}).status_code == 403
    api.force_authenticate(w.a_secretary)  # another agency
    assert api.get(f"{_base(w.b)}/objectives/{objective.pk}/").status_code == 404
    assert api.patch(f"{_base(w.b)}/risks/{risk.pk}/", {"impact": 1}).status_code == 404
    # A's own URL with B's object id: 404 too.
    assert api.get(f"{_base(w.a)}/risks/{risk.pk}/").status_code == 404
    api.force_authenticate(None)
    assert api.get(f"{_base(w.b)}/risks/").status_code in (401, 403)
    risk.refresh_from_db()
    assert risk.impact == 4 and not objective.measurements.exists()


@pytest.mark.django_db
def test_risks_and_plan_items(world, api):
    w = world
    api.force_authenticate(w.a_head)
    response = api.post(
        f"{_base(w.a)}/risks/",
        {
            "kind": "opportunity",
            "process_text": "Tiếp nhận hồ sơ trực tuyến",
            "description": "Tăng tỷ lệ nộp hồ sơ trực tuyến",
            "likelihood": 4,
            "impact": 3,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["level"] == 12 and response.json()["band"] == "high"
    pk = response.json()["id"]
    response = api.patch(f"{_base(w.a)}/risks/{pk}/", {"effectiveness": "effective"}, format="json")
    assert response.json()["evaluated_on"] is not None
    assert Risk.objects.get(pk=pk).events.count() == 2
    assert api.post(f"{_base(w.a)}/risks/", {"likelihood": 6}, format="json").status_code == 400
    response = api.post(
        f"{_base(w.a)}/plan-items/",
        {
            "kind": "training",
            "title": "Đào tạo ISO",
            "start": "2026-03-01",
            "end": "2026-03-02",
        },
        format="json",
    )
    assert response.status_code == 201 and response.json()["year"] == 2026
    item = PlanItem.objects.get(pk=response.json()["id"])
    response = api.patch(
        f"{_base(w.a)}/plan-items/{item.pk}/", {"status": "cancelled"}, format="json"
    )
    assert response.status_code == 400 and "cancel_reason" in response.json()
    listed = api.get(f"{_base(w.a)}/plan-items/?year=2026&kind=training").json()
    assert [r["title"] for r in listed["results"]] == ["Đào tạo ISO"]
    api.force_authenticate(w.a_staff)
    assert api.get(f"{_base(w.a)}/plan-items/").status_code == 200
    body = {"kind": "other", "title": "x", "start": "2026-01-01", "end": "2026-01-01"}
    assert api.post(f"{_base(w.a)}/plan-items/", body, format="json").status_code == 403
