"""A DoST officer and a commune ISO secretary use govqms in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def sign_in(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")


def test_dost_officer_sees_the_province_and_switches_language(
    page, live_server, e2e_world, screenshot
):
    w = e2e_world
    sign_in(page, live_server.url, "dost_officer")
    # The DoST home lists the agencies of Bắc Ninh, not those of Lạng Sơn.
    expect(page.locator("h1")).to_have_text("Cơ quan được giám sát")
    table = page.locator("#agency-table")
    expect(table).to_contain_text(w.a.name)
    expect(table).to_contain_text(w.b.name)
    expect(table).not_to_contain_text(w.c.name)
    screenshot(page, "dost-home-vi")
    # Search folds accents: "duc giang" finds "Đức Giang".
    page.fill("#agency-filter input[name=q]", "duc giang")
    page.click("#agency-filter button[type=submit]")
    expect(page.locator("#agency-table tbody tr")).to_have_count(1)
    page.click(f"text={w.b.name}")
    expect(page.locator("#agency-name")).to_have_text(w.b.name)
    expect(page.locator("#oversight-banner")).to_be_visible()
    expect(page.locator("#people-table")).to_contain_text(w.b_secretary.full_name)
    # Read-only: no button to add people.
    expect(page.get_by_role("link", name="Thêm người")).to_have_count(0)
    screenshot(page, "dost-agency-vi")
    # Another province's agency does not exist for this officer.
    response = page.goto(f"{live_server.url}/agencies/{w.c.pk}/")
    assert response.status == 404
    # Switch to English.
    page.goto(f"{live_server.url}/agencies/")
    page.select_option("#language-form select", "en")
    expect(page.locator("h1")).to_have_text("Supervised agencies")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    screenshot(page, "dost-home-en")


def test_commune_secretary_sees_only_their_commune(page, live_server, e2e_world, screenshot):
    w = e2e_world
    sign_in(page, live_server.url, "a_iso_secretary")
    expect(page.locator("#agency-name")).to_have_text(w.a.name)
    expect(page).to_have_url(re.compile(rf"/agencies/{w.a.pk}/$"))
    expect(page.locator("#people-table")).to_contain_text(w.a_head.full_name)
    # No oversight menu, no oversight banner.
    expect(page.locator("[data-nav=oversight]")).to_have_count(0)
    expect(page.locator("#oversight-banner")).to_have_count(0)
    screenshot(page, "commune-home-vi")
    # The neighbouring commune and the DoST home are closed to them.
    assert page.goto(f"{live_server.url}/agencies/{w.b.pk}/").status == 404
    assert page.goto(f"{live_server.url}/agencies/").status == 403
    # Their own audit trail shows the DoST's reads? None yet; the page works.
    page.goto(f"{live_server.url}/agencies/{w.a.pk}/audit/")
    expect(page.locator("h1")).to_have_text("Nhật ký thay đổi")
    screenshot(page, "commune-audit-vi")


def test_pages_fit_a_phone(phone_page, live_server, e2e_world, screenshot):
    sign_in(phone_page, live_server.url, "dost_officer")
    expect(phone_page.locator("#agency-table")).to_be_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1, f"the page scrolls sideways on a phone ({width}px)"
    screenshot(phone_page, "dost-home-phone")
