"""A new issue of a procedure, from the ISO secretary's draft to the staff's reading,
in a real browser."""

import pytest
from playwright.sync_api import expect

from tests.documents.factories import make_effective_procedure
from tests.e2e.test_shell import sign_in

pytestmark = pytest.mark.browser


def sign_out(page, base):
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")


def test_a_new_issue_from_draft_to_reading(page, live_server, e2e_world, screenshot):
    w, base = e2e_world, live_server.url
    document, first = make_effective_procedure(w)

    # The ISO secretary starts issue 2 from the document page and edits the fees.
    sign_in(page, base, "a_iso_secretary")
    page.goto(f"{base}/documents/{document.pk}/")
    page.fill(
        "#revise-form textarea[name=description]", "Thu phí theo Nghị quyết mới của HĐND tỉnh"
    )
    page.fill("#revise-form input[name=section]", "5.6")
    page.click("#revise-form button[type=submit]")
    expect(page.locator("#version-form")).to_be_visible()
    page.fill("input[name=fees]", "8.000 đồng/bản")
    screenshot(page, "doc-1-secretary-edits-draft")
    page.click("#version-form button[type=submit]")
    expect(page.locator(".procedure-content")).to_contain_text("8.000 đồng/bản")
    page.click("#submit-for-review")
    # The secretary is the reviewing step too: review and approve it.
    page.click("#decide-form button[value=approve]")
    expect(page.locator("#signoff-block")).to_contain_text(w.a_secretary.full_name)
    screenshot(page, "doc-2-reviewed")

    # The head approves and sets it in force.
    sign_out(page, base)
    sign_in(page, base, "a_head")
    second = document.versions.get(issue_no=2)
    page.goto(f"{base}/versions/{second.pk}/")
    page.click("#decide-form button[value=approve]")
    page.click("#effective-form button[type=submit]")
    expect(page.locator(".badge.text-bg-success").first).to_be_visible()
    expect(page.locator("#signoff-block")).to_contain_text(w.a_head.full_name)
    screenshot(page, "doc-3-head-approved-effective")

    # A staff member reads it.
    sign_out(page, base)
    sign_in(page, base, "a_staff")
    page.goto(f"{base}/my/reading/")
    tasks = page.locator("#reading-tasks")
    expect(tasks).to_contain_text(document.code)
    screenshot(page, "doc-4-staff-to-read")
    tasks.locator("button[type=submit]").first.click()
    expect(page.locator("#recent-reads")).to_contain_text(document.code)
    screenshot(page, "doc-5-staff-has-read")

    # The old issue is no longer in force, and says so.
    page.goto(f"{base}/versions/{first.pk}/")
    expect(page.locator("#withdrawn-banner")).to_contain_text("HẾT HIỆU LỰC")
    screenshot(page, "doc-6-old-issue-withdrawn")
    page.goto(f"{base}/documents/{document.pk}/")
    expect(page.locator("#versions-table .version-row-superseded")).to_have_count(1)
    expect(page.locator("#versions-table .version-row-effective")).to_have_count(1)
