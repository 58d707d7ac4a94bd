"""The reports pages in a real browser: the DoST administrator reads the year's
figures, issues the November report and downloads it; the PAR index page; an
agency's annual report page. Screenshots in test-artifacts/screenshots/."""

import datetime as dt

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from govqms.oversight.models import IssuedReport
from tests.e2e.test_shell import sign_in
from tests.factories import make_user
from tests.oversight.test_reports_support import agencies, closed_campaign, spread

pytestmark = pytest.mark.browser


def test_the_dost_issues_the_november_report(page, live_server, e2e_world, screenshot):
    w = e2e_world
    units = [w.a, w.b] + agencies(w.p, 10)
    closed_campaign(w.p, 2022, spread(units, {"excellent": 5, "good": 4, "fair": 2, "weak": 1}))
    closed_campaign(w.p, 2021, spread(units, {"excellent": 3, "good": 5, "fair": 3, "average": 1}))
    base = live_server.url
    sign_in(page, base, "dost_admin")
    page.goto(f"{base}{reverse('oversight_reports')}?year=2022")
    expect(page.locator("#band-line")).to_have_text(
        "xuất sắc 5/12 (41,7 %), tốt 4/12 (33,3 %), khá 2/12 (16,7 %), yếu 1/12 (8,3 %)"
    )
    expect(page.locator("#change-line")).to_contain_text(
        "xuất sắc tăng 16,7 điểm phần trăm (từ 25,0 % lên 41,7 %; +2 cơ quan)"
    )
    expect(page.locator("#low-agencies")).to_contain_text(units[-1].name)
    page.wait_for_selector("#band-chart canvas")
    screenshot(page, "reports-1-year")

    page.locator("#report-actions a.btn-primary").first.click()
    expect(page.locator("h1")).to_be_visible()
    page.fill("#id_number", "125/BC-SKHCN")
    page.fill("#id_issued_on", "2022-11-25")
    page.fill("#id_signer_name", "Nguyễn Văn Sáng")
    screenshot(page, "reports-2-issue-form")
    page.locator("#issue-form button[type=submit]").click()
    issued = page.locator("#issued-reports .issued-report")
    expect(issued).to_have_count(1)
    expect(issued.first).to_contain_text("125/BC-SKHCN")
    expect(issued.first).to_contain_text("25/11/2022")
    screenshot(page, "reports-3-issued")
    with page.expect_download() as info:
        issued.first.locator("a", has_text="PDF").click()
    assert info.value.suggested_filename.endswith(".pdf")
    report = IssuedReport.objects.get()
    assert report.issued_on == dt.date(2022, 11, 25) and report.signer_name == "Nguyễn Văn Sáng"

    page.goto(f"{base}{reverse('oversight_report_par')}?year=2022")
    expect(page.locator("#par-table tbody tr")).to_have_count(12)
    screenshot(page, "reports-4-par")


def test_the_agency_reads_its_annual_report(page, live_server, e2e_world, screenshot):
    w = e2e_world
    from govqms.organizations.models import Role

    make_user("b_head", "Ngô Thị Hiền", w.b, Role.HEAD)
    closed_campaign(w.p, 2022, [(w.b, "excellent"), (w.a, "good")])
    base = live_server.url
    sign_in(page, base, "b_secretary")
    page.goto(f"{base}{reverse('agency_annual_report', args=[w.b.pk])}?year=2022")
    body = page.locator("#annual-report-body")
    expect(body).to_contain_text("Kết quả đánh giá năm 2022: 92,5 điểm, xếp loại xuất sắc")
    expect(body).to_contain_text("Ngô Thị Hiền")
    screenshot(page, "reports-5-agency-annual")
