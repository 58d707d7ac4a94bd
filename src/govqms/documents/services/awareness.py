"""Distribution and awareness (ISO 9001:2015, 7.3 and 7.5.3): who must read an
effective version, their acknowledgements, reminders, and the periodic review.

When a version becomes effective (`versions._activate`), every active member of the
agency it concerns (by role and division; everyone when the document names none)
gets a read task. They confirm with `acknowledge`; those who have not read it are
reminded by e-mail every `GOVQMS_READ_REMINDER_DAYS` days by the daily sweep
(`send_reminders`), or at once by the ISO secretary (`remind_now`). A document's
periodic review either starts a new issue or, with `mark_reviewed`, confirms it as
it is and moves the next review date forward.
"""

import datetime as dt
import logging
from collections import defaultdict

from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from govqms.core import audit
from govqms.organizations.models import AGENCY_ROLES, Membership

from ..models import Acknowledgement, Document, DocumentVersion, VersionStatus
from .versions import add_months, require

logger = logging.getLogger(__name__)


def reminder_days() -> int:
    """How many days a read task may stay open before a reminder, and between two."""
    return int(getattr(settings, "GOVQMS_READ_REMINDER_DAYS", 3))


def audience(version: DocumentVersion):
    """Active members of the agency that the document concerns (by role and division)."""
    document = version.document
    memberships = Membership.objects.active_on().filter(
        unit=document.unit, role__in=document.audience_roles or AGENCY_ROLES
    )
    if document.audience_divisions:
        memberships = memberships.filter(division__in=document.audience_divisions)
    return memberships.values_list("user_id", flat=True).distinct()


@transaction.atomic
def assign_read_tasks(version: DocumentVersion) -> int:
    """One read task per person concerned, when the version becomes effective."""
    now = timezone.now()
    existing = set(version.acknowledgements.values_list("user_id", flat=True))
    tasks = [
        Acknowledgement(version=version, user_id=user_id, assigned_at=now)
        for user_id in set(audience(version)) - existing
    ]
    Acknowledgement.objects.bulk_create(tasks)
    if tasks:
        audit.record(
            actor=None,
            action="read_tasks_assigned",
            obj=version,
            unit=version.document.unit,
            changes={"read_tasks": [len(existing), len(existing) + len(tasks)]},
        )
    return len(tasks)


@transaction.atomic
def acknowledge(actor, acknowledgement: Acknowledgement) -> Acknowledgement:
    """The person of a read task confirms they have read the version (once)."""
    task = (
        Acknowledgement.objects.select_for_update()
        .select_related("version__document__unit")
        .get(pk=acknowledgement.pk)
    )
    if actor is None or task.user_id != actor.pk:
        raise PermissionDenied(_("Only the person asked to read it may confirm it."))
    require(actor, "documents.acknowledge", task.version)
    if task.version.status != VersionStatus.EFFECTIVE:
        raise ValidationError(_("This version is no longer in force: there is nothing to read."))
    if task.acknowledged_at is not None:
        return task
    task.acknowledged_at = timezone.now()
    task.save(update_fields=["acknowledged_at"])
    audit.record(
        actor=actor,
        action="acknowledge",
        obj=task.version,
        unit=task.version.document.unit,
        changes={"acknowledged_at": [None, task.acknowledged_at]},
    )
    acknowledgement.acknowledged_at = task.acknowledged_at
    return task


# ---------------------------------------------------------------- reminders


def _open_tasks(day: dt.date):
    """Open read tasks of effective versions whose person still belongs to the agency."""
    still_member = Membership.objects.active_on(day).filter(
        user=OuterRef("user"), unit=OuterRef("version__document__unit"), role__in=AGENCY_ROLES
    )
    return (
        Acknowledgement.objects.filter(
            acknowledged_at__isnull=True, version__status=VersionStatus.EFFECTIVE
        )
        .filter(Exists(still_member))
        .exclude(user__email="")
        .select_related("user", "version__document__unit")
    )


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _message(user, tasks: list[Acknowledgement]) -> mail.EmailMessage:
    site = getattr(settings, "GOVQMS_SITE_URL", "").rstrip("/")
    with translation.override(settings.LANGUAGE_CODE):
        lines = [
            _("Dear %(name)s,") % {"name": user.display_name},
            "",
            _("These documents are in force and you have not yet confirmed reading them:"),
            "",
        ]
        for task in tasks:
            version = task.version
            document = version.document
            lines.append(
                _("- %(code)s %(title)s, issue %(issue)s, in force from %(date)s (%(agency)s)")
                % {
                    "code": document.code,
                    "title": document.title,
                    "issue": version.issue_no,
                    "date": version.effective_from.strftime("%d/%m/%Y")
                    if version.effective_from
                    else "",
                    "agency": document.unit.name,
                }
            )
            lines.append("  " + site + reverse("version_detail", args=[version.pk]))
        lines += [
            "",
            _("Read them, then confirm with the button “I have read it” at %(link)s")
            % {"link": site + reverse("my_reading")},
        ]
        subject = ngettext(
            "Reminder: %(count)d document to read",
            "Reminder: %(count)d documents to read",
            len(tasks),
        ) % {"count": len(tasks)}
    return mail.EmailMessage(subject=subject, body="\n".join(lines), to=[user.email])


