import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from govqms.core.models import AuditEntry
from govqms.improvement.models import Nonconformity
from govqms.inspections.models import Inspection, InspectionPlan
from tests.inspections.factories import inspected, inspection_of, make_plan
from tests.oversight.factories import PDF_BYTES

pytestmark = pytest.mark.django_db


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


def _login(client, user):
    client.force_login(user)
    return client


def test_plan_page_counts_filters_and_search(world, en):
    w = world
    plan = make_plan(w)
    c = _login(en, w.dost_officer)
    url = reverse("inspection_plan_detail", args=[plan.year])
    body = c.get(url).content.decode()
    assert 'id="count-total">3<' in body and 'id="count-on-site">1<' in body
    assert "33.3 %" in body and "min. 1" in body
    assert "Never inspected on site (+20)" in body
    assert 'id="approve-form"' not in body  # an officer does not approve
    body = c.get(url, {"q": "duc giang"}).content.decode()  # folded search
    assert w.b.name in body and w.a.name not in body
    body = c.get(url, {"mode": "on_site"}).content.decode()
    assert body.count('class="table-warning"') == 1


def test_admin_adjusts_the_sample_and_approval_names_the_shortfall(world, en):
    w = world
    plan = make_plan(w)
    c = _login(en, w.dost_admin)
    url = reverse("inspection_plan_detail", args=[plan.year])
    on_site = plan.inspections.get(mode="on_site")
    c.post(
        url, {"action": "mode", "inspection": on_site.pk, "mode": "records", "planned_month": 10}
    )
    body = c.post(url, {"action": "approve", "number": "1/KH"}, follow=True).content.decode()
    assert "At least 1 of the 3 agencies must be inspected on site" in body
    plan.refresh_from_db()
    assert plan.status == InspectionPlan.Status.DRAFT
    b = inspection_of(plan, w.b)
    c.post(url, {"action": "mode", "inspection": b.pk, "mode": "on_site", "planned_month": 5})
    b.refresh_from_db()
    assert b.mode == "on_site" and b.planned_month == 5
    c.post(url, {"action": "approve", "number": "1/KH"})
    plan.refresh_from_db()
    assert plan.status == "approved" and plan.number == "1/KH"


def test_officer_cannot_change_the_plan(world, en):
    w = world
    plan = make_plan(w)
    url = reverse("inspection_plan_detail", args=[plan.year])
    b = inspection_of(plan, w.b)
    response = _login(en, w.dost_officer).post(
        url, {"action": "mode", "inspection": b.pk, "mode": "on_site"}
    )
    assert response.status_code == 403


def test_plan_create_page(world, en):
    w = world
    c = _login(en, w.dost_admin)
    response = c.post(
        reverse("inspection_plan_create"),
        {"owner": w.p.pk, "year": 2026, "title": "Kế hoạch 2026", "number": ""},
    )
    assert response.status_code == 302
    plan = InspectionPlan.objects.get(owner=w.p, year=2026)
    assert plan.inspections.count() == 3
    assert _login(en, w.dost_officer).get(reverse("inspection_plan_create")).status_code == 403


def test_officer_runs_the_inspection_through_the_page(world, en):
    w = world
    plan = make_plan(w)
    from govqms.inspections import services

    services.set_mode(w.dost_admin, inspection_of(plan, w.b), "on_site")
    services.approve_plan(w.dost_admin, plan)
    inspection = inspection_of(plan, w.b)
    c = _login(en, w.dost_officer)
    url = reverse("inspection_detail", args=[inspection.pk])
    today = dt.date.today()
    c.post(
        url,
        {
            "action": "decision",
            "number": "3/QĐ-SKHCN",
            "date": today.isoformat(),
            "lead": w.dost_officer.pk,
            "team": "Hoàng Thu Hà",
            "scheduled_on": today.isoformat(),
        },
    )
    c.post(
        url,
        {
            "action": "minutes",
            "inspected_on": today.isoformat(),
            "representatives": "Thư ký ISO",
            "summary": "",
            "conclusion": "Cơ bản phù hợp",
        },
    )
    c.post(
        url,
        {"action": "finding", "clause": "10.2", "text": "Chưa khắc phục", "grade": "nonconformity"},
    )
    inspection.refresh_from_db()
    assert inspection.status == "done" and inspection.decision_number == "3/QĐ-SKHCN"
    nc = Nonconformity.objects.get(unit=w.b, source_kind="inspection")
    body = c.get(url).content.decode()
    assert nc.number in body and reverse("nc_detail", args=[w.b.pk, nc.pk]) in body
    # The read was logged where the agency sees it.
    assert AuditEntry.objects.filter(action="oversight_read", unit=w.b, actor=w.dost_officer)
    # A missing conclusion is refused on the form.
    body = c.post(url, {"action": "minutes", "inspected_on": today.isoformat()}).content.decode()
    assert "This field is required" in body


