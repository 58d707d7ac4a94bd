"""Browser tests of the provincial assessment: the dashboard's charts over two years of
results, and a full campaign from its opening to the dashboard and the report."""

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from govqms.assessments import services
from govqms.assessments.criteria import publish_set
from govqms.assessments.default_criteria import create_default_set
from govqms.assessments.models import Assessment, Campaign
from govqms.organizations.models import Unit, UnitKind
from govqms.oversight import dashboard
from tests.e2e.test_shell import sign_in
from tests.factories import make_unit
from tests.oversight import factories as f
from tests.oversight.test_dashboard import make_campaign

pytestmark = pytest.mark.browser


def test_the_dashboard_charts_two_years_of_results(page, live_server, e2e_world, screenshot):
    w = e2e_world
    rng = random.Random(6)
    districts = [
        make_unit(f"P-H{i}", name, UnitKind.DISTRICT_PC, w.p)
        for i, name in enumerate(
            ["Ủy ban nhân dân huyện Tiên Du", "Ủy ban nhân dân huyện Yên Phong"]
        )
    ]
    units = [w.a, w.b]
    for i in range(16):
        parent = districts[i % 2]
        kind = UnitKind.COMMUNE_PC if i % 3 else UnitKind.DISTRICT_OFFICE
        units.append(make_unit(f"P-X{i:02}", f"Ủy ban nhân dân xã Thử {i:02}", kind, parent))

    def band(total):
        return (
            "excellent"
            if total >= 90
            else "good"
            if total >= 80
            else "fair"
            if total >= 65
            else "average"
        )

    for year, shift in ((2021, -6), (2022, 0)):
        totals = sorted(((rng.randint(60, 99) + shift, u) for u in units), key=lambda t: -t[0])
        ranks, previous = [], None
        for position, (total, _unit) in enumerate(totals, start=1):
            rank = ranks[-1] if total == previous else position
            ranks.append(rank)
            previous = total
        make_campaign(
            w, year, [(u, t, band(t), r) for (t, u), r in zip(totals, ranks, strict=True)]
        )
    base = live_server.url
    sign_in(page, base, "dost_officer")
    page.goto(f"{base}/oversight/dashboard/assessments/?year=2022")
    expect(page.locator("#band-cards .band-card")).to_have_count(5)
    expect(page.locator("#band-lines")).to_contain_text("/18 (")
    for chart in ("bands", "shares", "kinds", "parents"):
        page.wait_for_selector(f"#chart-{chart} canvas")
    expect(page.locator("#ranking-table .ranking-row")).to_have_count(18)
    expect(page.locator("#ranking-table")).not_to_contain_text(w.c.name)
    screenshot(page, "campaign-dashboard-overview")
    # Filter the ranking, then drill down to an agency's trend.
    page.fill("#ranking-filter input[name=q]", "dong phong")
    page.click("#ranking-filter button[type=submit]")
    expect(page.locator("#ranking-table .ranking-row")).to_have_count(1)
    page.locator("#ranking-table a.trend-link").first.click()
    expect(page.locator("#agency-name")).to_have_text(w.a.name)
    expect(page.locator("#trend-table .trend-row")).to_have_count(2)
    page.wait_for_selector("#chart-trend canvas")
    screenshot(page, "campaign-agency-trend")
    # The export of a chart's figures downloads.
    page.goto(f"{base}/oversight/dashboard/assessments/?year=2022")
    with page.expect_download() as download:
        page.locator("section[aria-labelledby=bands-title] a.download-xlsx").first.click()
    assert download.value.suggested_filename.endswith(".xlsx")


def _points(value) -> str:
    """Points as typed in a form: 5.00 -> "5", 2.50 -> "2.5"."""
    return str(dashboard.points(value))


def _switch(page, base, username):
    page.context.clear_cookies()
    sign_in(page, base, username)


