"""Browser tests of the provincial assessment: the dashboard's charts over two years of
results, and a full campaign from its opening to the dashboard and the report."""

import random

import pytest
from playwright.sync_api import expect

from govqms.organizations.models import UnitKind
from tests.e2e.test_shell import sign_in
from tests.factories import make_unit
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
