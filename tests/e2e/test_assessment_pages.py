"""The agency self-assesses in the browser (an auto-scored criterion prefilled with
its evidence, points typed with a decimal comma, evidence linked, the head submits)
and the DoST appraises (changes one score with its reason, releases)."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from govqms.assessments import rules, services
from govqms.assessments.models import Assessment
from tests.assessments.test_campaign import fixed_rule, make_set
from tests.e2e.test_shell import sign_in

pytestmark = pytest.mark.browser


def open_campaign(w):
    today = timezone.localdate()
    cs = make_set(w.p, today.year, rule="test_fixed")
    return services.open_campaign(
        w.dost_admin,
        owner=w.p,
        year=today.year,
        criteria_set=cs,
        title=f"Đánh giá HTQLCL năm {today.year}",
        self_assessment_due=today + dt.timedelta(days=14),
        appraisal_due=today + dt.timedelta(days=40),
    )


def test_agency_self_assessment_then_dost_appraisal(
    page, live_server, e2e_world, screenshot, monkeypatch
):
    monkeypatch.setitem(rules.RULES, "test_fixed", fixed_rule("35"))
    w = e2e_world
    campaign = open_campaign(w)
    a = Assessment.objects.get(campaign=campaign, unit=w.a)
    ids = {s.criterion.code: s.criterion_id for s in a.scores.select_related("criterion")}
    base = live_server.url

    # The ISO secretary: the proposal is prefilled, the head must submit.
    sign_in(page, base, "a_iso_secretary")
    page.goto(f"{base}/agencies/{w.a.pk}/assessments/{a.pk}/")
    expect(page.locator(f"#points_{ids['1.1']}")).to_have_value("35")
    expect(page.locator(f"#proposal-{ids['1.1']}")).to_contain_text("Đánh giá nội bộ đã hoàn thành")
    expect(page.locator(f"#proposal-{ids['1.1']} a")).to_have_text("Báo cáo đánh giá")
    expect(page.locator("#head-must-submit")).to_be_visible()
    expect(page.locator("#submit-self-assessment")).to_have_count(0)
    page.fill(f"#points_{ids['1.2']}", "27,5")
    page.fill(f"#comment_{ids['1.2']}", "Đã ban hành đủ quy trình")
    page.fill(f"#points_{ids['2.1']}", "24")
    page.click("#save-self-assessment")
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("#self-total")).to_have_text("86,5")
    # Evidence: a link to a govqms record on criterion 2.1
    item = page.locator(f"#score-{ids['2.1']}")
    item.locator("details.add-evidence summary").click()
    item.locator("input[name=label]").fill("Sổ theo dõi hành động khắc phục")
    item.locator("input[name=url]").fill(f"/agencies/{w.a.pk}/")
    item.locator("button", has_text="Đính kèm").click()
    expect(page.locator(f"#score-{ids['2.1']} .evidence-list")).to_contain_text(
        "Sổ theo dõi hành động khắc phục"
    )
    screenshot(page, "assessment-self-assessment-secretary")

    # The head submits.
    page.context.clear_cookies()
    sign_in(page, base, "a_head")
    page.goto(f"{base}/agencies/{w.a.pk}/assessments/{a.pk}/")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#submit-self-assessment")
    expect(page.locator("#submitted-note")).to_be_visible()
    expect(page.locator("#self-assessment-form")).to_have_count(0)
    a.refresh_from_db()
    assert a.status == "submitted" and a.self_total == Decimal("86.5")
    screenshot(page, "assessment-submitted-head")

    # The DoST officer: the campaign table, then the appraisal of agency A.
    page.context.clear_cookies()
    sign_in(page, base, "dost_officer")
    page.goto(f"{base}/oversight/campaigns/{campaign.pk}/")
    expect(page.locator("#campaign-table .assessment-row")).to_have_count(3)
    expect(page.locator('.status-count[data-status="submitted"] .badge')).to_have_text("1")
    page.locator(f'.assessment-row[data-unit="{w.a.code}"] .appraise-link').click()
    expect(page.locator("#appraisal-form")).to_be_visible()
    for code in ("1.1", "1.2"):
        page.fill(
            f"#points_{ids[code]}", page.locator(f"#score-{ids[code]} .self-points").inner_text()
        )
    page.fill(f"#points_{ids['2.1']}", "18")
    page.click("#save-appraisal")
    expect(page.locator(".alert-danger")).to_contain_text("2.1")  # a reason is required
    page.fill(f"#reason_{ids['2.1']}", "Chưa có bằng chứng đo lường mục tiêu chất lượng")
    page.click("#save-appraisal")
    expect(page.locator("#appraised-total")).to_have_text("80,5")
    screenshot(page, "assessment-appraisal-dost")
    page.click("#release-appraisal")
    expect(page.locator("#contest-window")).to_be_visible()
    a.refresh_from_db()
    assert a.status == "appraised" and a.appraised_total == Decimal("80.5")
    page.goto(f"{base}/oversight/campaigns/{campaign.pk}/")
    row = page.locator(f'.assessment-row[data-unit="{w.a.code}"]')
    expect(row.locator(".assessment-status")).to_have_class(re.compile("status-appraised"))
    expect(row).to_contain_text("80,5")
    page.fill("#campaign-search", "dong phong")  # without accents
    page.locator("#campaign-filter button[type=submit]").click()
    expect(page.locator("#campaign-table .assessment-row")).to_have_count(1)
    page.goto(f"{base}/oversight/campaigns/{campaign.pk}/")
    screenshot(page, "assessment-campaign-table-dost")

    # The head sees the appraisal with its reason and may contest.
    page.context.clear_cookies()
    sign_in(page, base, "a_head")
    page.goto(f"{base}/agencies/{w.a.pk}/assessments/{a.pk}/")
    expect(page.locator(f"#score-{ids['2.1']} .appraisal-reason")).to_contain_text(
        "Chưa có bằng chứng"
    )
    expect(page.locator("#contest-form")).to_be_visible()
    screenshot(page, "assessment-appraised-agency")
