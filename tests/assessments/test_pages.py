"""The campaign pages: DoST list, opening, campaign table and export, appraisal and
contest decision; the agency's assessments, self-assessment, submission, contest."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from govqms.assessments import services
from govqms.assessments.models import Assessment, Campaign
from govqms.core.models import AuditEntry
from tests.assessments.test_campaign import (
    appraise,
    crit,
    make_set,
    open_for,
    released,
    self_score,
    submitted,
)


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


def as_user(client, user):
    client.force_login(user)
    return client


def test_campaign_list_empty_state_and_open_form(world, en):
    c = as_user(en, world.dost_admin)
    body = c.get(reverse("campaign_list")).content.decode()
    assert 'id="no-campaigns"' in body and 'id="open-campaign"' in body
    cs = make_set(world.p)
    response = c.post(
        reverse("campaign_open"),
        {
            "criteria_set": cs.pk,
            "title": "Đánh giá 2026",
            "reference_date": "2026-09-01",
            "self_assessment_due": "2026-10-15",
            "appraisal_due": "2026-11-15",
            "contest_working_days": 5,
        },
    )
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "campaign_detail", args=[campaign.pk]
    )
    assert campaign.assessments.count() == 3
    body = c.get(reverse("campaign_list")).content.decode()
    assert "Đánh giá 2026" in body and "Ủy ban nhân dân xã Đông Phong" in body  # not submitted


def test_open_form_refuses_bad_deadlines(world, en):
    cs = make_set(world.p)
    response = as_user(en, world.dost_admin).post(
        reverse("campaign_open"),
        {
            "criteria_set": cs.pk,
            "self_assessment_due": "2026-10-15",
            "appraisal_due": "2026-10-01",
            "contest_working_days": 5,
        },
    )
    assert response.status_code == 200
    assert "must not be before the self-assessment deadline" in response.content.decode()
    assert not Campaign.objects.exists()


def test_only_admins_open_campaigns(world, en):
    assert as_user(en, world.dost_officer).get(reverse("campaign_open")).status_code == 403


def test_campaign_detail_filters_counts_search_and_export(world, en):
    campaign = open_for(world)
    submitted(world, campaign=campaign)
    c = as_user(en, world.dost_officer)
    url = reverse("campaign_detail", args=[campaign.pk])
    body = c.get(url).content.decode()
    assert body.count('class="assessment-row"') == 3
    assert 'data-status="submitted"' in body
    body = c.get(url, {"status": "submitted"}).content.decode()
    assert body.count('class="assessment-row"') == 1 and "Đông Phong" in body
    body = c.get(url, {"q": "duc giang"}).content.decode()  # accents folded
    assert body.count('class="assessment-row"') == 1 and "Đức Giang" in body
    body = c.get(url, {"kind": "dost"}).content.decode()
    assert body.count('class="assessment-row"') == 1 and "Sở Khoa học" in body
    assert 'id="campaign-close"' not in body  # officers do not close
    response = c.get(reverse("campaign_export", args=[campaign.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    names = [sheet.cell(row=r, column=3).value for r in range(4, sheet.max_row + 1)]
    assert sorted(names) == sorted(
        [
            "Sở Khoa học và Công nghệ",
            "Ủy ban nhân dân xã Đông Phong",
            "Ủy ban nhân dân phường Đức Giang",
        ]
    )
    assert sheet.cell(row=3, column=3).value == "Cơ quan"  # exported in Vietnamese
    assert as_user(en, world.dost_admin).get(url).content.decode().count('id="campaign-close"') == 1


def test_agency_self_assessment_page_save_and_submit(world, en):
    campaign = open_for(world)
    a = Assessment.objects.get(campaign=campaign, unit=world.a)
    url = reverse("assessment_detail", args=[world.a.pk, a.pk])
    c = as_user(en, world.a_secretary)
    body = c.get(url).content.decode()
    assert 'id="self-assessment-form"' in body
    assert 'id="head-must-submit"' in body and 'id="submit-self-assessment"' not in body
    fields = {f"points_{crit(a, code)}": v for code, v in {"1.1": "40", "1.2": "29,5"}.items()}
    fields[f"comment_{crit(a, '1.1')}"] = "Đã đánh giá nội bộ"
    response = c.post(url, fields)
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.self_total == Decimal("69.5")
    # Over the maximum: refused, what was typed is kept
    response = c.post(url, {f"points_{crit(a, '2.1')}": "31"})
    body = response.content.decode()
    assert response.status_code == 200 and "2.1: the points must be between 0 and 30" in body
    assert 'value="31"' in body
    # The head sees the submit button; unscored 2.1 is named
    c = as_user(en, world.a_head)
    assert 'id="submit-self-assessment"' in c.get(url).content.decode()
    submit = reverse("assessment_submit", args=[world.a.pk, a.pk])
    body = c.post(submit, follow=True).content.decode()
    assert "Not scored: 2.1." in body
    self_score(world, a, {"2.1": 20})
    c.post(submit)
    a.refresh_from_db()
    assert a.status == "submitted"
    body = c.get(url).content.decode()
    assert 'id="self-assessment-form"' not in body and 'id="submitted-note"' in body


def test_staff_and_secretary_cannot_submit(world, en):
    campaign = open_for(world)
    a = Assessment.objects.get(campaign=campaign, unit=world.a)
    self_score(world, a, {"1.1": 40, "1.2": 30, "2.1": 25})
    submit = reverse("assessment_submit", args=[world.a.pk, a.pk])
    as_user(en, world.a_secretary).post(submit)
    a.refresh_from_db()
    assert a.status == "draft"
    assert as_user(en, world.a_staff).post(submit).status_code == 403
    # Staff read their assessment but get no form
    body = as_user(en, world.a_staff).get(reverse("assessment_detail", args=[world.a.pk, a.pk]))
    assert 'id="self-assessment-form"' not in body.content.decode()


def test_evidence_upload_and_download(world, en):
    from django.core.files.uploadedfile import SimpleUploadedFile

    campaign = open_for(world)
    a = Assessment.objects.get(campaign=campaign, unit=world.a)
    score = a.scores.get(criterion__code="1.1")
    c = as_user(en, world.a_secretary)
    url = reverse("assessment_evidence_add", args=[world.a.pk, a.pk, score.pk])
    pdf = SimpleUploadedFile("ke-hoach.pdf", b"%PDF-1.4 plan", content_type="application/pdf")
    c.post(url, {"label": "Kế hoạch đánh giá", "file": pdf})
    ev = score.evidence.get()
    body = c.get(reverse("assessment_detail", args=[world.a.pk, a.pk])).content.decode()
    assert "Kế hoạch đánh giá" in body and "ke-hoach.pdf" in body
    response = c.get(reverse("assessment_evidence_file", args=[world.a.pk, a.pk, ev.pk]))
    assert b"".join(response.streaming_content) == b"%PDF-1.4 plan"
    body = c.post(url, {"label": "Trống"}, follow=True).content.decode()
    assert "Give a link to the record or upload a file." in body


def test_appraisal_page_requires_reasons_and_releases(world, en):
    a = submitted(world)
    c = as_user(en, world.dost_officer)
    url = reverse("assessment_appraise", args=[a.pk])
    body = c.get(url).content.decode()
    assert 'id="appraisal-form"' in body and 'id="release-appraisal"' in body
    data = {
        f"points_{crit(a, code)}": v for code, v in {"1.1": "40", "1.2": "30", "2.1": "15"}.items()
    }
    body = c.post(url, data).content.decode()
    assert "2.1: give the reason" in body and 'value="15"' in body
    data[f"reason_{crit(a, '2.1')}"] = "Thiếu biên bản họp xem xét"
    assert c.post(url, data).status_code == 302
    c.post(reverse("assessment_release", args=[a.pk]))
    a.refresh_from_db()
    assert a.status == "appraised" and a.appraised_total == Decimal("85")
    # Reading an agency's assessment is logged for the agency
    assert AuditEntry.objects.filter(action="oversight_read", unit=world.a).exists()


def test_agency_does_not_see_the_appraisal_before_release(world, en):
    a = submitted(world)
    appraise(world, a, {"1.1": 12}, {"1.1": "Bí mật"})
    body = (
        as_user(en, world.a_head)
        .get(reverse("assessment_detail", args=[world.a.pk, a.pk]))
        .content.decode()
    )
    assert "Bí mật" not in body and 'id="appraised-total"' not in body


def test_contest_and_decision_pages(world, en):
    a = released(world, appraised={"1.1": 30, "1.2": 30, "2.1": 25}, reasons={"1.1": "Thiếu"})
    # The pages check the contest deadline against the real date: move it ahead.
    a.contest_due = dt.date.today() + dt.timedelta(days=3)
    a.save(update_fields=["contest_due"])
    detail = reverse("assessment_detail", args=[world.a.pk, a.pk])
    c = as_user(en, world.a_secretary)
    body = c.get(detail).content.decode()
    assert 'id="contest-form"' not in body and 'id="head-must-contest"' in body
    c = as_user(en, world.a_head)
    assert 'id="contest-form"' in c.get(detail).content.decode()
    c.post(
        reverse("assessment_contest", args=[world.a.pk, a.pk]),
        {"reason": "Đề nghị xem xét", f"contest_{crit(a, '1.1')}": "Đã có đủ báo cáo"},
    )
    a.refresh_from_db()
    assert a.status == "contested"
    o = as_user(en, world.dost_officer)
    decide = reverse("assessment_decide", args=[a.pk])
    body = o.get(decide).content.decode()
    assert "Đã có đủ báo cáo" in body and 'id="decide-submit"' in body
    cid = crit(a, "1.1")
    o.post(decide, {f"outcome_{cid}": "accept", f"points_{cid}": "38", f"reason_{cid}": "Hợp lệ"})
    a.refresh_from_db()
    assert (a.status, a.final_total, a.band, a.rank) == ("final", Decimal("93"), "excellent", 1)
    body = as_user(en, world.a_staff).get(detail).content.decode()
    assert 'id="final-result"' in body and "Excellent" in body and "rank 1" in body


def test_agency_assessments_and_panels(world, en):
    c = as_user(en, world.a_secretary)
    body = c.get(reverse("agency_assessments", args=[world.a.pk])).content.decode()
    assert 'id="no-assessments"' in body
    campaign = open_for(world)
    body = c.get(reverse("agency_assessments", args=[world.a.pk])).content.decode()
    assert campaign.title in body
    body = c.get(reverse("agency_detail", args=[world.a.pk])).content.decode()
    assert 'id="assessment-panel"' in body and "15/10/2026" in body
    body = as_user(en, world.dost_officer).get(reverse("agency_list")).content.decode()
    assert 'id="campaign-panel"' in body and "0 of 3 agencies submitted" in body


def test_history_tab_lists_the_changes(world, en):
    campaign = open_for(world)
    a = Assessment.objects.get(campaign=campaign, unit=world.a)
    self_score(world, a, {"1.1": 33})
    body = (
        as_user(en, world.a_head)
        .get(reverse("assessment_detail", args=[world.a.pk, a.pk]) + "?tab=history")
        .content.decode()
    )
    assert 'id="history-table"' in body and "Self-assessment score saved" in body


def test_close_button_closes_when_all_final(world, en):
    campaign = open_for(world)
    c = as_user(en, world.dost_admin)
    body = c.post(reverse("campaign_close", args=[campaign.pk]), follow=True).content.decode()
    assert "cannot be closed" in body
    day = dt.date(2026, 10, 16)
    for a in campaign.assessments.all():
        appraise(
            world, a, {"1.1": 40, "1.2": 30, "2.1": 20}, {"1.1": "r", "1.2": "r", "2.1": "r"}, day
        )
        services.release_appraisal(world.dost_officer, a, today=day)
    services.finalize_uncontested(campaign, today=dt.date(2026, 12, 1))
    c.post(reverse("campaign_close", args=[campaign.pk]))
    campaign.refresh_from_db()
    assert campaign.status == "closed"


def test_admin_changes_the_deadlines(world, en):
    campaign = open_for(world)
    url = reverse("campaign_edit", args=[campaign.pk])
    assert as_user(en, world.dost_officer).get(url).status_code == 403
    c = as_user(en, world.dost_admin)
    assert 'id="campaign-edit-form"' in c.get(url).content.decode()
    data = {
        "title": campaign.title,
        "self_assessment_due": "2026-10-20",
        "appraisal_due": "2026-10-19",
        "contest_working_days": 7,
    }
    assert "must not be before" in c.post(url, data).content.decode()
    data["appraisal_due"] = "2026-11-30"
    assert c.post(url, data).status_code == 302
    campaign.refresh_from_db()
    assert campaign.self_assessment_due == dt.date(2026, 10, 20)
    assert campaign.contest_working_days == 7
    assert AuditEntry.objects.filter(action="campaign_update", unit=world.p).exists()


def test_counts_of_one_agency_are_in_the_singular(world, en):
    campaign = open_for(world)
    Assessment.objects.filter(campaign=campaign).exclude(unit=world.a).delete()
    officer = as_user(en, world.dost_officer)
    body = officer.get(reverse("campaign_list")).content.decode()
    assert "1 agency<" in body and "1 agencies" not in body
    body = officer.get(reverse("agency_list")).content.decode()
    assert "0 of 1 agency submitted" in body
