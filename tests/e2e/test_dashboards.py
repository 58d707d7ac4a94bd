"""A DoST officer drills down from the province to a late dossier; a citizen looks
up that dossier's code. The data goes through the import pipeline and the rollups."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.e2e.test_shell import sign_in
from tests.kpis.factories import VN, birth_registration, dossier, import_batch

pytestmark = pytest.mark.browser

LATE_CODE = "000.00.31.H06-260302-0042"


def build(w):
    birth_registration(w.b)
    mon = dt.date(2026, 3, 2)
    items = [dossier(f"000.00.31.H06-2603{i:02}-0001", mon, resolved=mon) for i in range(1, 9)]
    items.append(dossier(LATE_CODE, mon, resolved=mon + dt.timedelta(days=3)))
    items.append(
        dossier(
            "000.00.31.H06-260305-0007",
            mon + dt.timedelta(days=3),
            resolved=mon + dt.timedelta(days=3),
            steps=["Tiếp nhận hồ sơ", "Ký duyệt", "Trả kết quả"],
        )
    )
    import_batch(w.b, items, "e2e-1", now=dt.datetime(2026, 4, 1, tzinfo=VN))


def test_dost_officer_drills_down_and_a_citizen_looks_up(page, live_server, e2e_world, screenshot):
    w = e2e_world
    build(w)
    base = live_server.url
    sign_in(page, base, "dost_officer")
    page.goto(f"{base}/oversight/dashboard/?start=2026-01&end=2026-06")
    expect(page.locator("#kpi-received")).to_have_text("10")
    expect(page.locator("#ranking-table")).to_contain_text(w.b.name)
    expect(page.locator("#ranking-table")).not_to_contain_text(w.c.name)
    page.wait_for_selector("#chart-trend canvas")
    screenshot(page, "kpi-province-dashboard")
    # Province -> agency
    page.locator("#ranking-table a.agency-link", has_text=w.b.name).click()
    expect(page.locator("#agency-name")).to_have_text(w.b.name)
    expect(page.locator("#procedure-table")).to_contain_text("1.001193")
    expect(page.locator("#variants-table .variant-deviating")).to_have_count(1)
    page.wait_for_selector("#chart-trend canvas")
    screenshot(page, "kpi-agency-dashboard")
    # Agency -> TTHC
    page.locator("#procedure-table a", has_text="1.001193").click()
    expect(page.locator("#dashboard-title")).to_contain_text("Đăng ký khai sinh")
    expect(page.locator("#kpi-late")).to_have_text("1")
    screenshot(page, "kpi-procedure-dashboard")
    # TTHC -> its late dossiers -> the dossier
    page.click("#late-link")
    expect(page.locator("#late-table")).to_contain_text(LATE_CODE)
    screenshot(page, "kpi-late-dossiers")
    link = page.locator("#late-table a.dossier-link", has_text=LATE_CODE)
    if link.count():
        link.click()
        expect(page.locator("body")).to_contain_text(LATE_CODE)
        screenshot(page, "kpi-late-dossier-detail")
    # A citizen, not signed in, looks the dossier up.
    page.context.clear_cookies()
    page.goto(f"{base}/public/lookup/")
    page.fill("#lookup-form input[name=code]", LATE_CODE)
    page.click("#lookup-form button[type=submit]")
    expect(page.locator(".lookup-result")).to_contain_text(w.b.name)
    expect(page.locator("#lookup-steps li")).to_have_count(5)
    expect(page.locator("body")).not_to_contain_text("Nguyễn Văn An")
    screenshot(page, "public-dossier-lookup")
