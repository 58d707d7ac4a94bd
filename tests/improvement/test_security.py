"""Security review: what the API must refuse even when the page does not offer it."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from govqms.improvement import services
from govqms.improvement.models import Nonconformity


@pytest.fixture
def api():
    client = APIClient()
    client.cookies["django_language"] = "en"
    return client


def _list(unit):
    return reverse("api-nc-list", args=[unit.pk])


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(document.cookie)",
        "JaVaScRiPt:alert(1)",
        "//evil.example/x",
        "data:text/html,<script>alert(1)</script>",
        " javascript:alert(1)",
    ],
)
def test_a_source_link_that_is_not_a_page_of_the_site_is_refused(world, api, url):
    api.force_authenticate(world.a_secretary)
    response = api.post(
        _list(world.a),
        {"title": "Liên kết lạ", "source_kind": "other", "source_label": "x", "source_url": url},
        format="json",
    )
    assert response.status_code == 400, response.data
    assert not Nonconformity.objects.filter(unit=world.a).exists()
    with pytest.raises(ValidationError):
        services.open_nonconformity(
            None, unit=world.a, source_kind="other", title="x", source_url=url
        )


def test_a_local_source_link_is_kept(world):
    nc = services.open_nonconformity(
        None, unit=world.a, source_kind="other", title="x", source_url="/audits/plans/3/#f-1"
    )
    assert nc.source_url == "/audits/plans/3/#f-1"


@pytest.mark.parametrize("kind", ["audit_finding", "complaint", "management_review"])
def test_the_api_cannot_take_the_place_of_another_apps_record(world, api, kind):
    """An NC opened by hand under the key of a future audit finding (or complaint,
    review decision) would be returned by the idempotent opening instead of a real one."""
    api.force_authenticate(world.a_secretary)
    response = api.post(
        _list(world.a),
        {"title": "Giả mạo", "source_kind": kind, "source_id": "999"},
        format="json",
    )
    assert response.status_code == 400, response.data
    assert not Nonconformity.objects.filter(unit=world.a).exists()
    nc = services.open_nonconformity(
        None, unit=world.a, source_kind=kind, source_id="999", title="Thật"
    )
    assert nc.title == "Thật"


def test_a_new_root_cause_after_the_evaluation_needs_a_new_evaluation(world):
    """Closing rests on an evaluation of actions against the recorded root cause: a
    root cause rewritten afterwards (page or API) cannot be closed on the old one."""
    from django.core.exceptions import ValidationError as Refused

    from tests.improvement.factories import nc_with_action

    sec = world.a_secretary
    nc, action = nc_with_action(world.a, sec)
    services.complete_action(sec, action, evidence="Sổ theo dõi")
    services.evaluate(sec, nc, effective=True, comment="Không còn trả muộn")
    services.record_analysis(sec, nc, whys=[], root_cause="Một nguyên nhân khác hẳn")
    with pytest.raises(Refused):
        services.close(sec, nc)
    nc.refresh_from_db()
    assert nc.status != "closed" and nc.effective is None
    services.evaluate(sec, nc, effective=True, comment="Đã xem lại")
    assert services.close(sec, nc).status == "closed"
