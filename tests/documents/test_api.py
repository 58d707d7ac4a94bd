"""The documents API: the same scoping and permissions as the pages."""

import datetime as dt

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from govqms.core.models import AuditEntry
from govqms.documents.models import Acknowledgement, DocumentKind, LegalStatus, VersionStatus
from govqms.documents.services import legal, versions
from govqms.organizations.models import Role
from tests.documents.factories import make_effective_procedure, make_procedure
from tests.factories import make_user


def _client(user=None):
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def _results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


@pytest.fixture
def docs(world):
    a_doc, a_version = make_effective_procedure(world)
    b_doc, b_version = make_effective_procedure(world, unit=world.b)
    form = versions.create_document(
        world.a_secretary,
        unit=world.a,
        code="BM-01",
        title="Tờ khai đăng ký khai sinh",
        kind=DocumentKind.FORM,
    )
    return {"a": a_doc, "a_v": a_version, "b": b_doc, "b_v": b_version, "form": form}


def test_api_needs_authentication(world):
    for name in ["api-document-list", "api-acknowledgement-list", "api-legal-document-list"]:
        assert _client().get(reverse(name)).status_code == 401


def test_document_list_is_scoped(world, docs):
    rows = _results(_client(world.a_staff).get(reverse("api-document-list")))
    assert {(r["unit_code"], r["code"]) for r in rows} == {("P-A", "QT-01"), ("P-A", "BM-01")}
    qt = next(r for r in rows if r["code"] == "QT-01")
    assert qt["current_version"]["id"] == docs["a_v"].pk and qt["open_version"] is None
    assert qt["current_version"]["status"] == VersionStatus.EFFECTIVE
    form = next(r for r in rows if r["code"] == "BM-01")
    assert form["current_version"] is None and form["open_version"]["status"] == "draft"

    rows = _results(_client(world.dost_officer).get(reverse("api-document-list")))
    assert {r["unit_code"] for r in rows} == {"P-A", "P-B"}
    assert _results(_client(world.q_officer).get(reverse("api-document-list"))) == []
    assert _results(_client(world.c_secretary).get(reverse("api-document-list"))) == []


def test_document_list_filters(world, docs):
    client = _client(world.a_staff)
    url = reverse("api-document-list")
    assert [r["code"] for r in _results(client.get(url, {"kind": "form"}))] == ["BM-01"]
    assert [r["code"] for r in _results(client.get(url, {"q": "TO KHAI dang ky"}))] == ["BM-01"]
    assert len(_results(client.get(url, {"q": "khai sinh"}))) == 2
    assert len(_results(client.get(url, {"unit": world.a.pk}))) == 2
    # Another agency's register is 404, as on the pages.
    assert client.get(url, {"unit": world.b.pk}).status_code == 404
    assert client.get(url, {"unit": "x"}).status_code == 404
    # An overseer's listing is logged where each agency sees it.
    rows = _results(_client(world.dost_officer).get(url, {"unit": world.b.pk}))
    assert [r["unit_code"] for r in rows] == ["P-B"]
    _results(_client(world.dost_officer).get(url))
    for unit in (world.a, world.b):
        assert AuditEntry.objects.filter(
            unit=unit, action="oversight_read", actor=world.dost_officer
        ).exists()


def test_other_agencies_objects_are_404(world, docs):
    b_doc, b_version = docs["b"], docs["b_v"]
    for user in [world.a_head, world.a_staff, world.c_secretary, world.q_officer]:
        client = _client(user)
        for name, pk in [
            ("api-document-detail", b_doc.pk),
            ("api-document-versions", b_doc.pk),
            ("api-version-detail", b_version.pk),
            ("api-version-signoffs", b_version.pk),
        ]:
            assert client.get(reverse(name, args=[pk])).status_code == 404, (user, name)
        for name in ["api-version-submit", "api-version-decide", "api-version-acknowledge"]:
            response = client.post(reverse(name, args=[b_version.pk]), {"approve": True})
            assert response.status_code == 404, (user, name)
            assert "Trần Thị Bình" not in response.content.decode()


