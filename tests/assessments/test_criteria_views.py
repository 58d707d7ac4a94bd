"""Criteria set pages and API: who sees and edits what, the frozen set, the forms."""

from decimal import Decimal

import pytest
from django.urls import reverse

from govqms.assessments import criteria as services
from govqms.assessments.default_criteria import create_default_set
from govqms.assessments.models import CriteriaSet
from govqms.core.models import AuditEntry
from govqms.organizations.models import Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db

FROZEN = "A published criteria set is frozen."


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def p_set(world):
    return create_default_set(None, owner=world.p, year=2022)


@pytest.fixture
def q_set(world):
    return create_default_set(None, owner=world.q, year=2022, title="Bộ tiêu chí Lạng Sơn 2022")


@pytest.fixture
def q_admin(world):
    return make_user("q_admin", "Quản trị Lạng Sơn", world.q, Role.DOST_ADMIN)


def _as(client, user):
    client.force_login(user)
    return client


def test_list_shows_the_provinces_sets_only(world, en, p_set, q_set):
    body = _as(en, world.dost_officer).get(reverse("criteria_set_list")).content.decode()
    assert p_set.title in body and q_set.title not in body
    assert "New from the default scheme" not in body  # officers do not create
    body = _as(en, world.dost_admin).get(reverse("criteria_set_list")).content.decode()
    assert "New from the default scheme" in body and "Copy the 2022 set" in body
    body = _as(en, world.q_officer).get(reverse("criteria_set_list")).content.decode()
    assert q_set.title in body and p_set.title not in body


def test_list_empty_state_and_filters(world, en):
    body = _as(en, world.dost_admin).get(reverse("criteria_set_list")).content.decode()
    assert 'id="criteria-empty"' in body and "No criteria set yet." in body
    create_default_set(None, owner=world.p, year=2021)
    create_default_set(None, owner=world.p, year=2022)
    body = en.get(reverse("criteria_set_list") + "?year=2021").content.decode()
    assert 'data-year="2021"' in body and 'data-year="2022"' not in body
    body = en.get(reverse("criteria_set_list") + "?status=published").content.decode()
    assert "No criteria set matches these filters." in body


