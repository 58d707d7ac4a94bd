"""A management review in the browser: plan it, see its live inputs, hold the meeting
(the inputs freeze), add a decision and download the minutes."""

import datetime as dt
import io
import shutil
import subprocess

import pytest
from docx import Document
from playwright.sync_api import expect

from tests.e2e.test_shell import sign_in
from tests.kpis.factories import VN, birth_registration, dossier, import_batch

pytestmark = pytest.mark.browser


def _evidence(w):
    birth_registration(w.a)
    mon = dt.date(2026, 3, 2)
    items = [dossier(f"000.00.31.H06-2603{i:02}-0001", mon, resolved=mon) for i in range(1, 6)]
    items.append(dossier("000.00.31.H06-260302-0042", mon, resolved=mon + dt.timedelta(days=3)))
    import_batch(w.a, items, "e2e-review", now=dt.datetime(2026, 4, 1, tzinfo=VN))


def test_plan_hold_decide_and_download_minutes(
    page, phone_page, live_server, e2e_world, screenshot, tmp_path
):
    w = e2e_world
    _evidence(w)
    base = live_server.url
    sign_in(page, base, "a_iso_secretary")
    page.goto(f"{base}/agencies/{w.a.pk}/management-reviews/")
    expect(page.locator("#empty-state")).to_be_visible()
    screenshot(page, "reviews-1-empty-list")

    # Plan
    page.click("#plan-review")
    page.fill("#id_title", "Họp xem xét của lãnh đạo năm 2026")
    page.fill("#id_planned_date", "2026-12-15")
    page.fill("#id_place", "Phòng họp UBND xã")
    page.select_option("#id_chair", str(w.a_head.pk))
    for user in (w.a_head, w.a_staff, w.users["a_process_owner"]):
        page.check(f"#attendees input[value='{user.pk}']")
    page.fill("#id_guests", "Đại diện Sở Khoa học và Công nghệ")
    page.fill("#id_resources", "Bộ phận một cửa thiếu 01 công chức.")
    screenshot(page, "reviews-2-plan-form")
    page.click("#save-review")

    # Live inputs, in the order of 9.3.2
    expect(page.locator("#review-title")).to_have_text("Họp xem xét của lãnh đạo năm 2026")
    expect(page.locator("#inputs-badge .bi-broadcast")).to_have_count(1)
    expect(page.locator(".review-input")).to_have_count(12)
    expect(page.locator(".review-input").first).to_have_attribute("data-key", "previous_actions")
    page.click("#input-process_performance .accordion-button")
    expect(page.locator("#input-process_performance")).to_contain_text("1.001193")
    screenshot(page, "reviews-3-live-inputs")

    # Hold: the inputs freeze
    page.click("#hold-review")
    page.fill("#id_held_at", "2026-12-15T08:30")
    page.click("#confirm-hold")
    expect(page.locator("#inputs-badge .bi-snow")).to_have_count(1)
    expect(page.locator("#hold-review")).to_have_count(0)

    # The chair's conclusion on an input
    page.click("#input-resources .accordion-button")
    page.fill("#comment-resources", "Đề nghị UBND huyện bổ sung biên chế năm 2027.")
    page.click("#input-resources .comment-form button[type=submit]")
    expect(page.locator("#comment-resources")).to_have_value(
        "Đề nghị UBND huyện bổ sung biên chế năm 2027."
    )

    # A decision, tracked as an action
    page.select_option("#id_kind", "resource_need")
    page.fill("#id_text", "Bổ sung 01 công chức bộ phận một cửa")
    page.select_option("#id_owner", str(w.a_staff.pk))
    page.fill("#id_due_date", "2027-03-31")
    page.click("#add-decision")
    expect(page.locator("#decision-table")).to_contain_text("Bổ sung 01 công chức bộ phận một cửa")
    expect(page.locator("#decision-table")).to_contain_text("31/03/2027")
    screenshot(page, "reviews-4-held-with-decision")

    # The minutes
    with page.expect_download() as info:
        page.click("#minutes-docx")
    docx_path = tmp_path / "minutes.docx"
    info.value.save_as(docx_path)
    doc = Document(io.BytesIO(docx_path.read_bytes()))
    text = "\n".join(p.text for p in doc.paragraphs) + "\n".join(
        c.text for t in doc.tables for r in t.rows for c in r.cells
    )
    assert "BIÊN BẢN" in text and "Bổ sung 01 công chức bộ phận một cửa" in text

    with page.expect_download() as info:
        page.click("#minutes-pdf")
    pdf_path = tmp_path / "minutes.pdf"
    info.value.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        pdf_text = subprocess.run(
            ["pdftotext", str(pdf_path), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in pdf_text
        assert "Đề nghị UBND huyện bổ sung biên chế năm 2027." in pdf_text

    # Issue the minutes, then the action list
    page.fill("#id_number", "15/BB-UBND")
    page.click("#issue-minutes")
    expect(page.locator(".review-status")).to_have_count(1)
    expect(page.locator("#edit-review")).to_have_count(0)
    page.goto(f"{base}/agencies/{w.a.pk}/management-review-actions/")
    expect(page.locator("#action-table")).to_contain_text("Bổ sung 01 công chức bộ phận một cửa")
    screenshot(page, "reviews-5-actions")
    page.goto(f"{base}/agencies/{w.a.pk}/management-reviews/")
    expect(page.locator("#review-table")).to_contain_text("Họp xem xét của lãnh đạo năm 2026")
    screenshot(page, "reviews-6-list")

    # On a phone, the staff member reads the review
    sign_in(phone_page, base, "a_staff")
    phone_page.goto(f"{base}/agencies/{w.a.pk}/management-reviews/")
    phone_page.click("#review-table a")
    expect(phone_page.locator("#inputs-badge .bi-snow")).to_have_count(1)
    expect(phone_page.locator("#decision-form")).to_have_count(0)
    screenshot(phone_page, "reviews-7-phone-detail")
