"""The ISO secretary creates an import profile for the agency's one-stop software
from the import page, in a real browser; a validation error first, then saved."""

import pytest
from playwright.sync_api import expect

from govqms.dossiers.models import ImportProfile
from tests.e2e.test_shell import sign_in

pytestmark = pytest.mark.browser


def test_secretary_creates_an_import_profile(page, live_server, e2e_world, screenshot):
    w, base = e2e_world, live_server.url
    sign_in(page, base, "a_iso_secretary")
    page.goto(f"{base}/agencies/{w.a.pk}/dossiers/import/")
    page.click("#profiles-link")
    expect(page.locator("#new-profile")).to_be_visible()
    screenshot(page, "profile-1-list")
    page.click("#new-profile")

    page.fill("input[name=name]", "Phần mềm Một cửa iGate")
    page.select_option("select[name=format]", "xlsx")
    page.fill("input[name=col_code]", "Số hồ sơ")
    page.fill("input[name=col_procedure_code]", "Mã thủ tục")
    page.fill("input[name=col_kind]", "Trạng thái")
    page.fill("input[name=col_at]", "Ngày nhận")  # the same column as below: refused
    page.fill("input[name=col_received_at]", "Ngày nhận")
    page.fill("input[name=col_step]", "Bước")
    page.fill("textarea[name=kind_values]", "1 = received\n5 = supplement_requested\n9 = resolved")
    page.click("#save-profile")
    expect(page.locator("#form-errors")).to_be_visible()
    expect(page.locator("#profile-form .text-danger").first).to_be_visible()
    screenshot(page, "profile-2-validation-error")

    page.fill("input[name=col_at]", "Thời điểm xử lý")
    page.click("#save-profile")
    expect(page.locator("#mapping-table")).to_contain_text("Thời điểm xử lý")
    expect(page.locator("#profile-history")).to_contain_text("a_iso_secretary")
    screenshot(page, "profile-3-saved")

    profile = ImportProfile.objects.get(unit=w.a)
    assert profile.format == "xlsx"
    assert profile.mapping["at"] == "Thời điểm xử lý"
    assert profile.value_maps["kind"]["5"] == "supplement_requested"
