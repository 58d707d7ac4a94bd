"""The dashboard and the provincial reports count the agencies behind on their
obligations with one definition: a draft self-assessment before its due day is not
missing, after it it is (or once the DoST went on without it)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from govqms.assessments.models import Assessment, Campaign, CriteriaSet
from govqms.oversight import dashboard
from govqms.oversight import provincial_reports as P

pytestmark = pytest.mark.django_db

DUE = dt.date(2022, 10, 15)


def open_campaign_with_a_draft(w):
    """A's self-assessment submitted on time, B's still a draft."""
    cset = CriteriaSet.objects.create(
        owner=w.p, year=2022, title="Bộ tiêu chí 2022", status=CriteriaSet.Status.PUBLISHED
    )
    campaign = Campaign.objects.create(
        owner=w.p,
        year=2022,
        title="Đánh giá 2022",
        criteria_set=cset,
        status=Campaign.Status.OPEN,
        reference_date=dt.date(2022, 9, 1),
        self_assessment_due=DUE,
        appraisal_due=dt.date(2022, 11, 10),
    )
    Assessment.objects.create(
        campaign=campaign,
        unit=w.a,
        status=Assessment.Status.SUBMITTED,
        self_total=Decimal(90),
        submitted_at=timezone.make_aware(dt.datetime(2022, 10, 1, 10)),
    )
    draft = Assessment.objects.create(campaign=campaign, unit=w.b)
    return campaign, draft


def missing(w, today):
    report = P.year_data(w.dost_officer, 2022, owner=w.p, today=today).obligations
    board = dashboard.dashboard(w.dost_officer, 2022, today=today).obligations
    (self_assessment,) = [o for o in board if o.key == dashboard.SELF_ASSESSMENT]
    return {u.pk for u in report.not_submitted}, {r.unit.pk for r in self_assessment.rows}


def test_a_draft_is_missing_only_after_its_due_day_in_the_report_and_the_dashboard(world):
    w = world
    _campaign, draft = open_campaign_with_a_draft(w)
    assert missing(w, DUE) == (set(), set())
    assert missing(w, DUE + dt.timedelta(days=1)) == ({w.b.pk}, {w.b.pk})
    # The DoST appraised the draft before the due day: it will never be submitted.
    Assessment.objects.filter(pk=draft.pk).update(status=Assessment.Status.APPRAISED)
    assert missing(w, DUE - dt.timedelta(days=5)) == ({w.b.pk}, {w.b.pk})


def test_legal_updates_overdue_count_the_same_in_the_report_and_the_dashboard(world):
    from govqms.documents.models import LegalDocument, UpdateTask
    from tests.documents.factories import make_procedure

    w = world
    open_campaign_with_a_draft(w)
    law = LegalDocument.objects.create(number="118/2025/NĐ-CP", title="Nghị định một cửa")
    UpdateTask.objects.create(
        document=make_procedure(w.a, code="QT-01"),
        legal_document=law,
        reason="Thay thế",
        due=dt.date(2023, 1, 20),  # overdue now, but not in 2022
    )
    UpdateTask.objects.create(
        document=make_procedure(w.b, code="QT-02"),
        legal_document=law,
        reason="Thay thế",
        due=dt.date(2022, 6, 1),
    )
    today = dt.date(2023, 3, 1)
    report = P.year_data(w.dost_officer, 2022, owner=w.p, today=today).obligations
    board = dashboard.dashboard(w.dost_officer, 2022, today=today).obligations
    (legal,) = [o for o in board if o.key == dashboard.LEGAL_OVERDUE]
    assert [u.pk for u in report.legal_overdue] == [r.unit.pk for r in legal.rows] == [w.b.pk]