def test_document_detail_and_versions(world, docs):
    client = _client(world.b_secretary)
    data = client.get(reverse("api-document-detail", args=[docs["b"].pk])).json()
    assert data["code"] == "QT-01" and data["unit_code"] == "P-B"
    versions.start_revision(world.b_secretary, docs["b"], description="Cập nhật Nghị định mới")
    rows = _results(client.get(reverse("api-document-versions", args=[docs["b"].pk])))
    assert [(r["issue_no"], r["status"]) for r in rows] == [(2, "draft"), (1, "effective")]


def test_version_detail_has_content_hash_and_sign_offs(world, docs):
    version = docs["a_v"]
    data = _client(world.a_staff).get(reverse("api-version-detail", args=[version.pk])).json()
    assert data["status"] == "effective" and data["issue_no"] == 1
    assert data["content"]["steps"][0]["name"] == "Tiếp nhận hồ sơ"
    assert data["content_sha256"] == version.content_sha256 and len(data["content_sha256"]) == 64
    assert [s["decision"] for s in data["sign_offs"]] == ["approved", "approved"]
    assert all(
        s["counts"] and s["content_sha256"] == version.content_sha256 for s in data["sign_offs"]
    )
    assert data["sign_offs"][1]["user_name"] == world.a_head.full_name
    assert data["current_step"] is None and data["document_code"] == "QT-01"

    signoffs = _results(
        _client(world.a_staff).get(reverse("api-version-signoffs", args=[version.pk]))
    )
    assert [s["step_order"] for s in signoffs] == [1, 2]


def test_overseer_reads_are_logged(world, docs):
    response = _client(world.dost_officer).get(reverse("api-version-detail", args=[docs["b_v"].pk]))
    assert response.status_code == 200
    assert AuditEntry.objects.filter(
        unit=world.b, action="oversight_read", actor=world.dost_officer
    ).exists()


