"""Chasing the campaign: reminders before the self-assessment deadline, escalation to
the head the day after, to the DoST 5 working days after; appraisal reminders; the
uncontested assessments made final by the daily sweep. Each notice is sent once."""

import datetime as dt

from django.utils import translation

from govqms.assessments import chase
from govqms.assessments.models import Assessment
from govqms.core.models import Notification
from govqms.core.sweep import daily_jobs
from tests.assessments.test_campaign import (
    APPRAISAL_DUE,
    SELF_DUE,
    open_for,
    released,
    submitted,
)


def keys(user):
    return set(Notification.objects.filter(user=user).values_list("key", flat=True))


def test_jobs_are_registered():
    jobs = daily_jobs()
    for name in (
        "assessments_chase_self_assessments",
        "assessments_chase_appraisals",
        "assessments_finalize_uncontested",
    ):
        assert name in jobs


def test_reminders_7_days_and_1_day_before_to_secretary_and_head(world):
    campaign = open_for(world)
    a = Assessment.objects.get(campaign=campaign, unit=world.a)
    assert chase.chase_self_assessments(SELF_DUE - dt.timedelta(days=8)) == 0
    chase.chase_self_assessments(SELF_DUE - dt.timedelta(days=7))
    for user in (world.a_secretary, world.a_head):
        assert f"assessment_remind:{a.pk}:7" in keys(user)
    assert not any(k.startswith("assessment_remind") for k in keys(world.a_staff))
    # Idempotent: the same day again, and the days up to the 1-day reminder
    assert chase.chase_self_assessments(SELF_DUE - dt.timedelta(days=7)) == 0
    assert chase.chase_self_assessments(SELF_DUE - dt.timedelta(days=3)) == 0
    chase.chase_self_assessments(SELF_DUE - dt.timedelta(days=1))
    assert f"assessment_remind:{a.pk}:1" in keys(world.a_head)
    note = Notification.objects.get(user=world.a_head, key=f"assessment_remind:{a.pk}:1")
    assert "15/10/2026" in note.subject and note.url.endswith(f"/assessments/{a.pk}/")


def test_submitted_agencies_are_not_reminded(world):
    a = submitted(world)
    chase.chase_self_assessments(SELF_DUE - dt.timedelta(days=1))
    assert f"assessment_remind:{a.pk}:1" not in keys(world.a_head)
    b = Assessment.objects.get(campaign=a.campaign, unit=world.b)
    assert f"assessment_remind:{b.pk}:1" in keys(world.b_secretary)


def test_escalation_to_the_head_then_to_the_dost(world):
    campaign = open_for(world)  # SELF_DUE is Thursday 15/10/2026
    a = Assessment.objects.get(campaign=campaign, unit=world.a)
    chase.chase_self_assessments(SELF_DUE)
    assert f"assessment_late_head:{a.pk}" not in keys(world.a_head)
    chase.chase_self_assessments(SELF_DUE + dt.timedelta(days=1))
    assert f"assessment_late_head:{a.pk}" in keys(world.a_head)
    assert f"assessment_late_head:{a.pk}" not in keys(world.a_secretary)
    assert not any(k.startswith("assessment_late_dost") for k in keys(world.dost_officer))
    # 4 working days after (Wednesday 21/10): not yet; 5 (Thursday 22/10): the DoST
    chase.chase_self_assessments(dt.date(2026, 10, 21))
    assert f"assessment_late_dost:{campaign.pk}" not in keys(world.dost_officer)
    with translation.override("en"):
        chase.chase_self_assessments(dt.date(2026, 10, 22))
    for user in (world.dost_officer, world.dost_admin):
        assert f"assessment_late_dost:{campaign.pk}" in keys(user)
    assert f"assessment_late_dost:{campaign.pk}" not in keys(world.q_officer)
    note = Notification.objects.get(user=world.dost_officer, key__startswith="assessment_late_dost")
    assert (
        "Ủy ban nhân dân xã Đông Phong" in note.body
        and "Ủy ban nhân dân phường Đức Giang" in note.body
    )
    assert "3 agencies" in note.subject


def test_appraisal_reminders_to_the_dost(world):
    a = submitted(world)
    chase.chase_appraisals(APPRAISAL_DUE - dt.timedelta(days=7))
    assert f"appraisal_remind:{a.campaign.pk}:7" in keys(world.dost_officer)
    assert not keys(world.q_officer)
    chase.chase_appraisals(APPRAISAL_DUE - dt.timedelta(days=1))
    assert f"appraisal_remind:{a.campaign.pk}:1" in keys(world.dost_admin)


def test_no_appraisal_reminder_when_nothing_waits(world):
    campaign = open_for(world)
    assert chase.chase_appraisals(APPRAISAL_DUE - dt.timedelta(days=1)) == 0
    assert not any(k.startswith("appraisal_remind") for k in keys(world.dost_officer))
    assert campaign.pk


def test_daily_sweep_finalizes_uncontested(world):
    a = released(world)
    assert chase.finalize_uncontested(a.contest_due) == 0
    assert chase.finalize_uncontested(a.contest_due + dt.timedelta(days=1)) == 1
    a.refresh_from_db()
    assert a.status == "final" and a.rank == 1
    assert chase.finalize_uncontested(a.contest_due + dt.timedelta(days=2)) == 0
