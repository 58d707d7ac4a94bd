"""The DoST officer finds a formalistic agency on the signals page and opens the
records behind a signal; the agency sees where it stands in the four steps on its
home; a citizen reads the announcement status of the province's agencies."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.test_shell import sign_in
from tests.oversight import factories as f

pytestmark = pytest.mark.browser

YEAR = timezone.localdate().year


def build(w):
    # A: formalistic. Audits without findings two years running, the same checklist,
    # a 30-minute audit of three clauses, a review deciding nothing, an action
    # closed the day it was opened.
    f.audit_plan(w.a, w.a_head, year=YEAR - 1)
    f.audit_plan(w.a, w.a_head, year=YEAR, minutes=30, clauses=["7.5", "8.5.1", "9.2"])
    f.review(w.a, held_on=dt.date(YEAR, 1, 8))
    day = dt.date(YEAR, 2, 3)
    nc = f.nonconformity(w.a, detected=day, closed=True)
    f.corrective_action(nc, w.a_head, created=day, done=day)
    f.objective(w.a, year=YEAR)
    f.announce(w.a, w.a_head, on=dt.date(2023, 3, 1), number="12/QĐ-UBND")
    f.assign_tthc(w.a, code="2.000635", on=dt.date(2024, 6, 1))
    # B: maintained. Policy, objectives measured, covered TTHC, audit with findings,
    # review with decisions, a current announcement.
    f.assign_tthc(w.b, code="1.001193", doc_code="QT-01", on=dt.date(2023, 1, 1))
    f.policy(w.b, YEAR)
    f.objective(w.b, year=YEAR, measured=True)
    plan = f.audit_plan(w.b, w.b_secretary, year=YEAR, findings=2)
    nc = f.nonconformity(w.b, closed=True)
    plan.findings.update(nonconformity_id=str(nc.pk))
    f.review(w.b, held_on=dt.date(YEAR, 1, 9), decisions=3)
    f.announce(w.b, w.b_secretary, on=dt.date(2024, 3, 1), number="07/QĐ-UBND")


def test_dost_officer_opens_signals_and_evidence(page, live_server, e2e_world, screenshot):
    w = e2e_world
    build(w)
    base = live_server.url
    sign_in(page, base, "dost_officer")
    expect(page.locator("#signals-panel")).to_contain_text(w.a.name)
    screenshot(page, "oversight-dost-home")
    page.goto(f"{base}/oversight/signals/")
    rows = page.locator("#signal-rows .signal-row")
    expect(rows.first).to_contain_text(w.a.name)
    expect(page.locator("#signal-rows")).not_to_contain_text(w.c.name)
    row_a = rows.first
    row_a.locator("summary").click()
    expect(row_a.locator('[data-signal="audits_without_findings"] .evidence')).to_have_count(2)
    expect(row_a.locator('[data-signal="short_audit"]')).to_contain_text(
        "0,5 giờ cho 3 quy trình và điều khoản"  # Vietnamese, with its decimal comma
    )
    screenshot(page, "oversight-signals")
    # Filter by one signal: only A remains.
    page.select_option("#signal-filter select[name=signal]", "review_without_decisions")
    page.click("#signal-filter button[type=submit]")
    expect(page.locator("#signal-rows .signal-row")).to_have_count(1)
    # The agency's own page with the lifecycle and every signal's records.
    page.goto(f"{base}/oversight/signals/")
    rows.first.locator("summary").click()
    rows.first.get_by_role("link", name="Vòng đời và dấu hiệu của cơ quan này").or_(
        rows.first.locator("a[href*='/lifecycle/']")
    ).first.click()
    expect(page.locator("#lifecycle .lifecycle-step[data-done=true]")).to_have_count(1)
    expect(page.locator('#agency-signals [data-signal="checklist_copied"]')).to_be_visible()
    screenshot(page, "oversight-agency-signals")
    # One evidence link leads to the audit behind the signal.
    link = page.locator('#agency-signals [data-signal="short_audit"] .evidence a').first
    href = link.get_attribute("href")
    assert href and "/audits/" in href
    link.click()
    expect(page.locator("body")).to_contain_text(f"Đánh giá nội bộ {YEAR}")
    screenshot(page, "oversight-evidence-audit")


def test_agency_home_shows_the_lifecycle_panel(page, live_server, e2e_world, screenshot):
    w = e2e_world
    build(w)
    base = live_server.url
    sign_in(page, base, "b_secretary")
    page.goto(f"{base}/agencies/{w.b.pk}/")
    panel = page.locator("#lifecycle-panel")
    expect(panel.locator(".lifecycle-step")).to_have_count(4)
    expect(panel.locator('.lifecycle-step[data-step="built"]')).to_have_attribute(
        "data-done", "true"
    )
    expect(panel.locator('.lifecycle-step[data-done="true"]')).to_have_count(4)
    expect(panel.locator('.lifecycle-step[data-step="announced"]')).to_have_attribute(
        "data-done", "true"
    )
    screenshot(page, "oversight-agency-home-lifecycle")


def test_public_announcement_status(page, live_server, e2e_world, screenshot):
    w = e2e_world
    build(w)
    page.goto(f"{live_server.url}/public/announcements/?province=Bắc Ninh")
    table = page.locator("#public-announcements")
    expect(table).to_contain_text(w.a.name)
    expect(table.locator('[data-status="needed"]')).to_have_count(1)
    expect(table.locator('[data-status="current"]')).to_have_count(1)
    page.fill("#q", "duc giang")
    page.click("#public-filter button[type=submit]")
    expect(page.locator("#public-announcements tbody tr")).to_have_count(1)
    page.goto(f"{live_server.url}/public/announcements/?province=Bắc Ninh")
    screenshot(page, "oversight-public-announcements")


def test_head_re_announces_after_a_scope_change(page, live_server, e2e_world, screenshot, tmp_path):
    w = e2e_world
    build(w)
    base = live_server.url
    sign_in(page, base, "a_head")
    page.goto(f"{base}/agencies/{w.a.pk}/announcements/")
    expect(page.locator("#announcement-status [data-status=needed]")).to_be_visible()
    expect(page.locator("#reannounce-reasons")).to_contain_text("2.000635")
    screenshot(page, "oversight-announcements-needed")
    page.click("#add-announcement")
    page.fill("#id_decision_number", "25/QĐ-UBND")
    page.fill("#id_decision_date", "2025-01-15")
    page.fill("#id_scope", "Toàn bộ thủ tục hành chính thuộc thẩm quyền của UBND xã")
    page.check("#announcement-form input[name=procedures] >> nth=0")
    pdf = tmp_path / "quyet-dinh-cong-bo.pdf"
    pdf.write_bytes(f.PDF_BYTES)
    page.set_input_files("#id_signed_file", str(pdf))
    page.check("#id_posted_at_office")
    page.fill("#id_posted_url", "https://dongphong.bacninh.gov.vn/iso")
    screenshot(page, "oversight-announcement-form")
    page.click("#announcement-form button[type=submit]")
    expect(page.locator("#announcement-status [data-status=current]")).to_be_visible()
    expect(page.locator("#announcements tbody tr")).to_have_count(2)
    screenshot(page, "oversight-announcements-current")


def test_signals_console_on_a_phone(phone_page, live_server, e2e_world, screenshot):
    w = e2e_world
    build(w)
    base = live_server.url
    sign_in(phone_page, base, "dost_officer")
    phone_page.goto(f"{base}/oversight/signals/")
    phone_page.locator("#signal-rows .signal-row").first.locator("summary").click()
    expect(phone_page.locator("#signal-rows")).to_contain_text(w.a.name)
    screenshot(phone_page, "oversight-signals-phone")
