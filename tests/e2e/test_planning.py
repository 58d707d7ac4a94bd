"""The ISO secretary sets a quality objective, enters a measurement and sees its
status; measures a linked objective from the dossier data; opens the risk heat map
and filters by a cell; generates the yearly plan."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.e2e.test_shell import sign_in
from tests.kpis.factories import VN, birth_registration, dossier, import_batch
from tests.planning.factories import make_objective, make_risk

pytestmark = pytest.mark.browser


def test_objective_measurement_and_risk_heat_map(page, live_server, e2e_world, screenshot):
    w = e2e_world
    base = live_server.url
    year = dt.date.today().year
    sign_in(page, base, "b_secretary")
    page.goto(f"{base}/agencies/{w.b.pk}/objectives/?year={year}")
    expect(page.locator("#objectives-empty")).to_be_visible()
    page.click("#objective-new")
    page.fill("#id_title", "Giải quyết hồ sơ đúng hạn")
    page.fill("#id_indicator", "Tỷ lệ hồ sơ giải quyết đúng và trước hạn")
    page.fill("#id_target", "95")
    page.fill("#id_tolerance", "5")
    page.select_option("#id_schedule", "quarterly")
    page.fill("#id_plan_what", "Nhắc hạn hồ sơ hằng ngày trên hệ thống một cửa")
    page.select_option("#id_plan_who", str(w.b_secretary.pk))
    screenshot(page, "planning-objective-form")
    page.click("#objective-form button[type=submit]")
    expect(page.locator("#objective-title")).to_have_text("Giải quyết hồ sơ đúng hạn")
    expect(page.locator("#measurements-empty")).to_be_visible()
    page.fill("#measurement-form #id_measured_on", f"{year}-03-31")
    page.fill("#measurement-form #id_value", "92")
    page.fill("#measurement-form #id_comment", "Quý I: 2 hồ sơ trễ hạn")
    page.click("#measurement-form button[type=submit]")
    expect(page.locator("#objective-status .status-badge")).to_have_class(
        "badge text-bg-warning status-badge"
    )
    expect(page.locator("#last-value")).to_contain_text("92")
    page.fill("#measurement-form #id_measured_on", f"{year}-06-30")
    page.fill("#measurement-form #id_value", "97,5")
    page.click("#measurement-form button[type=submit]")
    expect(page.locator("#objective-status .status-badge")).to_have_class(
        "badge text-bg-success status-badge"
    )
    expect(page.locator("#measurement-table tbody tr")).to_have_count(2)
    page.wait_for_selector("#chart-measurements canvas")
    screenshot(page, "planning-objective")

    # A linked objective, measured from the dossier evidence on demand.
    tthc = birth_registration(w.b)
    mon = dt.date(2026, 3, 2)
    batch = [dossier(f"HS-{i}", mon, resolved=mon) for i in range(4)]
    batch.append(dossier("HS-LATE", mon, resolved=mon + dt.timedelta(days=3)))
    import_batch(w.b, batch, "e2e-planning", now=dt.datetime(2026, 4, 1, tzinfo=VN))
    linked = make_objective(
        w.b, year=2026, source="linked", kpi="on_time_rate", schedule="yearly", procedures=[tthc]
    )
    page.goto(f"{base}/agencies/{w.b.pk}/objectives/{linked.pk}/")
    page.click("#measure-now")
    expect(page.locator("#last-value")).to_contain_text("80")  # 4 of 5 early or on time
    expect(page.locator("#objective-status .status-badge")).to_have_class(
        "badge text-bg-danger status-badge"
    )
    screenshot(page, "planning-objective-linked")
    page.goto(f"{base}/agencies/{w.b.pk}/objectives/?year=2026")
    screenshot(page, "planning-objectives")

    # The risk register and its heat map.
    for li, im, text in [
        (4, 4, "Thất lạc hồ sơ giấy khi chuyển giữa các bộ phận"),
        (4, 4, "Trả kết quả trễ do chờ ký duyệt"),
        (2, 3, "Sai sót khi nhập dữ liệu hộ tịch"),
        (1, 2, "Mất điện làm gián đoạn tiếp nhận"),
    ]:
        make_risk(w.b, likelihood=li, impact=im, description=text)
    make_risk(
        w.b, kind="opportunity", likelihood=3, impact=3, description="Số hóa kết quả giải quyết"
    )
    page.goto(f"{base}/agencies/{w.b.pk}/risks/")
    cell = page.locator('#heat-map td[data-likelihood="4"][data-impact="4"]')
    expect(cell).to_have_attribute("data-count", "2")
    expect(page.locator("#risk-table tbody tr")).to_have_count(5)
    screenshot(page, "planning-risks")
    cell.locator("a").click()
    expect(page.locator("#risk-table tbody tr")).to_have_count(2)
    expect(page.locator("#risk-table")).not_to_contain_text("Mất điện")
    screenshot(page, "planning-risks-cell")

    # The yearly plan, generated then shown by month.
    page.goto(f"{base}/agencies/{w.b.pk}/plan/?year={year}")
    page.click("#plan-generate")
    expect(page.locator("#plan-table tbody tr")).to_have_count(6)
    screenshot(page, "planning-plan")
    page.click("#view-timeline")
    expect(page.locator("#plan-timeline")).to_be_visible()
    screenshot(page, "planning-plan-timeline")
    # The agency home shows the plan, the objectives and what is overdue.
    page.goto(f"{base}/agencies/{w.b.pk}/")
    expect(page.locator("#planning-panel")).to_be_visible()
    screenshot(page, "planning-agency-home")


def test_dost_home_lists_agencies_with_overdue_plan_items(page, live_server, e2e_world, screenshot):
    from tests.planning.factories import make_item

    w = e2e_world
    today = dt.date.today()
    for i in range(2):
        make_item(
            w.b,
            year=today.year,
            title=f"Hoạt động quá hạn {i}",
            start=today - dt.timedelta(days=30),
            end=today - dt.timedelta(days=3),
        )
    make_item(w.c, start=today - dt.timedelta(days=9), end=today - dt.timedelta(days=2))
    sign_in(page, live_server.url, "dost_officer")
    page.goto(f"{live_server.url}/agencies/")
    panel = page.locator("#planning-oversight-panel")
    expect(panel).to_contain_text(w.b.name)
    expect(panel).not_to_contain_text(w.c.name)
    screenshot(page, "planning-dost-home")
    panel.locator("a", has_text=w.b.name).click()
    expect(page.locator("#plan-table tbody tr.plan-overdue")).to_have_count(2)
    expect(page.locator("#oversight-banner")).to_be_visible()


def test_risk_register_on_a_phone(phone_page, live_server, e2e_world, screenshot):
    w = e2e_world
    make_risk(w.b, likelihood=5, impact=4, description="Thất lạc hồ sơ giấy")
    sign_in(phone_page, live_server.url, "b_secretary")
    phone_page.goto(f"{live_server.url}/agencies/{w.b.pk}/risks/")
    expect(phone_page.locator("#heat-map")).to_be_visible()
    expect(phone_page.locator("#risk-table")).to_contain_text("Thất lạc hồ sơ giấy")
    screenshot(phone_page, "planning-risks-phone")
