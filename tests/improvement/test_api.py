"""The API: same permissions as the pages; refusals answer 400/403/404."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from govqms.improvement.models import Status

from .factories import make_nc


@pytest.fixture
def api():
    client = APIClient()
    client.cookies["django_language"] = "en"  # the assertions read English messages
    return client


def _url(name, unit, *args):
    return reverse(name, args=[unit.pk, *args])


def test_full_cycle_through_the_api(world, api):
    api.force_authenticate(world.a_secretary)
    response = api.post(
        _url("api-nc-list", world.a),
        {"title": "Hồ sơ trả muộn", "source_kind": "late_trend", "clause": "8.5.1"},
        format="json",
    )
    assert response.status_code == 201, response.data
    pk = response.data["id"]
    assert response.data["number"].startswith("NC-") and response.data["state"] == "open"
    response = api.post(
        _url("api-nc-analysis", world.a, pk),
        {"whys": [{"why": "Vì sao?", "because": "Vì"}], "root_cause": "Thiếu theo dõi"},
        format="json",
    )
    assert response.data["state"] == Status.ANALYSED
    response = api.post(
        _url("api-nc-action-add", world.a, pk),
        {"text": "Phân công", "owner": world.a_staff.username, "due_date": "2026-04-01"},
        format="json",
    )
    action_pk = response.data["actions"][0]["id"]
    response = api.post(_url("api-nc-close", world.a, pk), format="json")
    assert response.status_code == 400
    assert "cannot be closed yet" in " ".join(response.data["non_field_errors"])
    api.force_authenticate(world.a_staff)
    response = api.post(
        _url("api-nc-action-done", world.a, pk, action_pk), {"evidence": "QĐ"}, format="json"
    )
    assert response.status_code == 200 and response.data["state"] == Status.AWAITING_EFFECTIVENESS
    assert api.post(_url("api-nc-evaluate", world.a, pk), {"effective": True}).status_code == 403
    api.force_authenticate(world.a_head)
    api.post(_url("api-nc-evaluate", world.a, pk), {"effective": True}, format="json")
    response = api.post(_url("api-nc-close", world.a, pk), format="json")
    assert response.status_code == 200 and response.data["state"] == "closed"
    listing = api.get(_url("api-nc-list", world.a), {"status": "closed"})
    assert [r["id"] for r in listing.data["results"]] == [pk]


def test_api_permissions(world, api):
    nc = make_nc(world.a)
    api.force_authenticate(world.a_staff)
    assert api.get(_url("api-nc-detail", world.a, nc.pk)).status_code == 200
    assert api.post(_url("api-nc-list", world.a), {"title": "x"}).status_code == 403
    assert api.post(_url("api-nc-analysis", world.a, nc.pk), {"root_cause": "x"}).status_code == 403
    api.force_authenticate(world.b_secretary)
    assert api.get(_url("api-nc-detail", world.a, nc.pk)).status_code == 404
    assert api.get(_url("api-nc-list", world.a)).status_code == 404
    api.force_authenticate(world.dost_officer)
    assert api.get(_url("api-nc-list", world.a)).data["count"] == 1
    assert api.post(_url("api-nc-list", world.a), {"title": "x"}).status_code == 403
    api.force_authenticate(None)
    assert api.get(_url("api-nc-list", world.a)).status_code in (401, 403)


def test_api_search_folds_accents(world, api):
    make_nc(world.a, title="Đăng ký khai sinh")
    make_nc(world.a, title="Biểu mẫu")
    api.force_authenticate(world.a_staff)
    data = api.get(_url("api-nc-list", world.a), {"q": "dang ky"}).data
    assert [r["title"] for r in data["results"]] == ["Đăng ký khai sinh"]