def test_a_full_campaign_from_its_opening_to_the_dashboard_and_the_report(
    page, live_server, e2e_world, screenshot
):
    w = e2e_world
    today = timezone.localdate()
    year = today.year
    base = live_server.url
    page.on("dialog", lambda dialog: dialog.accept())
    # Agencies A and B take part (the DoST's own unit is left out of its remit). A
    # completed its internal audit this year: criterion 3.1 is proposed from it. Last
    # year A was good and B fair.
    Unit.objects.filter(pk=w.dost.pk).update(in_dost_remit=False)
    f.audit_plan(w.a, w.a_head, year=year)
    make_campaign(w, year - 1, [(w.a, 85, "good", 1), (w.b, 70, "fair", 2)])
    criteria_set = create_default_set(w.dost_admin, owner=w.p, year=year)
    publish_set(w.dost_admin, criteria_set)

    # 1. The DoST administrator opens the campaign.
    sign_in(page, base, "dost_admin")
    page.goto(f"{base}{reverse('campaign_open')}")
    page.select_option("#id_criteria_set", str(criteria_set.pk))
    self_due, appraisal_due = today + dt.timedelta(days=7), today + dt.timedelta(days=30)
    page.fill("#id_self_assessment_due", self_due.isoformat())
    page.fill("#id_appraisal_due", appraisal_due.isoformat())
    page.click("#campaign-submit")
    expect(page.locator(".assessment-row")).to_have_count(2)
    screenshot(page, "campaign-1-opened")
    campaign = Campaign.objects.get(owner=w.p, year=year)
    a = Assessment.objects.get(campaign=campaign, unit=w.a)
    scores = list(a.scores.select_related("criterion").order_by("criterion__code"))
    audit = next(s.criterion for s in scores if s.criterion.rule == "internal_audit_done")
    review = next(s.criterion for s in scores if s.criterion.rule == "management_review_held")
    detail = f"{base}{reverse('assessment_detail', args=[w.a.pk, a.pk])}"

    # 2. A's ISO secretary self-assesses: the audit criterion comes prefilled with its
    # proposal and the evidence it used.
    _switch(page, base, "a_iso_secretary")
    page.goto(detail)
    expect(page.locator(f"#points_{audit.pk}")).to_have_value(_points(audit.max_points))
    proposal = page.locator(f"#proposal-{audit.pk}")
    expect(proposal.locator(".proposed-points")).to_have_text(_points(audit.max_points))
    expect(proposal).to_contain_text(f"Đánh giá nội bộ {year} ({year})")
    for s in scores:
        if s.criterion_id != audit.pk:
            page.fill(f"#points_{s.criterion_id}", _points(s.criterion.max_points))
    page.fill(f"#comment_{audit.pk}", "Đánh giá nội bộ bao quát toàn bộ phạm vi")
    page.click("#save-self-assessment")
    full = sum(s.criterion.max_points for s in scores)
    expect(page.locator("#self-total")).to_have_text(_points(full))
    expect(page.locator("#head-must-submit")).to_be_visible()
    page.locator(f"#score-{audit.pk}").scroll_into_view_if_needed()
    screenshot(page, "campaign-2-self-assessment")

    # 3. The head submits.
    _switch(page, base, "a_head")
    page.goto(detail)
    page.click("#submit-self-assessment")
    expect(page.locator("#submitted-note")).to_be_visible()
    screenshot(page, "campaign-3-submitted")

    # 4. The DoST officer appraises: keeps every score but the management review's,
    # which it halves with a reason, and releases the appraisal.
    _switch(page, base, "dost_officer")
    page.goto(f"{base}{reverse('assessment_appraise', args=[a.pk])}")
    for s in scores:
        page.fill(f"#points_{s.criterion_id}", _points(s.criterion.max_points))
    cut = review.max_points / 2
    page.fill(f"#points_{review.pk}", _points(cut))
    page.fill(f"#reason_{review.pk}", "Biên bản xem xét của lãnh đạo chưa có quyết định cải tiến")
    page.click("#save-appraisal")
    expect(page.locator("#appraised-total")).to_have_text(_points(full - cut))
    page.click("#release-appraisal")
    expect(page.locator("#contest-window")).to_be_visible()
    page.locator(f"#score-{review.pk}").scroll_into_view_if_needed()
    screenshot(page, "campaign-4-appraised")

    # 5. The head contests that score.
    _switch(page, base, "a_head")
    page.goto(detail)
    expect(page.locator(f"#score-{review.pk} .appraised-points")).to_have_text(_points(cut))
    expect(page.locator(f"#score-{review.pk} .appraisal-reason")).to_contain_text(
        "chưa có quyết định cải tiến"
    )
    page.fill("#contest-reason", "Cuộc họp xem xét đã có 3 quyết định cải tiến")
    page.fill(f"#contest_{review.pk}", "Biên bản họp ngày 15/06 ghi 3 quyết định")
    page.click("#contest-submit")
    expect(page.locator("#contest-grounds")).to_contain_text("3 quyết định cải tiến")
    screenshot(page, "campaign-5-contested")

    # 6. The DoST decides: accepted in part, 6 of 8 points.
    _switch(page, base, "dost_officer")
    page.goto(f"{base}{reverse('assessment_decide', args=[a.pk])}")
    decided = review.max_points - 2
    page.click(f"label[for=accept_{review.pk}]")
    page.fill(f"#decided_{review.pk}", _points(decided))
    page.fill(f"#decision_reason_{review.pk}", "Có quyết định cải tiến nhưng chưa giao thời hạn")
    page.click("#decide-submit")
    final = full - review.max_points + decided
    expect(page.locator("#final-total")).to_have_text(_points(final))
    screenshot(page, "campaign-6-decided")

    # B never submitted: after its due day the DoST appraises its draft and, the time
    # to contest over, it becomes final (services, on the days they happen).
    b = Assessment.objects.get(campaign=campaign, unit=w.b)
    b_scores = list(b.scores.select_related("criterion").order_by("criterion__code"))
    entries, left = {}, Decimal(15)
    for s in b_scores:
        off = min(left, s.criterion.max_points)
        left -= off
        entries[s.criterion_id] = {"points": s.criterion.max_points - off, "reason": "Hồ sơ"}
    after_due = self_due + dt.timedelta(days=1)
    services.save_appraisal(w.dost_officer, b, entries, today=after_due)
    services.release_appraisal(w.dost_officer, b, today=after_due)
    assert services.finalize_uncontested(campaign, today=after_due + dt.timedelta(days=30)) == 1

    # 7. The DoST administrator closes the campaign.
    _switch(page, base, "dost_admin")
    page.goto(f"{base}{reverse('campaign_detail', args=[campaign.pk])}")
    page.click("#campaign-close")
    expect(page.locator("#campaign-close")).to_have_count(0)
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.CLOSED
    screenshot(page, "campaign-7-closed")

    # 8. The agency reads its final result.
    _switch(page, base, "a_head")
    page.goto(detail)
    expect(page.locator("#final-total")).to_have_text(_points(final))
    expect(page.locator("#final-rank")).to_contain_text("1")
    screenshot(page, "campaign-8-final")

    # 9. The dashboard: A excellent (final 98), B good (85); last year A good, B fair.
    assert final >= 90
    _switch(page, base, "dost_officer")
    page.goto(f"{base}{reverse('assessment_dashboard')}?year={year}")
    expect(page.locator("#band-excellent .band-count")).to_have_text("1")
    expect(page.locator("#band-good .band-count")).to_have_text("1")
    lines = page.locator("#band-lines")
    expect(lines.locator("[data-band=excellent]")).to_contain_text("1/2 (50,0 %), +50,0")
    expect(lines.locator("[data-band=good]")).to_contain_text("1/2 (50,0 %), 0,0")
    expect(lines.locator("[data-band=fair]")).to_contain_text("0/2 (0,0 %), −50,0")
    first = page.locator("#ranking-table .ranking-row").first
    expect(first).to_contain_text(w.a.name)
    expect(first.locator(".total")).to_have_text(_points(final))
    # B never submitted; A did, on time.
    behind = page.locator("#obligation-self_assessment")
    expect(behind).to_contain_text(w.b.name)
    expect(behind).not_to_contain_text(w.a.name)
    page.wait_for_selector("#chart-bands canvas")
    screenshot(page, "campaign-9-dashboard")

    # 10. The provincial report of the year prints the same figures.
    page.goto(f"{base}{reverse('oversight_reports')}?year={year}")
    expect(page.locator("#band-line")).to_contain_text("1/2 (50,0 %)")
    expect(page.locator("#change-line")).to_be_visible()
    screenshot(page, "campaign-10-report")