def test_agency_users_get_403_and_the_other_province_404(world, en, p_set):
    read_urls = [
        reverse("criteria_set_list"),
        reverse("criteria_set_detail", args=[p_set.pk]),
        reverse("criteria_set_history", args=[p_set.pk]),
        reverse("criteria_set_export", args=[p_set.pk]),
        reverse("api-criteria-set-list"),
        reverse("api-criteria-set-detail", args=[p_set.pk]),
    ]
    for user in (world.a_head, world.a_secretary, world.b_secretary):
        for url in read_urls:
            assert _as(en, user).get(url).status_code == 403, (user, url)
    for url in [u for u in read_urls if str(p_set.pk) in u]:
        assert _as(en, world.q_officer).get(url).status_code == 404, url
        assert _as(en, world.dost_officer).get(url).status_code == 200, url
    assert en.get(reverse("criteria_set_export", args=[p_set.pk]))["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )


def test_officer_cannot_edit_and_other_provinces_admin_gets_404(world, en, p_set, q_admin):
    group = p_set.groups.first()
    criterion = p_set.criteria.first()
    edit_gets = [
        reverse("criteria_set_edit", args=[p_set.pk]),
        reverse("criteria_bands_edit", args=[p_set.pk]),
        reverse("criteria_set_import", args=[p_set.pk]),
        reverse("criteria_set_copy", args=[p_set.pk]),
        reverse("criteria_group_create", args=[p_set.pk]),
        reverse("criteria_group_edit", args=[p_set.pk, group.pk]),
        reverse("criterion_create", args=[p_set.pk]),
        reverse("criterion_edit", args=[p_set.pk, criterion.pk]),
    ]
    posts = [
        reverse("criteria_set_publish", args=[p_set.pk]),
        reverse("criteria_group_delete", args=[p_set.pk, group.pk]),
        reverse("criterion_delete", args=[p_set.pk, criterion.pk]),
        reverse("api-criteria-set-publish", args=[p_set.pk]),
        reverse("api-criteria-set-copy", args=[p_set.pk]),
    ]
    for url in edit_gets:
        assert _as(en, world.dost_officer).get(url).status_code == 403, url
        assert _as(en, q_admin).get(url).status_code == 404, url
        assert _as(en, world.dost_admin).get(url).status_code == 200, url
    for url in posts:
        assert _as(en, world.dost_officer).post(url, {"year": 2030}).status_code == 403, url
        assert _as(en, q_admin).post(url, {"year": 2030}).status_code == 404, url
    assert _as(en, world.dost_officer).get(reverse("criteria_set_create")).status_code == 403
    p_set.refresh_from_db()
    assert not p_set.is_frozen and p_set.criteria.filter(pk=criterion.pk).exists()
    assert CriteriaSet.objects.count() == 1


def test_admin_creates_from_the_default_scheme_and_copies(world, en):
    client = _as(en, world.dost_admin)
    response = client.post(
        reverse("criteria_set_create"), {"owner": world.p.pk, "year": 2021, "start": "default"}
    )
    cs = CriteriaSet.objects.get(year=2021)
    assert response.status_code == 302 and response["Location"].endswith(f"/criteria/{cs.pk}/")
    assert cs.criteria.count() >= 15 and cs.owner == world.p
    body = client.get(reverse("criteria_set_detail", args=[cs.pk])).content.decode()
    assert 'id="total-points">100<' in body
    assert "Before publishing" not in body and 'id="publish-open"' in body
    # A second set for the same year is refused, on the form.
    response = client.post(
        reverse("criteria_set_create"), {"owner": world.p.pk, "year": 2021, "start": "empty"}
    )
    assert response.status_code == 200 and "already has a criteria set for 2021" in (
        response.content.decode()
    )
    response = client.post(reverse("criteria_set_copy", args=[cs.pk]), {"year": 2022})
    copy = CriteriaSet.objects.get(year=2022)
    assert response.status_code == 302 and copy.copied_from == cs
    assert copy.criteria.count() == cs.criteria.count()
    body = client.get(reverse("criteria_set_list")).content.decode()
    assert "copied from 2021" in body


def test_empty_set_shows_its_empty_state_and_what_blocks_publishing(world, en):
    cs = services.create_set(world.dost_admin, owner=world.p, year=2024, title="Bộ trống")
    body = _as(en, world.dost_admin).get(reverse("criteria_set_detail", args=[cs.pk])).content
    body = body.decode()
    assert 'id="groups-empty"' in body and "The set has no criterion." in body
    # Adding a criterion without a group leads to the group form first.
    response = en.get(reverse("criterion_create", args=[cs.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("criteria_group_create", args=[cs.pk])


def test_criterion_form_edits_text_points_and_rule_parameters(world, en, p_set):
    criterion = p_set.criteria.get(code="4.1")
    client = _as(en, world.dost_admin)
    url = reverse("criterion_edit", args=[p_set.pk, criterion.pk])
    body = client.get(url).content.decode()
    assert 'data-rule-picker="1"' in body and 'data-rule="legal_updates_on_time"' in body
    from govqms.assessments import rules

    rule = rules.RULES.get("legal_updates_on_time")
    data = {
        "group": criterion.group_id,
        "code": "4.1",
        "text": "Văn bản pháp luật mới được cập nhật trong 60 ngày.",
        "guidance": criterion.guidance,
        "evidence_expected": criterion.evidence_expected,
        "max_points": "7,5",
        "order": criterion.order,
        "rule": "legal_updates_on_time",
    }
    if rule is not None:
        data["param__legal_updates_on_time__months"] = "2"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    criterion.refresh_from_db()
    assert criterion.text.endswith("60 ngày.") and criterion.max_points == Decimal("7.5")
    if rule is not None:
        assert criterion.rule_params["months"] == 2
        body = client.get(reverse("criteria_set_detail", args=[p_set.pk])).content.decode()
        assert str(rule.label) in body
    # A bad number is shown on the form, nothing saved.
    data["max_points"] = "bảy"
    response = client.post(url, data)
    assert response.status_code == 200 and "Enter a number of points." in response.content.decode()
    criterion.refresh_from_db()
    assert criterion.max_points == Decimal("7.5")


def test_bands_form_refuses_rising_bounds(world, en, p_set):
    client = _as(en, world.dost_admin)
    url = reverse("criteria_bands_edit", args=[p_set.pk])
    data = {"excellent": "90", "good": "92", "fair": "65", "average": "50", "weak": "0"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "must be below that of" in response.content.decode()
    data["good"] = "85"
    assert client.post(url, data).status_code == 302
    assert p_set.bands.get(band="good").min_points == Decimal("85")


def test_publish_then_every_page_post_is_refused(world, en, p_set):
    client = _as(en, world.dost_admin)
    response = client.post(reverse("criteria_set_publish", args=[p_set.pk]))
    assert response.status_code == 302
    p_set.refresh_from_db()
    assert p_set.is_frozen
    body = client.get(reverse("criteria_set_detail", args=[p_set.pk])).content.decode()
    assert 'id="frozen-notice"' in body and "published and frozen" in body
    assert 'id="publish-open"' not in body and "criterion-edit" not in body
    group = p_set.groups.first()
    criterion = p_set.criteria.first()
    before = list(p_set.criteria.values_list("code", "text", "max_points"))
    posts = {
        reverse("criteria_set_edit", args=[p_set.pk]): {"title": "x", "year": 2022},
        reverse("criteria_bands_edit", args=[p_set.pk]): {"excellent": "50", "weak": "0"},
        reverse("criteria_group_create", args=[p_set.pk]): {"code": "9", "title": "x"},
        reverse("criteria_group_edit", args=[p_set.pk, group.pk]): {"code": "1", "title": "x"},
        reverse("criteria_group_delete", args=[p_set.pk, group.pk]): {},
        reverse("criterion_create", args=[p_set.pk]): {
            "group": group.pk,
            "code": "9.9",
            "text": "x",
            "max_points": "1",
        },
        reverse("criterion_edit", args=[p_set.pk, criterion.pk]): {
            "group": group.pk,
            "code": criterion.code,
            "text": "x",
            "max_points": "1",
        },
        reverse("criterion_delete", args=[p_set.pk, criterion.pk]): {},
        reverse("criteria_set_import", args=[p_set.pk]): {},
        reverse("criteria_set_publish", args=[p_set.pk]): {},
    }
    for url, data in posts.items():
        response = client.post(url, data, follow=True)
        assert response.status_code == 200, url
        assert FROZEN in response.content.decode(), url
    assert list(p_set.criteria.values_list("code", "text", "max_points")) == before
    assert p_set.groups.count() == 5
    assert p_set.bands.get(band="excellent").min_points == Decimal("90")
    # The API refuses too.
    response = client.post(reverse("api-criteria-set-publish", args=[p_set.pk]))
    assert response.status_code == 400 and response.json() == {"non_field_errors": [FROZEN]}


def test_history_lists_the_changes(world, en, p_set):
    criterion = p_set.criteria.get(code="1.1")
    services.save_criterion(
        world.dost_admin,
        p_set,
        criterion=criterion,
        group=criterion.group,
        code="1.1",
        text="Chính sách chất lượng đã sửa",
        max_points=criterion.max_points,
    )
    services.publish_set(world.dost_admin, p_set)
    body = (
        _as(en, world.dost_officer)
        .get(reverse("criteria_set_history", args=[p_set.pk]))
        .content.decode()
    )
    assert "Criterion saved" in body and "Criteria set published" in body
    assert "Chính sách chất lượng đã sửa" in body and "dost_admin" in body


def test_api_lists_details_publishes_and_copies(world, en, p_set, q_set):
    client = _as(en, world.dost_officer)
    data = client.get(reverse("api-criteria-set-list")).json()
    rows = data["results"] if isinstance(data, dict) else data
    assert [r["id"] for r in rows] == [p_set.pk]
    detail = client.get(reverse("api-criteria-set-detail", args=[p_set.pk])).json()
    assert detail["total_points"] == "100.00"
    assert [g["code"] for g in detail["groups"]] == ["1", "2", "3", "4", "5"]
    first = detail["groups"][0]["criteria"][1]
    assert first["code"] == "1.2" and first["rule"] == "tthc_coverage"
    assert first["rule_params"] == {"full_at": 100}
    assert [b["band"] for b in detail["bands"]] == ["excellent", "good", "fair", "average", "weak"]
    assert detail["publication_problems"] == []
    # Officers read only.
    assert client.post(reverse("api-criteria-set-publish", args=[p_set.pk])).status_code == 403
    admin = _as(en, world.dost_admin)
    response = admin.post(reverse("api-criteria-set-publish", args=[p_set.pk]))
    assert response.status_code == 200 and response.json()["state"] == "published"
    response = admin.post(
        reverse("api-criteria-set-copy", args=[p_set.pk]), {"year": 2023}, format="json"
    )
    assert response.status_code == 201, response.content
    copy = CriteriaSet.objects.get(owner=world.p, year=2023)
    assert response.json()["copied_from"] == p_set.pk and copy.criteria.count() == 20
    response = admin.post(reverse("api-criteria-set-copy", args=[p_set.pk]), {"year": 2023})
    assert response.status_code == 400 and "year" in response.json()
    response = admin.post(reverse("api-criteria-set-list"), {"year": 2025, "start": "empty"})
    assert response.status_code == 201 and response.json()["groups"] == []
    assert AuditEntry.objects.filter(action="criteria_set_publish").count() == 1


def test_pages_render_in_vietnamese_with_a_decimal_comma(world, client, p_set):
    criterion = p_set.criteria.get(code="1.1")
    services.save_criterion(
        None,
        p_set,
        criterion=criterion,
        group=criterion.group,
        code="1.1",
        text=criterion.text,
        max_points="2.5",
    )
    client.force_login(world.dost_admin)
    body = client.get(reverse("criteria_set_detail", args=[p_set.pk])).content.decode()
    assert 'id="total-points">99,5<' in body
    assert f'<tr id="criterion-{criterion.pk}"' in body and ">2,5<" in body
    urls = [
        reverse("criteria_set_list"),
        reverse("criteria_set_create"),
        reverse("criteria_set_edit", args=[p_set.pk]),
        reverse("criteria_set_copy", args=[p_set.pk]),
        reverse("criteria_bands_edit", args=[p_set.pk]),
        reverse("criteria_set_import", args=[p_set.pk]),
        reverse("criteria_set_history", args=[p_set.pk]),
        reverse("criteria_group_create", args=[p_set.pk]),
        reverse("criterion_create", args=[p_set.pk]),
        reverse("criterion_edit", args=[p_set.pk, criterion.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert '<html lang="vi">' in response.content.decode(), url


def test_api_edits_a_draft_and_is_refused_on_a_frozen_set(world, en, p_set, q_admin):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from govqms.assessments.criteria_xlsx import export_set

    admin = _as(en, world.dost_admin)
    criterion = p_set.criteria.get(code="2.2")
    url = reverse("api-criterion-update", args=[p_set.pk, criterion.pk])
    response = admin.post(
        url, {"max_points": "7,5", "rule_params": {"full_at": 97}}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["max_points"] == "7.50" and response.json()["rule"] == (
        "dossier_on_time_rate"
    )
    criterion.refresh_from_db()
    assert criterion.rule_params["full_at"] == 97 and criterion.text  # text kept
    response = admin.post(url, {"group": "9"}, content_type="application/json")
    assert response.status_code == 400 and "group" in response.json()
    bands_url = reverse("api-criteria-set-bands", args=[p_set.pk])
    response = admin.post(bands_url, {"excellent": "85", "good": "90", "weak": "0"})
    assert response.status_code == 400 and "good" in response.json()
    response = admin.post(bands_url, {"excellent": "85", "good": "70", "weak": "0"})
    assert response.status_code == 200
    assert [b["band"] for b in response.json()["bands"]] == ["excellent", "good", "weak"]
    import_url = reverse("api-criteria-set-import", args=[p_set.pk])
    data = export_set(p_set)
    response = admin.post(import_url, {"file": SimpleUploadedFile("tc.xlsx", data)})
    assert response.status_code == 200 and response.json()["unchanged"] == 20
    assert response.json()["created"] == 0 and response.json()["applied"] is True
    # Officers and the other province's administrator may not.
    assert _as(en, world.dost_officer).post(bands_url, {"weak": "0"}).status_code == 403
    assert _as(en, q_admin).post(bands_url, {"weak": "0"}).status_code == 404
    # Frozen: every API write is refused with the same message.
    services.publish_set(world.dost_admin, p_set)
    admin = _as(en, world.dost_admin)
    refused = [
        admin.post(url, {"text": "x"}, content_type="application/json"),
        admin.post(bands_url, {"excellent": "50", "weak": "0"}),
        admin.post(import_url, {"file": SimpleUploadedFile("tc.xlsx", data)}),
        admin.post(reverse("api-criteria-set-publish", args=[p_set.pk])),
    ]
    for response in refused:
        assert response.status_code == 400
        assert response.json() == {"non_field_errors": [FROZEN]}
    criterion.refresh_from_db()
    assert criterion.text != "x" and p_set.bands.get(band="excellent").min_points == 85
