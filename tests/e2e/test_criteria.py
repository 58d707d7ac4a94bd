"""The yearly criteria set in a real browser: the DoST administrator starts the year's
set from the default scheme, edits a criterion (its text, points and the parameter
of its auto-scoring rule), tries to publish (confirmation), publishes, and finds the
set frozen: the notice, no edit buttons, and an edit page sends back."""

import pytest
from playwright.sync_api import expect

from tests.e2e.test_shell import sign_in

pytestmark = pytest.mark.browser


def english(page, base):
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": base}])


def test_admin_builds_edits_and_publishes_the_years_set(page, live_server, e2e_world, screenshot):
    from govqms.assessments.models import CriteriaSet

    w, base = e2e_world, live_server.url
    english(page, base)
    sign_in(page, base, "dost_admin")
    page.goto(f"{base}/oversight/criteria/")
    expect(page.locator("#criteria-empty")).to_be_visible()
    screenshot(page, "criteria-1-empty")

    page.click("#new-default")
    page.fill("#id_year", "2022")
    expect(page.locator("#id_start_0")).to_be_checked()
    page.click("#criteria-create")
    expect(page.locator("#criteria-title")).to_contain_text("năm 2022")
    expect(page.locator("#total-points")).to_have_text("100")
    expect(page.locator(".criteria-group")).to_have_count(5)
    expect(page.locator("#bands-table tr[data-band=excellent]")).to_contain_text("≥ 90")
    screenshot(page, "criteria-2-default-set")

    cs = CriteriaSet.objects.get(owner=w.p, year=2022)
    criterion = cs.criteria.get(code="4.1")
    page.click(f"#criterion-{criterion.pk} .criterion-edit")
    expect(page.locator("#id_rule")).to_have_value("legal_updates_on_time")
    params = page.locator(".rule-params[data-rule=legal_updates_on_time]")
    expect(params).to_be_visible()
    page.fill("#id_text", "Văn bản pháp luật mới được cập nhật vào quy trình trong vòng 02 tháng.")
    page.fill("#id_max_points", "6")
    months = params.locator("input[name=param__legal_updates_on_time__months]")
    if months.count():
        months.fill("2")
    # Another rule shows its own parameters.
    page.select_option("#id_rule", "dossier_on_time_rate")
    expect(page.locator(".rule-params[data-rule=dossier_on_time_rate]")).to_be_visible()
    expect(params).to_be_hidden()
    page.select_option("#id_rule", "legal_updates_on_time")
    screenshot(page, "criteria-3-edit-criterion")
    page.click("#criterion-save")
    row = page.locator(f"#criterion-{criterion.pk}")
    expect(row).to_contain_text("trong vòng 02 tháng")
    expect(page.locator("#total-points")).to_have_text("99")
    # Back to 7 points: the set adds up to 100 again.
    page.click(f"#criterion-{criterion.pk} .criterion-edit")
    page.fill("#id_max_points", "7")
    page.click("#criterion-save")
    expect(page.locator("#total-points")).to_have_text("100")

    page.click("#publish-open")
    expect(page.locator("#publish-modal")).to_be_visible()
    expect(page.locator("#publish-modal")).to_contain_text("nobody can change it")
    screenshot(page, "criteria-4-publish-confirm")
    page.click("#publish-confirm")
    expect(page.locator("#frozen-notice")).to_be_visible()
    expect(page.locator("#frozen-notice")).to_contain_text("published and frozen")
    expect(page.locator(".criteria-status")).to_contain_text("Published")
    expect(page.locator(".criterion-edit")).to_have_count(0)
    expect(page.locator("#publish-open")).to_have_count(0)
    screenshot(page, "criteria-5-frozen")

    # An edit page opened directly sends back to the set with the notice.
    page.goto(f"{base}/oversight/criteria/{cs.pk}/criteria/{criterion.pk}/edit/")
    expect(page.locator(".alert-danger")).to_contain_text("A published criteria set is frozen.")
    cs.refresh_from_db()
    assert cs.is_frozen
    assert cs.criteria.get(code="4.1").text.endswith("trong vòng 02 tháng.")

    page.goto(f"{base}/oversight/criteria/{cs.pk}/history/")
    expect(page.locator("#history-table")).to_contain_text("Criteria set published")
    expect(page.locator("#history-table")).to_contain_text("Criterion saved")
    screenshot(page, "criteria-6-history")

    page.goto(f"{base}/oversight/criteria/")
    expect(page.locator("#criteria-set-table")).to_contain_text("Published")
    expect(page.locator("#copy-last")).to_be_visible()
    screenshot(page, "criteria-7-list")
