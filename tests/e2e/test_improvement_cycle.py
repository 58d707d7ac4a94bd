"""The improvement loop in one browser session (issue 5): the ISO secretary plans an
internal audit, the lead auditor records a minor nonconformity, the corrective action
is opened, completed by its owner, evaluated effective by the head and closed, and the
next management review finds the audit and the closed nonconformity in its inputs."""

import pytest
from playwright.sync_api import expect

from govqms.audits.models import Finding
from govqms.improvement.models import Nonconformity
from tests.audits.factories import procedure, register
from tests.e2e.test_shell import sign_in

pytestmark = pytest.mark.browser


def as_user(page, base, username):
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": base}])
    sign_in(page, base, username)


def test_audit_finding_to_closed_action_to_review_inputs(page, live_server, e2e_world, screenshot):
    w, base = e2e_world, live_server.url
    lead = w.users["a_internal_auditor"]
    register(w.a, lead)
    document, _tthc = procedure(w)

    # 1. The ISO secretary plans the audit.
    as_user(page, base, "a_iso_secretary")
    page.goto(f"{base}/agencies/{w.a.pk}/audits/")
    page.click("#plan-audit")
    page.fill("#id_title", "Đánh giá nội bộ năm 2026")
    page.fill("#id_planned_start", "2026-11-24T08:00")
    page.fill("#id_planned_end", "2026-11-24T16:00")
    page.select_option("#id_lead", str(lead.pk))
    page.select_option("#id_processes", [str(document.pk)])
    page.select_option("#id_clauses", ["8.5.1"])
    page.click("#plan-form button[type=submit]")
    expect(page.locator("h1")).to_have_text("Đánh giá nội bộ năm 2026")
    screenshot(page, "cycle-1-audit-planned")

    # 2. The lead auditor runs it and records a minor nonconformity.
    as_user(page, base, "a_internal_auditor")
    page.goto(f"{base}/agencies/{w.a.pk}/audits/")
    page.click("#audit-plans a")
    page.click("#start-audit")
    page.click("#generate-checklist")
    row = page.locator("#checklist-table tbody tr").first
    row.locator("a[href*='findings/new']").click()
    page.select_option("#id_grade", "minor")
    page.fill("#id_description", "Hai hồ sơ trả trễ hạn không có phiếu xin lỗi và hẹn lại.")
    page.fill("#id_evidence", "Sổ theo dõi hồ sơ tháng 10/2026.")
    page.click("#finding-form button[type=submit]")
    expect(page.locator("#findings-table")).to_contain_text("Hai hồ sơ trả trễ hạn")
    finding = Finding.objects.get()
    nc = Nonconformity.objects.get(pk=finding.nonconformity_id)
    assert nc.source_kind == "audit_finding" and nc.grade == "minor"
    page.click("#complete-audit")
    expect(page.locator("#complete-audit")).to_have_count(0)
    screenshot(page, "cycle-2-minor-finding")

    # 3. The secretary follows the finding to its nonconformity and opens the action.
    as_user(page, base, "a_iso_secretary")
    page.goto(f"{base}/agencies/{w.a.pk}/audits/")
    page.click("#audit-plans a")
    page.click(f"#finding-{finding.pk} a")
    expect(page.locator("h1")).to_contain_text(nc.number)
    page.fill("#correction-form textarea[name=correction]", "Đã gửi phiếu xin lỗi cho 2 công dân")
    page.click("#correction-form button[type=submit]")
    page.fill("#id_why_1", "Vì sao không có phiếu xin lỗi?")
    page.fill("#id_because_1", "Không ai theo dõi hồ sơ sắp đến hạn")
    page.fill("#id_root_cause", "Chưa phân công người theo dõi hạn xử lý hồ sơ hằng ngày")
    page.click("#analysis-form button[type=submit]")
    page.fill("#action-form textarea[name=text]", "Phân công một cửa theo dõi hạn hằng ngày")
    page.select_option("#action-form select[name=owner]", str(w.a_staff.pk))
    page.fill("#action-form input[name=due_date]", "2026-12-31")
    page.click("#action-form button[type=submit]")
    expect(page.locator("#actions-table")).to_contain_text("Phân công một cửa")
    nc_url = page.url
    screenshot(page, "cycle-3-corrective-action")

    # 4. The owner completes it.
    as_user(page, base, "a_staff")
    page.goto(nc_url)
    page.fill(".action-done-form textarea[name=evidence]", "Quyết định phân công số 21/QĐ-UBND")
    page.click(".action-done-form button[type=submit]")
    expect(page.locator("#actions-table")).to_contain_text("21/QĐ-UBND")

    # 5. The head evaluates it effective and closes the nonconformity.
    as_user(page, base, "a_head")
    page.goto(nc_url)
    page.check("#evaluation-form input[name=effective][value=yes]")
    page.fill("#evaluation-form textarea[name=comment]", "Không còn hồ sơ trễ hạn chưa xin lỗi")
    page.click("#evaluation-form button[type=submit]")
    page.click("#nc-close-btn")
    expect(page.locator(".nc-status").first).to_contain_text("Closed")
    screenshot(page, "cycle-4-closed")
    nc.refresh_from_db()
    assert nc.status == "closed"

    # 6. The next management review finds both in its inputs.
    as_user(page, base, "a_iso_secretary")
    page.goto(f"{base}/agencies/{w.a.pk}/management-reviews/")
    page.click("#plan-review")
    page.fill("#id_title", "Họp xem xét của lãnh đạo cuối năm 2026")
    page.fill("#id_planned_date", "2026-12-15")
    page.select_option("#id_chair", str(w.a_head.pk))
    page.click("#save-review")
    page.click("#input-nonconformities .accordion-button")
    section = page.locator("#input-nonconformities")
    expect(section).to_contain_text(nc.number)
    page.click("#input-audit_results .accordion-button")
    expect(page.locator("#input-audit_results")).to_contain_text("Đánh giá nội bộ năm 2026")
    screenshot(page, "cycle-5-review-inputs")
