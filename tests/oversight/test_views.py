"""Pages and API of the oversight app: who sees what."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from govqms.oversight.models import ConformityAnnouncement
from tests.oversight import factories as f

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


def _formalistic(world):
    """Agency A: two years of audits without findings and a review deciding nothing."""
    f.audit_plan(world.a, world.a_head, year=YEAR - 1)
    f.audit_plan(world.a, world.a_head, year=YEAR)
    f.review(world.a, held_on=dt.date(YEAR, 1, 5))


# ---------------------------------------------------------------- announcements


def test_staff_reads_announcements_but_may_not_add(world, en):
    f.announce(world.a, world.a_head, number="12/QĐ-UBND")
    en.force_login(world.a_staff)
    body = en.get(reverse("announcement_list", args=[world.a.pk])).content.decode()
    assert "12/QĐ-UBND" in body and 'id="add-announcement"' not in body
    assert en.get(reverse("announcement_create", args=[world.a.pk])).status_code == 403


def test_head_records_an_announcement_with_its_pdf(world, en):
    en.force_login(world.a_head)
    url = reverse("announcement_create", args=[world.a.pk])
    response = en.post(
        url,
        {
            "decision_number": "15/QĐ-UBND",
            "decision_date": "2025-03-01",
            "scope": "Toàn bộ thủ tục hành chính cấp xã",
            "procedure_count": "120",
            "signed_file": SimpleUploadedFile("qd.pdf", f.PDF_BYTES),
            "posted_at_office": "on",
            "posted_url": "https://dongphong.gov.vn/iso",
        },
    )
    assert response.status_code == 302
    ann = ConformityAnnouncement.objects.get(unit=world.a)
    assert ann.procedure_count == 120 and ann.posted_at_office
    body = en.get(reverse("announcement_list", args=[world.a.pk])).content.decode()
    assert "15/QĐ-UBND" in body and 'data-status="current"' in body
    pdf = en.get(reverse("announcement_file", args=[world.a.pk, ann.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_a_refused_file_is_shown_on_the_form(world, en):
    en.force_login(world.a_secretary)
    response = en.post(
        reverse("announcement_create", args=[world.a.pk]),
        {
            "decision_number": "15/QĐ-UBND",
            "decision_date": "2025-03-01",
            "signed_file": SimpleUploadedFile("qd.pdf", b"not a pdf at all"),
        },
    )
    assert response.status_code == 200 and "refused" in response.content.decode()
    assert not ConformityAnnouncement.objects.exists()


def test_the_dost_reads_but_may_not_record(world, en):
    en.force_login(world.dost_officer)
    assert en.get(reverse("announcement_list", args=[world.a.pk])).status_code == 200
    assert en.get(reverse("announcement_create", args=[world.a.pk])).status_code == 403


def test_the_re_announcement_reasons_are_on_the_agency_page(world, en):
    f.announce(world.a, world.a_head, on=dt.date(2024, 3, 1))
    f.assign_tthc(world.a, code="2.000635", on=dt.date(2025, 1, 10))
    en.force_login(world.a_staff)
    body = en.get(reverse("announcement_list", args=[world.a.pk])).content.decode()
    assert 'data-status="needed"' in body and "2.000635" in body


# ---------------------------------------------------------------- public page


def test_public_page_shows_every_agency_of_the_province_with_its_status(world, client):
    f.announce(world.a, world.a_head, on=dt.date(2024, 3, 1), number="12/QĐ-UBND")
    f.assign_tthc(world.b, code="2.000635", on=dt.date(2025, 1, 10))
    f.announce(world.b, world.b_secretary, on=dt.date(2024, 3, 1), number="07/QĐ-UBND")
    f.assign_tthc(world.b, code="2.000999", on=dt.date(2025, 2, 10))
    response = client.get(reverse("public_announcements"), {"province": "Bắc Ninh"})
    assert response.status_code == 200
    body = response.content.decode()
    assert world.a.name in body and world.b.name in body and world.c.name not in body
    assert "12/QĐ-UBND" in body and 'data-status="needed"' in body
    # No people and no internal records.
    for user in (world.a_head, world.b_secretary, world.dost_officer):
        assert user.full_name not in body and user.username not in body
    assert "2.000999" not in body and "Toàn bộ TTHC" not in body
    assert reverse("announcement_list", args=[world.a.pk]) not in body


def test_public_page_search_folds_accents_and_filters_by_status(world, client):
    f.announce(world.a, world.a_head)
    body = client.get(
        reverse("public_announcements"), {"province": "Bắc Ninh", "q": "dong phong"}
    ).content.decode()
    assert world.a.name in body and world.b.name not in body
    body = client.get(
        reverse("public_announcements"), {"province": "Bắc Ninh", "status": "none"}
    ).content.decode()
    assert world.b.name in body and world.a.name not in body


def test_public_page_other_province(world, client):
    body = client.get(reverse("public_announcements"), {"province": "Lạng Sơn"}).content.decode()
    assert world.c.name in body and world.a.name not in body


# ---------------------------------------------------------------- lifecycle and signals


def test_agency_home_shows_the_lifecycle_panel(world, en):
    en.force_login(world.a_staff)
    body = en.get(reverse("agency_detail", args=[world.a.pk])).content.decode()
    assert 'id="lifecycle-panel"' in body and 'data-step="maintained"' in body


def test_the_agency_sees_its_own_signals(world, en):
    _formalistic(world)
    en.force_login(world.a_staff)
    body = en.get(reverse("agency_oversight", args=[world.a.pk])).content.decode()
    assert 'data-signal="audits_without_findings"' in body
    assert 'data-signal="review_without_decisions"' in body
    assert reverse("audit_plan_detail", args=[1]).rsplit("/", 2)[0] in body  # evidence links
    # Agency B sees none of A's.
    en.force_login(world.b_secretary)
    assert en.get(reverse("agency_oversight", args=[world.a.pk])).status_code == 404


def test_dost_console_lists_its_subtree_with_signals_first(world, en):
    _formalistic(world)
    en.force_login(world.dost_officer)
    response = en.get(reverse("oversight_signals"))
    body = response.content.decode()
    assert body.index(world.a.name) < body.index(world.b.name)
    assert world.c.name not in body
    assert 'data-signal="audits_without_findings"' in body
    # Filter by signal and search the agency without accents.
    body = en.get(
        reverse("oversight_signals"), {"signal": "review_without_decisions"}
    ).content.decode()
    assert world.a.name in body and world.b.name not in body
    body = en.get(reverse("oversight_signals"), {"q": "duc giang"}).content.decode()
    assert world.b.name in body and world.a.name not in body


def test_dost_console_and_home_show_who_must_announce(world, en, client):
    f.announce(world.a, world.a_head, on=dt.date(2024, 3, 1))
    f.assign_tthc(world.a, code="2.000635", on=dt.date(2025, 1, 10))
    en.force_login(world.dost_officer)
    body = en.get(reverse("oversight_signals")).content.decode()
    assert 'data-status="needed"' in body and 'data-status="none"' in body
    body = en.get(reverse("agency_list")).content.decode()
    assert "Conformity announcements to renew: 1 · never made: 2" in body
    client.force_login(world.dost_officer)
    rows = {r["code"]: r for r in client.get(reverse("api-oversight-signals")).json()["results"]}
    assert rows["P-A"]["announcement"] == "needed" and rows["P-B"]["announcement"] == "none"


def test_other_province_dost_does_not_see_the_agency(world, en):
    _formalistic(world)
    en.force_login(world.q_officer)
    body = en.get(reverse("oversight_signals")).content.decode()
    assert world.a.name not in body and world.c.name in body
    assert en.get(reverse("agency_oversight", args=[world.a.pk])).status_code == 404


def test_agency_users_may_not_open_the_dost_console(world, en):
    en.force_login(world.a_head)
    assert en.get(reverse("oversight_signals")).status_code == 403


def test_dost_home_shows_the_top_agencies_panel(world, en):
    _formalistic(world)
    en.force_login(world.dost_officer)
    body = en.get(reverse("agency_list")).content.decode()
    assert 'id="signals-panel"' in body and world.a.name in body


# ---------------------------------------------------------------- API


def test_api_announcements_list_and_create(world, client):
    client.force_login(world.a_head)
    url = reverse("api-announcement-list", args=[world.a.pk])
    response = client.post(
        url,
        {
            "decision_number": "20/QĐ-UBND",
            "decision_date": "2025-05-05",
            "signed_file": SimpleUploadedFile("qd.pdf", f.PDF_BYTES),
        },
    )
    assert response.status_code == 201, response.content
    data = client.get(url).json()
    assert data["status"]["status"] == "current" and data["results"][0]["has_signed_file"]
    client.force_login(world.a_staff)
    assert (
        client.post(url, {"decision_number": "x", "decision_date": "2025-05-05"}).status_code == 403
    )
    client.force_login(world.dost_officer)
    assert client.get(url).status_code == 200
    assert (
        client.post(url, {"decision_number": "x", "decision_date": "2025-05-05"}).status_code == 403
    )
    client.force_login(world.b_secretary)
    assert client.get(url).status_code == 404


def test_api_lifecycle_and_signals(world, client):
    _formalistic(world)
    client.force_login(world.a_staff)
    life = client.get(reverse("api-unit-lifecycle", args=[world.a.pk])).json()
    assert [s["key"] for s in life["steps"]] == ["built", "applied", "announced", "maintained"]
    assert life["steps"][1]["checks"][0]["ok"] is True
    own = client.get(reverse("api-unit-signals", args=[world.a.pk])).json()
    assert {s["key"] for s in own["signals"]} >= {"audits_without_findings"}
    assert client.get(reverse("api-oversight-signals")).status_code == 403
    client.force_login(world.dost_officer)
    data = client.get(reverse("api-oversight-signals")).json()
    names = [r["name"] for r in data["results"]]
    assert names[0] == world.a.name and world.c.name not in names
    client.force_login(world.q_officer)
    data = client.get(reverse("api-oversight-signals")).json()
    names = [r["name"] for r in data["results"]]
    assert world.c.name in names and world.a.name not in names and world.b.name not in names
    assert client.get(reverse("api-unit-lifecycle", args=[world.a.pk])).status_code == 404