def test_agency_sees_its_own_inspection_and_submits_the_report(world, en):
    w = world
    inspection = inspected(w)
    c = _login(en, w.b_secretary)
    body = c.get(reverse("agency_inspections", args=[w.b.pk])).content.decode()
    assert "25/QĐ-SKHCN" in body and "due 15/06/2026" in body
    url = reverse("inspection_detail", args=[inspection.pk])
    body = c.get(url).content.decode()
    assert "Chưa đánh giá nội bộ năm 2025" in body
    # Never the risk score or another agency of the plan.
    assert "Risk score" not in body and w.a.name not in body
    response = c.post(
        url,
        {
            "action": "report",
            "text": "Đã đánh giá nội bộ",
            "file": SimpleUploadedFile("bao-cao.pdf", PDF_BYTES),
        },
    )
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.report_received
    assert c.get(reverse("inspection_report_file", args=[inspection.pk])).status_code == 200
    # The agency cannot act as the DoST, nor see the plan.
    assert c.post(url, {"action": "close"}).status_code == 403
    assert c.get(reverse("inspection_plan_detail", args=[2026])).status_code == 403
    # Staff of the agency read but do not report; another agency's staff get 404.
    from tests.factories import make_user

    staff = make_user("b_staff", "Lý Văn Sơn", w.b, "staff")
    c = _login(en, staff)
    body = c.get(url).content.decode()
    assert 'id="report-form"' not in body
    assert c.post(url, {"action": "report", "text": "x"}).status_code == 403
    assert _login(en, w.a_staff).get(url).status_code == 404


def test_tenancy_other_agency_and_other_province(world, en):
    w = world
    inspection = inspected(w)
    for user in (w.a_secretary, w.c_secretary, w.q_officer):
        c = _login(en, user)
        assert c.get(reverse("inspection_detail", args=[inspection.pk])).status_code == 404
        assert c.get(reverse("inspection_minutes_docx", args=[inspection.pk])).status_code == 404
    # A draft plan's inspections are not shown to the agency.
    plan = make_plan(w, year=2027)
    draft = inspection_of(plan, w.b)
    c = _login(en, w.b_secretary)
    assert c.get(reverse("inspection_detail", args=[draft.pk])).status_code == 404


def test_docx_downloads(world, en):
    w = world
    inspection = inspected(w)
    c = _login(en, w.b_secretary)
    response = c.get(reverse("inspection_minutes_docx", args=[inspection.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "bien-ban-kiem-tra-2026-P-B.docx" in response["Content-Disposition"]
    c = _login(en, w.dost_officer)
    response = c.get(reverse("inspection_plan_detail", args=[2026]), {"export": "docx"})
    assert response.status_code == 200 and response.content[:2] == b"PK"


def test_home_panels(world, en):
    w = world
    inspected(w)
    from govqms.inspections import panels

    panel = panels.agency_panel(w.b_secretary, w.b)
    assert panel is not None and panel.context["items"][0].status == Inspection.Status.DONE
    assert panels.agency_panel(w.a_secretary, w.b) is None
    panel = panels.oversight_panel(w.dost_officer)
    assert panel.context["plan"] is None or panel.context["counts"]["total"] == 3


def test_home_pages_show_the_panels(world, en):
    w = world
    inspection = inspected(w)
    body = _login(en, w.b_secretary).get(reverse("agency_detail", args=[w.b.pk])).content.decode()
    assert 'id="inspections-panel"' in body
    assert "Corrective report due 15/06/2026" in body
    assert reverse("inspection_detail", args=[inspection.pk]) in body
    body = _login(en, w.dost_officer).get(reverse("agency_list")).content.decode()
    assert 'id="inspections-plan-panel"' in body