def _moment(day: dt.date) -> dt.datetime:
    """Now, moved to `day` when the sweep runs for another day (`govqms sweep --date`)."""
    now = timezone.now()
    if day == timezone.localdate(now):
        return now
    return timezone.make_aware(dt.datetime.combine(day, timezone.localtime(now).time()))


def _remind(actor, tasks, *, action: str, day: dt.date, note: str = "") -> int:
    """E-mail each person their tasks, one message each; record the reminder."""
    by_user = defaultdict(list)
    for task in tasks:
        by_user[task.user].append(task)
    sent = 0
    connection = mail.get_connection()
    for user, user_tasks in by_user.items():
        try:
            connection.send_messages([_message(user, user_tasks)])
        except Exception:  # one bad address must not stop the others
            logger.exception("read reminder to %s failed", user.email)
            continue
        with transaction.atomic():
            Acknowledgement.objects.filter(pk__in=[t.pk for t in user_tasks]).update(
                last_reminded_at=_moment(day)
            )
            by_unit = defaultdict(list)
            for task in user_tasks:
                by_unit[task.version.document.unit].append(task.version)
            for unit, unit_versions in by_unit.items():
                audit.record(
                    actor=actor,
                    action=action,
                    unit=unit,
                    object_type="organizations.user",
                    object_id=str(user.pk),
                    object_repr=user.display_name,
                    changes={"versions": [None, [v.pk for v in unit_versions]]},
                    note=note or ", ".join(str(v) for v in unit_versions),
                )
        sent += 1
    return sent


def send_reminders(today: dt.date | None = None) -> int:
    """Daily: e-mail everyone whose read task has been open for N days or more and who
    was not reminded in the last N days (N = GOVQMS_READ_REMINDER_DAYS, 3 by default).
    Returns the number of e-mails sent."""
    today = today or timezone.localdate()
    days = reminder_days()
    cutoff = _start_of(today - dt.timedelta(days=days - 1))
    tasks = (
        _open_tasks(today)
        .filter(assigned_at__lt=cutoff)
        .exclude(last_reminded_at__gte=cutoff)
        .order_by("user_id", "version__document__code")
    )
    return _remind(None, tasks, action="read_reminder", day=today)


def remind_now(actor, version: DocumentVersion) -> int:
    """The ISO secretary or head reminds, at once, everyone who has not read the version."""
    require(actor, "documents.publish", version)
    if version.status != VersionStatus.EFFECTIVE:
        raise ValidationError(_("Only a version in force has readers to remind."))
    today = timezone.localdate()
    tasks = _open_tasks(today).filter(version=version).order_by("user_id")
    sent = _remind(actor, tasks, action="read_reminder", day=today, note=str(version))
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="read_reminder_request",
            obj=version,
            unit=version.document.unit,
            changes={"reminded": [None, sent]},
        )
    return sent


# ---------------------------------------------------------------- periodic review


@transaction.atomic
def mark_reviewed(actor, document: Document, *, note: str, today: dt.date | None = None):
    """A periodic review that confirms the document as it is: the next review is due one
    interval from today."""
    require(actor, "documents.publish", document)
    document = Document.objects.select_for_update().select_related("unit").get(pk=document.pk)
    if not note.strip():
        raise ValidationError(_("Say what the review found."))
    if not document.versions.filter(status=VersionStatus.EFFECTIVE).exists():
        raise ValidationError(_("Only a document in force can be reviewed."))
    today = today or timezone.localdate()
    before = document.next_review_due
    document.next_review_due = add_months(today, document.review_interval_months)
    document.save(update_fields=["next_review_due", "updated_at"])
    audit.record(
        actor=actor,
        action="document_reviewed",
        obj=document,
        unit=document.unit,
        changes={"next_review_due": [before, document.next_review_due]},
        note=note.strip(),
    )
    return document
