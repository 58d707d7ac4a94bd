"""Overdue corrective actions escalate: the owner is reminded within 3 working days of
the due date, the head is told once the action is overdue; each once per key."""

import datetime as dt

from govqms.core.calendar import Calendar
from govqms.core.models import Notification
from govqms.core.sweep import daily_jobs
from govqms.improvement import services

from .factories import nc_with_action

# Monday 2026-03-02; the calendar of province P.
MONDAY = dt.date(2026, 3, 2)


def _notes(user, kind):
    return Notification.objects.filter(user=user, key__startswith=f"improvement:{kind}:")


def test_job_is_registered():
    assert daily_jobs()["improvement_action_escalation"] is services.escalate_actions


def test_owner_reminded_three_working_days_before_due(world):
    due = Calendar.for_scope(world.a.province).next_working_day(MONDAY, 3)
    nc, action = nc_with_action(world.a, world.a_secretary, owner=world.a_staff, due=due)
    # Four working days before: nothing yet.
    day_before = MONDAY - dt.timedelta(days=3)  # Friday
    services.escalate_actions(day_before)
    assert not _notes(world.a_staff, "action_due").exists()
    services.escalate_actions(MONDAY)
    note = _notes(world.a_staff, "action_due").get()
    assert nc.number in note.subject and note.url.endswith(f"/nonconformities/{nc.pk}/")
    # Once per key: running again (or the next day) tells nobody twice.
    services.escalate_actions(MONDAY)
    services.escalate_actions(MONDAY + dt.timedelta(days=1))
    assert _notes(world.a_staff, "action_due").count() == 1
    assert not _notes(world.a_head, "action_overdue").exists()


def test_overdue_action_is_escalated_to_the_head_once(world):
    nc, action = nc_with_action(world.a, world.a_secretary, owner=world.a_staff, due=MONDAY)
    assert services.escalate_actions(MONDAY) >= 1  # due today: a reminder, not overdue
    assert not _notes(world.a_head, "action_overdue").exists()
    tuesday = MONDAY + dt.timedelta(days=1)
    services.escalate_actions(tuesday)
    services.escalate_actions(tuesday + dt.timedelta(days=1))
    head_notes = _notes(world.a_head, "action_overdue")
    assert head_notes.count() == 1
    assert nc.number in head_notes.get().subject
    assert _notes(world.a_staff, "action_overdue_owner").count() == 1
    # Nobody of another agency hears about it.
    assert not Notification.objects.filter(user=world.b_secretary).exists()


def test_done_actions_do_not_escalate(world):
    nc, action = nc_with_action(world.a, world.a_secretary, owner=world.a_staff, due=MONDAY)
    services.complete_action(world.a_staff, action)
    assert services.escalate_actions(MONDAY + dt.timedelta(days=5)) == 0


def test_a_new_due_date_is_a_new_key(world):
    nc, action = nc_with_action(world.a, world.a_secretary, owner=world.a_staff, due=MONDAY)
    services.escalate_actions(MONDAY + dt.timedelta(days=1))
    action.due_date = MONDAY + dt.timedelta(days=1)
    action.save()
    services.escalate_actions(MONDAY + dt.timedelta(days=2))
    assert _notes(world.a_head, "action_overdue").count() == 2
