"""A yearly inspection in a real browser (Circular 26/2014/TT-BKHCN): the DoST
administrator creates the plan with the risk proposal, adjusts the on-site sample and
approves it, issues the decision, records the minutes with a finding; the agency sees
the finding's nonconformity and sends its corrective report."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.e2e.test_improvement import english, sign_out
from tests.e2e.test_shell import sign_in
from tests.oversight.factories import PDF_BYTES

pytestmark = pytest.mark.browser


def test_inspection_from_plan_to_corrective_report(
    page, live_server, e2e_world, screenshot, tmp_path
):
    from govqms.inspections.models import Inspection

    w, base = e2e_world, live_server.url
    today = dt.date.today()
    english(page, base)
    sign_in(page, base, "dost_admin")
    page.goto(f"{base}/oversight/inspections/")
    expect(page.locator("#no-plans")).to_be_visible()
    page.click("#plan-new")
    page.fill("#id_year", str(today.year))
    page.fill("#id_title", f"Kế hoạch kiểm tra ISO năm {today.year}")
    page.click("#plan-create")
    expect(page.locator("h1")).to_contain_text(f"Kế hoạch kiểm tra ISO năm {today.year}")
    # Three agencies in the remit, one proposed on site (a third), with the reasons.
    expect(page.locator("#count-total")).to_have_text("3")
    expect(page.locator("#count-on-site")).to_have_text("1")
    expect(page.locator("#plan-rows")).to_contain_text("Never inspected on site (+20)")
    screenshot(page, "inspections-1-plan-proposed")

    # The DoST adds agency B to the on-site sample.
    b = Inspection.objects.get(plan__year=today.year, unit=w.b)
    page.select_option(f"#mode-{b.pk}", "on_site")
    expect(page.locator("#count-on-site")).to_have_text("2")
    # The row is highlighted at once (htmx swap, no reload), and stays so on a reload.
    row = page.locator(f"tr[data-row='{b.pk}']")
    expect(row).to_have_class("table-warning")
    page.reload()
    expect(page.locator(f"#mode-{b.pk}")).to_have_value("on_site")
    expect(row).to_have_class("table-warning")
    page.fill("#id_number", "15/KH-SKHCN")
    page.click("#plan-approve")
    expect(page.locator("#plan-status")).to_have_text("Approved")
    screenshot(page, "inspections-2-plan-approved")

    # The decision, the minutes and a finding.
    page.click(f"tr[data-row='{b.pk}'] a")
    expect(page.locator("h1")).to_contain_text(w.b.name)
    page.fill("#decision-form input[name=number]", "42/QĐ-SKHCN")
    page.fill("#decision-form input[name=date]", today.isoformat())
    page.fill("#decision-form input[name=scheduled_on]", today.isoformat())
    page.fill("#decision-form textarea[name=team]", "Phạm Minh Đức, chuyên viên")
    page.click("#decision-save")
    expect(page.locator("#decision-facts")).to_contain_text("42/QĐ-SKHCN")
    page.fill("#minutes-form input[name=inspected_on]", today.isoformat())
    page.fill("#minutes-form textarea[name=representatives]", "Trần Thị Bình, thư ký ISO")
    page.fill("#minutes-form textarea[name=summary]", "Hồ sơ đánh giá nội bộ chưa đầy đủ.")
    page.fill("#minutes-form textarea[name=conclusion]", "Cơ bản phù hợp, một điểm cần khắc phục.")
    page.click("#minutes-save")
    expect(page.locator("#report-due")).to_be_visible()
    page.fill("#finding-form input[name=clause]", "9.2")
    page.fill("#finding-form textarea[name=text]", "Chưa đánh giá nội bộ quy trình cấp phép")
    page.click("#finding-add")
    expect(page.locator("#finding-list .nc-link")).to_contain_text("NC-")
    screenshot(page, "inspections-3-minutes-and-finding")
    inspection_url = page.url.split("#")[0]

    # The agency sees the finding's nonconformity and sends its corrective report.
    sign_out(page, base)
    sign_in(page, base, "b_secretary")
    page.goto(f"{base}/agencies/{w.b.pk}/inspections/")
    expect(page.locator("#agency-inspections")).to_contain_text("42/QĐ-SKHCN")
    screenshot(page, "inspections-4-agency-list")
    page.goto(inspection_url)
    expect(page.locator("body")).not_to_contain_text("Risk score")
    expect(page.locator("body")).not_to_contain_text(w.a.name)
    page.click("#finding-list .nc-link")
    expect(page.locator("h1")).to_contain_text("NC-")
    expect(page.locator("body")).to_contain_text("Chưa đánh giá nội bộ quy trình cấp phép")
    screenshot(page, "inspections-5-agency-nonconformity")
    page.goto(inspection_url)
    report = tmp_path / "bao-cao-khac-phuc.pdf"
    report.write_bytes(PDF_BYTES)
    page.fill("#report-form textarea[name=text]", "Đã đánh giá nội bộ quy trình cấp phép.")
    page.set_input_files("#report-form input[name=file]", str(report))
    page.click("#report-submit")
    expect(page.locator("#report-received")).to_contain_text("bao-cao-khac-phuc.pdf")
    screenshot(page, "inspections-6-report-sent")
