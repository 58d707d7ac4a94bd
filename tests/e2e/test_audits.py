"""Internal audit in the browser: the ISO secretary plans an audit (and is told when
the auditor is not independent), the lead auditor generates the checklist, records a
result and a minor nonconformity, and the report is downloaded."""

import datetime as dt
import io

import pytest
from docx import Document
from playwright.sync_api import expect

from govqms.audits.models import Finding
from govqms.kpis.models import MonthlyRollup
from govqms.organizations import services as org_services
from govqms.organizations.models import Role
from tests.audits.factories import procedure, register
from tests.e2e.test_shell import sign_in
from tests.factories import START

pytestmark = pytest.mark.browser


def test_plan_audit_checklist_minor_finding_report(page, live_server, e2e_world, screenshot):
    w = e2e_world
    lead = w.users["a_internal_auditor"]
    register(w.a, lead)
    document, tthc = procedure(w)
    MonthlyRollup.objects.create(
        unit=w.a,
        procedure=tthc,
        month=dt.date(2026, 9, 1),
        resolved=20,
        early=5,
        on_time=12,
        late=3,
    )
    # The lead auditor also works in the civil status division.
    org_services.add_membership(
        None, user=lead, unit=w.a, role=Role.STAFF, division="Tư pháp - Hộ tịch", valid_from=START
    )
    org_services.add_membership(
        None,
        user=w.a_staff,
        unit=w.a,
        role=Role.STEERING_MEMBER,
        division="Văn phòng",
        valid_from=START,
    )
    base = live_server.url

    sign_in(page, base, "a_iso_secretary")
    page.goto(f"{base}/agencies/{w.a.pk}/audits/")
    screenshot(page, "audits-list-empty")
    page.click("#plan-audit")
    expect(page.locator("#team-rules")).to_be_visible()
    page.fill("#id_title", "Đánh giá nội bộ đợt 2 năm 2026")
    page.fill("#id_planned_start", "2026-12-14T08:00")
    page.fill("#id_planned_end", "2026-12-14T17:00")
    page.select_option("#id_lead", str(lead.pk))
    page.select_option("#id_processes", [str(document.pk)])
    page.select_option("#id_clauses", ["7.5.3", "8.5.1"])
    page.check("#id_divisions input[value='Tư pháp - Hộ tịch']")
    page.click("#plan-form button[type=submit]")
    # Refused: the lead auditor belongs to the audited division, and the page says so.
    refusal = page.locator(".refusal")
    expect(refusal.first).to_contain_text(str(lead))
    expect(refusal.first).to_contain_text("Tư pháp - Hộ tịch")
    screenshot(page, "audits-plan-refused-independence")
    page.uncheck("#id_divisions input[value='Tư pháp - Hộ tịch']")
    page.check("#id_divisions input[value='Văn phòng']")
    page.click("#plan-form button[type=submit]")
    expect(page.locator("h1")).to_have_text("Đánh giá nội bộ đợt 2 năm 2026")

    # The lead auditor conducts the audit.
    page.context.clear_cookies()
    sign_in(page, base, "a_internal_auditor")
    page.goto(f"{base}/agencies/{w.a.pk}/audits/")
    page.click("#audit-plans a")
    page.click("#start-audit")
    page.click("#generate-checklist")
    rows = page.locator("#checklist-table tbody tr")
    expect(rows).to_have_count(2 + 4 + 1)
    expect(page.locator("#checklist-table")).to_contain_text("Tiếp nhận hồ sơ")
    expect(page.locator("#checklist-table")).to_contain_text("85.0%")
    first = rows.nth(0)
    first.locator("select.result-select").select_option("conforming")
    first.locator("button[type=submit]").click()
    expect(page.locator("#checklist-table tbody tr").nth(0)).to_have_class("table-success")
    # A minor nonconformity on the KPI question.
    kpi_row = page.locator("#checklist-table tbody tr", has_text="85.0%")
    kpi_row.locator("a[href*='findings/new']").click()
    page.select_option("#id_grade", "minor")
    page.fill("#id_description", "Ba hồ sơ trả trễ hạn không có phiếu xin lỗi và hẹn lại.")
    page.fill("#id_evidence", "Sổ theo dõi tháng 9/2026.")
    page.click("#finding-form button[type=submit]")
    findings = page.locator("#findings-table")
    expect(findings).to_contain_text("Ba hồ sơ trả trễ hạn")
    expect(findings).to_contain_text("9.1.3")
    finding = Finding.objects.get()
    assert finding.grade == "minor" and finding.process == document
    assert finding.nonconformity_id  # the corrective action was opened
    expect(page.locator(f"#finding-{finding.pk} a")).to_have_count(1)
    screenshot(page, "audits-plan-detail")

    # The report.
    with page.expect_download() as info:
        page.click("#report-docx")
    data = open(info.value.path(), "rb").read()
    text = "\n".join(
        [p.text for p in Document(io.BytesIO(data)).paragraphs]
        + [c.text for t in Document(io.BytesIO(data)).tables for r in t.rows for c in r.cells]
    )
    assert "BÁO CÁO ĐÁNH GIÁ NỘI BỘ" in text and "Ba hồ sơ trả trễ hạn" in text
    with page.expect_download() as info:
        page.click("#report-pdf")
    assert open(info.value.path(), "rb").read().startswith(b"%PDF")

    # The register.
    page.goto(f"{base}/agencies/{w.a.pk}/auditors/")
    expect(page.locator("#auditors")).to_contain_text(str(lead))
    screenshot(page, "audits-auditor-register")
    page.goto(f"{base}/agencies/{w.a.pk}/audits/")
    screenshot(page, "audits-list")
