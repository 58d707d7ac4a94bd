"""A citizen scans the agency's QR code, rates the service and sends; the agency sees
its satisfaction index; the printable poster and a complaint are looked at too."""

import pytest
from playwright.sync_api import expect

from tests.e2e.test_shell import sign_in
from tests.feedback.factories import BIRTH, MARRIAGE, assign

pytestmark = pytest.mark.browser


def test_citizen_rates_from_the_qr_and_the_agency_sees_the_index(
    page, phone_page, live_server, e2e_world, screenshot
):
    w = e2e_world
    assign(w.b, **BIRTH)
    assign(w.b, **MARRIAGE)
    base = live_server.url

    # The ISO secretary prints the poster for the counter.
    sign_in(page, base, "b_secretary")
    page.goto(f"{base}/agencies/{w.b.pk}/satisfaction/")
    expect(page.locator("#no-responses")).to_be_visible()
    page.click("#poster-link")
    expect(page.locator("#poster-agency")).to_have_text(w.b.name)
    expect(page.locator("#poster h1")).to_have_text("Đánh giá mức độ hài lòng")
    expect(page.locator("#poster-qr svg")).to_be_visible()
    survey_url = "http://" + page.locator("#poster-url").inner_text().strip()
    assert survey_url.endswith(f"/public/survey/{w.b.code}/")
    screenshot(page, "feedback-poster-a4")
    page.goto(page.url.split("?")[0] + "?size=a5")
    screenshot(page, "feedback-poster-a5")

    # A citizen, on a phone and not signed in, opens the URL of the QR code.
    phone_page.goto(survey_url)
    expect(phone_page.locator("#survey-title")).to_be_visible()
    phone_page.fill("#procedure-filter", "khai sinh")  # no accents
    expect(phone_page.locator("#procedure option[value]:not([hidden])")).to_have_count(2)
    phone_page.fill("#dossier_code", "000.00.31.H06-260302-0042")
    scores = ["5", "4", "5", "4", "5"]
    for n, score in enumerate(scores, start=1):
        phone_page.locator(f"#question-{n} label", has_text=score).click()
    phone_page.fill("#comment", "Cán bộ hướng dẫn tận tình.")
    screenshot(phone_page, "feedback-survey-phone")
    phone_page.wait_for_timeout(3200)  # a person takes a few seconds to answer
    phone_page.click("#survey-submit")
    expect(phone_page.locator("#thanks")).to_be_visible()
    screenshot(phone_page, "feedback-survey-thanks")

    # The same dossier code again is politely refused.
    phone_page.goto(survey_url)
    phone_page.fill("#dossier_code", "000.00.31.H06-260302-0042")
    phone_page.locator("#question-1 label", has_text="1").click()
    phone_page.wait_for_timeout(3200)
    phone_page.click("#survey-submit")
    expect(phone_page.locator("#survey-refused")).to_be_visible()

    # The agency sees the index: mean 4.6 -> 90 %.
    page.goto(f"{base}/agencies/{w.b.pk}/satisfaction/")
    expect(page.locator("#responses-figure")).to_have_text("1")
    expect(page.locator("#index-figure")).to_contain_text("90")
    expect(page.locator("#procedure-table")).to_contain_text("Đăng ký khai sinh")
    page.wait_for_selector("#chart-questions canvas")
    screenshot(page, "feedback-satisfaction-index")
    page.click("#responses-link")
    expect(page.locator("#response-table")).to_contain_text("000.00.31.H06-260302-0042")

    # A complaint recorded at the counter, then the list.
    page.goto(f"{base}/agencies/{w.b.pk}/complaints/new/")
    page.fill("#id_subject", "Phải chờ lâu tại bộ phận một cửa")
    page.fill("#id_content", "Tôi phải chờ hơn hai giờ để nộp hồ sơ.")
    page.fill("#id_complainant_name", "Nguyễn Thị Hoa")
    page.click("#complaint-save")
    expect(page.locator("#complaint-subject")).to_have_text("Phải chờ lâu tại bộ phận một cửa")
    expect(page.locator("#complainant")).to_contain_text("Nguyễn Thị Hoa")
    page.click("#raise-nc")
    expect(page.locator("#complaint-nc")).to_contain_text("Phải chờ lâu")
    screenshot(page, "feedback-complaint-detail")
    page.goto(f"{base}/agencies/{w.b.pk}/complaints/")
    expect(page.locator("#complaint-table")).to_contain_text("Phải chờ lâu")
    screenshot(page, "feedback-complaint-list")

    # The DoST officer sees the agency in the ranking of the province.
    page.context.clear_cookies()
    sign_in(page, base, "dost_officer")
    page.goto(f"{base}/oversight/satisfaction/")
    expect(page.locator("#ranking-table")).to_contain_text(w.b.name)
    page.wait_for_selector("#chart-ranking canvas")
    screenshot(page, "feedback-oversight")
