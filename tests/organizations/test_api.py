from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


def _client(user=None):
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def test_api_needs_authentication(world):
    assert _client().get("/api/units/").status_code == 401


def test_me_lists_own_memberships(world):
    data = _client(world.a_secretary).get("/api/me/").json()
    assert data["username"] == "a_iso_secretary" and data["oversight"] is False
    assert [m["unit_code"] for m in data["memberships"]] == ["P-A"]
    assert _client(world.dost_officer).get("/api/me/").json()["oversight"] is True


def test_units_are_filtered_to_what_the_caller_sees(world):
    codes = {u["code"] for u in _client(world.a_staff).get("/api/units/").json()["results"]}
    assert codes == {"P-A"}
    codes = {u["code"] for u in _client(world.dost_officer).get("/api/units/").json()["results"]}
    assert codes == {"P", "P-DOST", "P-A", "P-B"}
    codes = {u["code"] for u in _client(world.q_officer).get("/api/units/").json()["results"]}
    assert codes == {"Q", "Q-C"}
    # Search folds accents, as on the pages.
    found = _client(world.dost_officer).get("/api/units/", {"q": "duc giang"}).json()["results"]
    assert [u["code"] for u in found] == ["P-B"]


def test_unit_memberships_and_oversight_log(world):
    from govqms.core.models import AuditEntry

    url = reverse("api-unit-memberships", args=[world.b.pk])
    assert _client(world.a_head).get(url).status_code == 404
    people = _client(world.dost_officer).get(url).json()["results"]
    assert [p["user"]["username"] for p in people] == ["b_secretary"]
    assert AuditEntry.objects.filter(
        unit=world.b, action="oversight_read", actor=world.dost_officer
    ).exists()


def test_schema_and_docs(world):
    client = _client()
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in ("/api/me/", "/api/units/", "/api/units/{id}/", "/api/memberships/"):
        assert path in paths, path
    docs = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in docs and "cdn" not in docs.lower()


def test_schema_generates_without_warnings(db, tmp_path):
    from django.core.management import call_command

    target = tmp_path / "schema.yml"
    call_command("spectacular", "--fail-on-warn", "--file", str(target))
    assert "/api/documents/" in target.read_text(encoding="utf-8")