def test_submit_and_decide_through_the_api(world):
    owner = world.users["a_process_owner"]
    document = make_procedure(world.a, code="QT-07", title="Quy trình chứng thực")
    version = document.versions.get()
    submit = reverse("api-version-submit", args=[version.pk])
    decide = reverse("api-version-decide", args=[version.pk])

    # Staff may neither submit nor sign; the DoST reads but never writes.
    response = _client(world.a_staff).post(submit, {"comment": ""}, format="json")
    assert response.status_code == 403
    assert _client(world.dost_officer).post(submit, {}).status_code == 403

    response = _client(owner).post(submit, {"comment": "Xin ý kiến"}, format="json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["status"] == "in_review" and data["current_step"]["role"] == Role.ISO_SECRETARY
    assert data["sign_offs"][0]["decision"] == "drafted"
    # Submitting twice is refused with the workflow's message.
    response = _client(owner).post(submit, {}, format="json")
    assert response.status_code == 400 and response.json()["non_field_errors"]

    for user in [world.a_staff, world.a_head, world.dost_officer]:  # not their step
        response = _client(user).post(decide, {"approve": True}, format="json")
        assert response.status_code == 403, user
    assert _client(world.a_secretary).post(decide, {}, format="json").status_code == 400

    response = _client(world.a_secretary).post(decide, {"approve": True}, format="json")
    assert response.status_code == 200 and response.json()["current_step"]["role"] == Role.HEAD

    # Returning a draft needs a comment.
    response = _client(world.a_head).post(decide, {"approve": False}, format="json")
    assert response.status_code == 400 and response.json()["non_field_errors"]
    version.refresh_from_db()
    assert version.status == VersionStatus.IN_REVIEW
    response = _client(world.a_head).post(
        decide, {"approve": False, "comment": "Bổ sung thời hạn"}, format="json"
    )
    assert response.status_code == 200 and response.json()["status"] == "draft"

    # Again, all the way to approved.
    _client(owner).post(submit, {}, format="json")
    _client(world.a_secretary).post(decide, {"approve": True}, format="json")
    response = _client(world.a_head).post(decide, {"approve": True}, format="json")
    assert response.json()["status"] == "approved"
    version.refresh_from_db()
    assert version.status == VersionStatus.APPROVED
    assert AuditEntry.objects.filter(action="version_approved", actor=world.a_head).exists()


def test_acknowledge_own_task_only(world, docs):
    version = docs["a_v"]
    url = reverse("api-version-acknowledge", args=[version.pk])
    assert Acknowledgement.objects.filter(version=version, user=world.a_staff).exists()

    response = _client(world.a_staff).post(url)
    assert response.status_code == 200, response.content
    first = response.json()["acknowledged_at"]
    assert first and response.json()["version"] == version.pk
    # Confirming again keeps the first time.
    assert _client(world.a_staff).post(url).json()["acknowledged_at"] == first
    # Someone without a read task for it: 404, even if they may see the version.
    outsider = make_user("a_new", "Người mới", world.a, Role.STAFF)
    assert _client(outsider).post(url).status_code == 404
    assert _client(world.dost_officer).post(url).status_code == 404
    assert _client(world.b_secretary).post(url).status_code == 404
    task = Acknowledgement.objects.get(version=version, user=world.a_head)
    assert task.acknowledged_at is None  # nobody acknowledged for someone else


def test_acknowledgement_list_is_the_callers_own(world, docs):
    url = reverse("api-acknowledgement-list")
    rows = _results(_client(world.a_staff).get(url))
    assert [(r["document_code"], r["acknowledged_at"]) for r in rows] == [("QT-01", None)]
    _client(world.a_staff).post(reverse("api-version-acknowledge", args=[docs["a_v"].pk]))
    rows = _results(_client(world.a_staff).get(url))
    assert rows[0]["acknowledged_at"] is not None
    assert _results(_client(world.a_staff).get(url, {"pending": "1"})) == []
    assert len(_results(_client(world.a_head).get(url, {"pending": "1"}))) == 1
    assert _results(_client(world.dost_officer).get(url)) == []
    b_rows = _results(_client(world.b_secretary).get(url))
    assert {r["unit"] for r in b_rows} == {world.b.pk}


def test_legal_documents_for_any_signed_in_user(world):
    new = legal.create_legal_document(
        None,
        number="118/2025/NĐ-CP",
        title="Nghị định về thực hiện thủ tục hành chính theo cơ chế một cửa",
        issued=dt.date(2025, 6, 9),
        effective=dt.date(2025, 7, 1),
    )
    legal.create_legal_document(
        None,
        number="61/2018/NĐ-CP",
        title="Nghị định về thực hiện cơ chế một cửa, một cửa liên thông",
        issued=dt.date(2018, 4, 23),
        status=LegalStatus.REPLACED,
        replaced_by=new,
        changed_on=dt.date(2025, 7, 1),
    )
    for user in [world.a_staff, world.dost_officer, world.c_secretary]:
        rows = _results(_client(user).get(reverse("api-legal-document-list")))
        assert [r["number"] for r in rows] == ["118/2025/NĐ-CP", "61/2018/NĐ-CP"]
    rows = _results(
        _client(world.a_staff).get(reverse("api-legal-document-list"), {"q": "mot cua lien thong"})
    )
    assert [(r["number"], r["status"], r["replaced_by_number"]) for r in rows] == [
        ("61/2018/NĐ-CP", "replaced", "118/2025/NĐ-CP")
    ]
    rows = _results(
        _client(world.a_staff).get(reverse("api-legal-document-list"), {"status": "in_force"})
    )
    assert [r["number"] for r in rows] == ["118/2025/NĐ-CP"]
    detail = _client(world.a_staff).get(reverse("api-legal-document-detail", args=[new.pk]))
    assert detail.json()["effective"] == "2025-07-01"
    assert (
        _client(world.a_staff).get(reverse("api-legal-document-detail", args=[999999])).status_code
        == 404
    )
    assert _client().get(reverse("api-legal-document-detail", args=[new.pk])).status_code == 401


def test_schema_lists_the_document_paths(world):
    schema = _client().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in (
        "/api/documents/",
        "/api/documents/{id}/",
        "/api/documents/{id}/versions/",
        "/api/versions/{id}/",
        "/api/versions/{id}/sign-offs/",
        "/api/versions/{id}/submit/",
        "/api/versions/{id}/decide/",
        "/api/versions/{id}/acknowledge/",
        "/api/acknowledgements/",
        "/api/legal-documents/",
        "/api/legal-documents/{id}/",
    ):
        assert path in paths, path
    decide = paths["/api/versions/{id}/decide/"]["post"]
    assert {"200", "400", "403", "404"} <= set(decide["responses"])
    params = {p["name"] for p in paths["/api/documents/"]["get"]["parameters"]}
    assert {"unit", "kind", "q"} <= params
