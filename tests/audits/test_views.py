"""Pages and their permissions: head and ISO secretary write; lead and team conduct;
staff read; the DoST reads (read-only); other agencies get 404."""

import datetime as dt

import pytest
from django.urls import reverse

from govqms.audits import services
from govqms.audits.models import Auditor, AuditProgramme
from tests.audits.factories import PDF, make_plan, procedure, upload


@pytest.fixture
def plan(aw):
    return make_plan(aw)


def test_reads(aw, plan, client):
    urls = [
        reverse("audit_plan_list", args=[aw.a.pk]),
        reverse("audit_plan_detail", args=[plan.pk]),
        reverse("audit_programme", args=[aw.a.pk, 2026]),
        reverse("audit_auditors", args=[aw.a.pk]),
    ]
    for user in (aw.a_staff, aw.dost_officer, aw.a_head):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 200, (user, url)
    for user in (aw.b_secretary, aw.q_officer, aw.c_secretary):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)


def test_writes_are_for_head_and_secretary(aw, plan, client):
    urls = [
        reverse("audit_plan_create", args=[aw.a.pk]),
        reverse("audit_plan_edit", args=[plan.pk]),
        reverse("audit_programme_edit", args=[aw.a.pk, 2026]),
        reverse("audit_auditor_add", args=[aw.a.pk]),
    ]
    for user in (aw.a_staff, aw.users["a_internal_auditor"], aw.dost_officer, aw.dost_admin):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 403, (user, url)
    for user in (aw.a_head, aw.a_secretary):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 200, (user, url)


def test_list_filters_and_search(aw, client):
    make_plan(aw, title="Đánh giá nội bộ đợt 1 năm 2026")
    make_plan(aw, title="Đánh giá bổ sung hộ tịch", day=dt.date(2025, 9, 1))
    client.force_login(aw.a_staff)
    url = reverse("audit_plan_list", args=[aw.a.pk])
    body = client.get(url, {"q": "bo sung"}).content.decode()
    assert "Đánh giá bổ sung hộ tịch" in body and "đợt 1" not in body
    body = client.get(url, {"year": 2026}).content.decode()
    assert "đợt 1" in body and "bổ sung" not in body
    body = client.get(url, {"status": "completed"}).content.decode()
    assert "đợt 1" not in body


def test_programme_page(aw, client):
    doc, _ = procedure(aw)
    client.force_login(aw.a_secretary)
    response = client.post(
        reverse("audit_programme_edit", args=[aw.a.pk, 2026]),
        {
            "objectives": "Đánh giá toàn bộ HTQLCL ít nhất một lần trong năm.",
            "criteria": "TCVN ISO 9001:2015",
            "frequency": "1 lần/năm",
            "clauses": ["4.1", "9.2"],
            "processes": [doc.pk],
        },
    )
    assert response.status_code == 302
    programme = AuditProgramme.objects.get(unit=aw.a, year=2026)
    assert programme.clauses == ["4.1", "9.2"] and list(programme.processes.all()) == [doc]
    page = client.get(reverse("audit_programme", args=[aw.a.pk, 2026])).content.decode()
    assert "ít nhất một lần" in page and doc.code in page


def test_auditor_register_with_certificate(aw, client):
    client.cookies["django_language"] = "en"
    client.force_login(aw.a_secretary)
    url = reverse("audit_auditor_add", args=[aw.a.pk])
    response = client.post(
        url,
        {
            "user": aw.a_staff.pk,
            "certificate_name": "Chứng chỉ đánh giá viên nội bộ",
            "certificate_date": "2025-05-01",
            "certificate_expiry": "2028-05-01",
            "active": "on",
            "file": upload(PDF, "chung-chi.pdf"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    auditor = Auditor.objects.get(unit=aw.a, user=aw.a_staff)
    assert auditor.certificate_content_type == "application/pdf"
    response = client.get(reverse("audit_auditor_certificate", args=[auditor.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    # A fake file is refused, naming it.
    response = client.post(
        reverse("audit_auditor_edit", args=[auditor.pk]),
        {
            "certificate_name": "x",
            "certificate_date": "2025-05-01",
            "active": "on",
            "file": upload(b"MZ\x90\x00", "chung-chi.pdf"),
        },
    )
    assert response.status_code == 200 and "chung-chi.pdf" in response.content.decode()
    page = client.get(reverse("audit_auditors", args=[aw.a.pk])).content.decode()
    assert str(aw.a_staff) in page and "certified" in page


def test_lead_and_team_conduct_staff_cannot(aw, plan, client):
    item = services.add_item(aw.a_secretary, plan, question="Có sổ theo dõi không?")
    client.force_login(aw.a_staff)
    url = reverse("audit_item", args=[item.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"what": "result", "result": "conforming"}).status_code == 403
    assert client.post(reverse("audit_checklist_generate", args=[plan.pk])).status_code == 403
    client.force_login(aw.users["a_internal_auditor"])
    assert client.post(url, {"what": "result", "result": "conforming"}).status_code == 302
    response = client.post(reverse("audit_evidence_add", args=[item.pk]), {"file": upload()})
    assert response.status_code == 302
    evidence = item.evidence.get()
    response = client.get(reverse("audit_evidence", args=[evidence.pk]))
    assert response.status_code == 200
    client.force_login(aw.b_secretary)
    assert client.get(reverse("audit_evidence", args=[evidence.pk])).status_code == 404
    # The DoST reads but never writes.
    client.force_login(aw.dost_officer)
    assert client.get(url).status_code == 200
    assert client.post(url, {"what": "result", "result": "finding"}).status_code == 403
    assert (
        client.post(reverse("audit_plan_status", args=[plan.pk]), {"action": "start"}).status_code
        == 403
    )


def test_status_buttons(aw, plan, client):
    client.force_login(aw.users["a_internal_auditor"])
    url = reverse("audit_plan_status", args=[plan.pk])
    assert client.post(url, {"action": "start"}).status_code == 302
    assert client.post(url, {"action": "issue"}).status_code == 403
    assert client.post(url, {"action": "complete"}).status_code == 302
    plan.refresh_from_db()
    assert plan.status == "completed" and plan.actual_start and plan.actual_end
    client.force_login(aw.a_secretary)
    client.post(url, {"action": "issue"})
    plan.refresh_from_db()
    assert plan.status == "report_issued"
    # Closed: no more checklist changes.
    client.force_login(aw.users["a_internal_auditor"])
    page = client.get(reverse("audit_plan_detail", args=[plan.pk])).content.decode()
    assert "generate-checklist" not in page


def test_home_panel(aw, plan, client):
    client.force_login(aw.users["a_internal_auditor"])
    body = client.get(reverse("agency_detail", args=[aw.a.pk])).content.decode()
    assert 'id="audits-panel"' in body and plan.title in body
    client.force_login(aw.b_secretary)
    body = client.get(reverse("agency_detail", args=[aw.b.pk])).content.decode()
    assert plan.title not in body
