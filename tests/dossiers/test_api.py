"""The batch API for one-stop systems: token authentication, Idempotency-Key,
permission by role in the agency."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from govqms.dossiers.models import Dossier, DossierEvent, ImportBatch
from tests.dossiers.factories import make_tthc

URL = "/api/dossiers/batches/"


def payload(unit="P-A", code="HS-0001"):
    return {
        "unit": unit,
        "dossiers": [
            {
                "code": code,
                "procedure_code": "1.001193",
                "channel": "online",
                "received_at": "2026-01-05T10:00:00+07:00",
                "events": [
                    {"kind": "received", "at": "2026-01-05T10:00:00+07:00", "step": "Tiếp nhận"},
                    {"kind": "transferred", "at": "2026-01-06T09:00:00+07:00", "step": "Thẩm định"},
                    {"kind": "resolved", "at": "2026-01-07T15:00:00+07:00", "step": "Ký duyệt"},
                ],
            }
        ],
    }


def client_for(user):
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.mark.django_db
def test_same_idempotency_key_twice_returns_the_first_result(world):
    make_tthc()
    client = client_for(world.a_secretary)
    first = client.post(URL, payload(), format="json", HTTP_IDEMPOTENCY_KEY="mc-2026-0001")
    assert first.status_code == 201, first.json()
    body = first.json()
    assert body["dossiers_created"] == 1 and body["events_created"] == 3
    changed = payload()
    changed["dossiers"][0]["events"].append(
        {"kind": "delivered", "at": "2026-01-08T09:00:00+07:00"}
    )
    again = client.post(URL, changed, format="json", HTTP_IDEMPOTENCY_KEY="mc-2026-0001")
    assert again.status_code == 200 and again.json() == body
    assert ImportBatch.objects.count() == 1
    assert DossierEvent.objects.count() == 3  # the replay changed nothing
    assert Dossier.objects.get(code="HS-0001").outcome == "early"


@pytest.mark.django_db
def test_refused_batch_names_dossier_and_field(world):
    client = client_for(world.a_secretary)
    bad = payload()
    bad["dossiers"][0]["events"][1]["at"] = "ngày mai"
    response = client.post(URL, bad, format="json", HTTP_IDEMPOTENCY_KEY="k-bad")
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["row"] == 1 and error["column"] == "at" and "ngày mai" in error["message"]
    assert not Dossier.objects.exists()


@pytest.mark.django_db
def test_key_required_and_roles_checked(world):
    assert client_for(world.a_secretary).post(URL, payload(), format="json").status_code == 400
    for user, expected in [
        (world.a_staff, 403),  # a member without an import role
        (world.b_secretary, 404),  # another agency: not even seen
        (world.q_officer, 404),
        (world.dost_officer, 403),  # oversight is read-only
    ]:
        response = client_for(user).post(
            URL, payload(), format="json", HTTP_IDEMPOTENCY_KEY=f"k-{user.username}"
        )
        assert response.status_code == expected, user.username
    assert not Dossier.objects.exists()
    ok = client_for(world.dost_admin).post(
        URL, payload(), format="json", HTTP_IDEMPOTENCY_KEY="k-admin"
    )
    assert ok.status_code == 201
    assert APIClient().post(URL, payload(), format="json").status_code in (401, 403)


@pytest.mark.django_db
def test_list_shows_only_visible_batches(world):
    client_for(world.a_secretary).post(URL, payload(), format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert [b["unit"] for b in client_for(world.a_staff).get(URL).json()] == ["P-A"]
    assert client_for(world.b_secretary).get(URL).json() == []
    assert client_for(world.q_officer).get(URL).json() == []
    assert [b["unit"] for b in client_for(world.dost_officer).get(URL).json()] == ["P-A"]
