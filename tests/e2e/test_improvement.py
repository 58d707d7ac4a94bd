"""A nonconformity from opening to closing, in a real browser: the ISO secretary opens
it, records the correction and the five whys, adds a corrective action; closing too
early is refused; the owner completes the action; the head evaluates it effective and
closes it; the history tab shows every step."""

import pytest
from playwright.sync_api import expect

from tests.e2e.test_shell import sign_in

pytestmark = pytest.mark.browser


def english(page, base):
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": base}])


def sign_out(page, base):
    page.context.clear_cookies()
    english(page, base)
    page.goto(f"{base}/accounts/login/")


def test_a_nonconformity_from_opening_to_closing(page, live_server, e2e_world, screenshot):
    w, base = e2e_world, live_server.url
    english(page, base)
    sign_in(page, base, "a_iso_secretary")
    page.goto(f"{base}/agencies/{w.a.pk}/nonconformities/")
    expect(page.locator("#nc-empty")).to_be_visible()
    page.click("#nc-new")
    page.fill("#id_title", "Hồ sơ đăng ký hộ tịch trả muộn không có phiếu xin lỗi")
    page.fill("#id_description", "3 hồ sơ trả muộn trong tháng 2 không có phiếu xin lỗi, hẹn lại.")
    page.select_option("#id_source_kind", "late_trend")
    page.fill("#id_source_label", "Báo cáo hồ sơ trễ hạn tháng 2/2026")
    page.select_option("#id_clause", "8.5.1")
    page.select_option("#id_grade", "minor")
    screenshot(page, "nc-1-new")
    page.click("#nc-save")
    expect(page.locator("h1")).to_contain_text("NC-")

    page.fill("#correction-form textarea[name=correction]", "Đã gửi phiếu xin lỗi cho 3 công dân")
    page.click("#correction-form button[type=submit]")
    expect(page.locator("#nc-correction")).to_contain_text("Đã gửi phiếu xin lỗi")

    page.fill("#id_why_1", "Vì sao không có phiếu xin lỗi?")
    page.fill("#id_because_1", "Cán bộ không biết hồ sơ sắp trễ hạn")
    page.fill("#id_why_2", "Vì sao không biết?")
    page.fill("#id_because_2", "Phần mềm không cảnh báo, không ai theo dõi hạn")
    page.fill("#id_root_cause", "Chưa phân công người theo dõi hạn xử lý hồ sơ hằng ngày")
    page.click("#analysis-form button[type=submit]")
    expect(page.locator("#nc-root-cause")).to_contain_text("Chưa phân công")

    page.fill(
        "#action-form textarea[name=text]", "Phân công bộ phận một cửa theo dõi hạn hằng ngày"
    )
    page.select_option("#action-form select[name=owner]", str(w.a_staff.pk))
    page.fill("#action-form input[name=due_date]", "2026-12-31")
    page.click("#action-form button[type=submit]")
    expect(page.locator("#actions-table")).to_contain_text("Phân công bộ phận một cửa")

    # Closing now is refused, with the reasons.
    page.click("#nc-close-btn")
    expect(page.locator(".alert-danger")).to_contain_text("cannot be closed yet")
    expect(page.locator("#close-problems")).to_contain_text("not done yet")
    screenshot(page, "nc-2-close-refused")
    nc_url = page.url

    # The owner marks the action done.
    sign_out(page, base)
    sign_in(page, base, "a_staff")
    page.goto(nc_url)
    expect(page.locator("#analysis-form")).to_have_count(0)
    page.fill(".action-done-form textarea[name=evidence]", "Quyết định phân công số 15/QĐ-UBND")
    page.click(".action-done-form button[type=submit]")
    expect(page.locator("#actions-table")).to_contain_text("Quyết định phân công số 15")
    screenshot(page, "nc-3-action-done-by-owner")

    # The head evaluates the effectiveness and closes it.
    sign_out(page, base)
    sign_in(page, base, "a_head")
    page.goto(nc_url)
    page.check("#evaluation-form input[name=effective][value=yes]")
    page.fill(
        "#evaluation-form textarea[name=comment]", "Tháng 3 không còn hồ sơ trễ không xin lỗi"
    )
    page.fill(
        "#evaluation-form textarea[name=improvements]", "Bật cảnh báo hạn tự động trên phần mềm"
    )
    page.click("#evaluation-form button[type=submit]")
    expect(page.locator("#nc-effective")).to_be_visible()
    expect(page.locator("#close-problems")).to_have_count(0)
    page.click("#nc-close-btn")
    expect(page.locator(".nc-status").first).to_contain_text("Closed")
    screenshot(page, "nc-4-closed")
    page.click("#tab-history-btn")
    history = page.locator("#nc-history")
    expect(history).to_contain_text("Nonconformity closed")
    expect(history).to_contain_text("Root cause analysed")
    screenshot(page, "nc-5-history")

    page.goto(f"{base}/agencies/{w.a.pk}/nonconformities/?status=closed")
    expect(page.locator("#nc-table")).to_contain_text("NC-")
    screenshot(page, "nc-6-list")
    # The filters answer in place (htmx); the search ignores accents.
    page.fill("#id_q", "ho tich")
    expect(page.locator("#nc-table")).to_contain_text("hộ tịch")
    page.fill("#id_q", "khong co gi nhu the")
    expect(page.locator("#nc-empty")).to_be_visible()
    expect(page.locator("h1")).to_contain_text("Nonconformities")

    # The agency home has the register's card.
    page.goto(f"{base}/agencies/{w.a.pk}/")
    expect(page.locator("#improvement-panel")).to_contain_text("0 nonconformities not closed")
    page.locator("#improvement-panel").screenshot(
        path=str(screenshot(page, "nc-8-agency-home").with_name("nc-8-agency-panel.png"))
    )


def test_nonconformity_page_on_a_phone(phone_page, live_server, e2e_world, screenshot):
    from tests.improvement.factories import nc_with_action

    w, base = e2e_world, live_server.url
    nc, _ = nc_with_action(w.a, w.a_secretary, owner=w.a_staff)
    sign_in(phone_page, base, "a_iso_secretary")
    phone_page.goto(f"{base}/agencies/{w.a.pk}/nonconformities/{nc.pk}/")
    expect(phone_page.locator("#actions-table")).to_be_visible()
    screenshot(phone_page, "nc-7-phone")
