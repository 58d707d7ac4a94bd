"""Chasing the yearly campaign (daily jobs, registered in registrations.py).

- Drafts: a reminder to the agency's ISO secretary and head 7 days and 1 day before
  the self-assessment deadline; the day after it, an escalation to the head; 5
  working days after it, an escalation to the DoST officers and administrators of
  the owner with the list of the agencies still missing.
- Appraisal: a reminder to the DoST 7 days and 1 day before the appraisal deadline
  while assessments wait for appraisal.
- Appraised assessments whose contest deadline passed become final
  (services.finalize_all_uncontested).

Every notice has a stable key, so running the sweep again the same day, or every day,
tells each person once.
"""

import datetime as dt
from collections import defaultdict

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from govqms.core import notifications as notes
from govqms.core.calendar import Calendar
from govqms.organizations.models import Membership, Role

from . import services
from .models import Assessment, Campaign

REMINDER_DAYS = (7, 1)
DOST_ESCALATION_WORKING_DAYS = 5


def _stage(days_left: int) -> int | None:
    """Which reminder is due with `days_left` days to go (the nearest not yet past)."""
    if days_left < 0:
        return None
    due = [d for d in REMINDER_DAYS if days_left <= d]
    return min(due) if due else None


def _people(unit_ids, roles) -> dict[int, list]:
    people = defaultdict(list)
    rows = (
        Membership.objects.active_on()
        .filter(unit_id__in=list(unit_ids), role__in=roles)
        .select_related("user")
    )
    for m in rows:
        people[m.unit_id].append((m.role, m.user))
    return people


def _open_campaigns():
    return Campaign.objects.filter(status=Campaign.Status.OPEN).select_related("owner")


def chase_self_assessments(today: dt.date) -> int:
    """Reminders and escalations for drafts; returns the notifications sent."""
    sent = 0
    for campaign in _open_campaigns():
        due = campaign.self_assessment_due
        drafts = list(
            Assessment.objects.filter(campaign=campaign, status=Assessment.Status.DRAFT)
            .select_related("unit")
            .order_by("unit__name")
        )
        if not drafts:
            continue
        due_text = due.strftime("%d/%m/%Y")
        days_left = (due - today).days
        stage = _stage(days_left)
        if stage is not None:
            people = _people([a.unit_id for a in drafts], (Role.ISO_SECRETARY, Role.HEAD))
            for a in drafts:
                sent += len(
                    notes.notify(
                        [u for _r, u in people.get(a.unit_id, [])],
                        key=f"assessment_remind:{a.pk}:{stage}",
                        subject=_("Yearly assessment: submit the self-assessment by %(due)s")
                        % {"due": due_text},
                        body=_("%(campaign)s. %(days)s day(s) left; the head submits.")
                        % {"campaign": campaign.title, "days": days_left},
                        url=services.assessment_url(a),
                        unit=a.unit,
                        kind="assessment",
                    )
                )
            continue
        if today <= due:
            continue
        heads = _people([a.unit_id for a in drafts], (Role.HEAD,))
        for a in drafts:
            sent += len(
                notes.notify(
                    [u for _r, u in heads.get(a.unit_id, [])],
                    key=f"assessment_late_head:{a.pk}",
                    subject=_("Yearly assessment overdue: the self-assessment was due on %(due)s")
                    % {"due": due_text},
                    body=_("%(unit)s has not submitted its self-assessment for %(campaign)s.")
                    % {"unit": a.unit, "campaign": campaign.title},
                    url=services.assessment_url(a),
                    unit=a.unit,
                    kind="assessment",
                )
            )
        calendar = Calendar.for_scope(campaign.owner.province)
        if calendar.working_days_between(due, today) >= DOST_ESCALATION_WORKING_DAYS:
            names = "\n".join(f"- {a.unit.name}" for a in drafts)
            sent += len(
                notes.notify(
                    services.dost_people(campaign.owner),
                    key=f"assessment_late_dost:{campaign.pk}",
                    subject=ngettext(
                        "%(count)s agency has not submitted its self-assessment",
                        "%(count)s agencies have not submitted their self-assessment",
                        len(drafts),
                    )
                    % {"count": len(drafts)},
                    body=_("Due on %(due)s (%(campaign)s). Missing:\n%(names)s")
                    % {"due": due_text, "campaign": campaign.title, "names": names},
                    url=services._url("campaign_detail", campaign.pk) + "?status=draft",
                    unit=campaign.owner,
                    kind="assessment",
                )
            )
    return sent


def chase_appraisals(today: dt.date) -> int:
    """Reminders to the DoST before the appraisal deadline."""
    sent = 0
    for campaign in _open_campaigns():
        stage = _stage((campaign.appraisal_due - today).days)
        if stage is None:
            continue
        waiting = Assessment.objects.filter(
            campaign=campaign, status=Assessment.Status.SUBMITTED
        ).count()
        if not waiting:
            continue
        sent += len(
            notes.notify(
                services.dost_people(campaign.owner),
                key=f"appraisal_remind:{campaign.pk}:{stage}",
                subject=_("%(count)s self-assessments await appraisal by %(due)s")
                % {"count": waiting, "due": campaign.appraisal_due.strftime("%d/%m/%Y")},
                body=campaign.title,
                url=services._url("campaign_detail", campaign.pk) + "?status=submitted",
                unit=campaign.owner,
                kind="assessment",
            )
        )
    return sent


def finalize_uncontested(today: dt.date) -> int:
    return services.finalize_all_uncontested(today)
