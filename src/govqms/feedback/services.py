"""Every write of the satisfaction survey and of complaints.

Each function checks the actor's permission (`actor` None is the system or, for the
public forms, an anonymous citizen behind the protections of `protection`), runs in
a transaction and writes an audit entry."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govqms.core import audit
from govqms.core.calendar import Calendar
from govqms.core.permissions import require
from govqms.core.text import fold
from govqms.organizations import selectors as org
from govqms.organizations.models import Unit

from . import (
    protection,
    rules,  # noqa: F401  (registers the permissions)
)
from .models import (
    Channel,
    Complaint,
    FeedbackSettings,
    FormToken,
    Status,
    SurveyAnswer,
    SurveyQuestion,
    SurveyResponse,
)
from .protection import Refused

# The default questions, in the spirit of the satisfaction part of the service index
# (Decision 766/QĐ-TTg): access, the procedure, the officer, the result, feedback.
DEFAULT_QUESTIONS = [
    "Việc tiếp cận dịch vụ (nơi tiếp nhận, hướng dẫn, cơ sở vật chất)",
    "Thủ tục hành chính (công khai, đơn giản, đúng quy định)",
    "Công chức tiếp nhận, giải quyết hồ sơ (thái độ, hướng dẫn, chuyên môn)",
    "Kết quả giải quyết (đúng hạn, chính xác, đầy đủ)",
    "Việc tiếp nhận, xử lý ý kiến góp ý, phản ánh, kiến nghị",
]
DEFAULT_COMPLAINT_WORKING_DAYS = 10
SURVEY_FORM = "survey"
COMPLAINT_FORM = "complaint"


# ---------------------------------------------------------------- questions and settings


def ensure_questions(unit, year: int) -> list[SurveyQuestion]:
    """The questions of `unit` for `year`, created from the previous year's (or the
    defaults) the first time the year is used."""
    existing = list(SurveyQuestion.objects.filter(unit=unit, year=year, active=True))
    if existing or SurveyQuestion.objects.filter(unit=unit, year=year).exists():
        return existing
    with transaction.atomic():
        # Two first visitors of the year at once: the second waits here, then finds
        # the questions the first one created.
        Unit.objects.select_for_update().filter(pk=unit.pk).first()
        if SurveyQuestion.objects.filter(unit=unit, year=year).exists():
            return list(SurveyQuestion.objects.filter(unit=unit, year=year, active=True))
        return _create_questions(unit, year)


def _create_questions(unit, year: int) -> list[SurveyQuestion]:
    previous = (
        SurveyQuestion.objects.filter(unit=unit, year__lt=year, active=True)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    if previous:
        texts = list(
            SurveyQuestion.objects.filter(unit=unit, year=previous, active=True).values_list(
                "text", flat=True
            )
        )
    else:
        texts = DEFAULT_QUESTIONS
    created = [
        SurveyQuestion.objects.create(unit=unit, year=year, order=i, text=text)
        for i, text in enumerate(texts, start=1)
    ]
    audit.record(
        actor=None,
        action="survey_questions_set",
        unit=unit,
        object_type="feedback.surveyquestion",
        object_id=f"{unit.pk}:{year}",
        object_repr=f"{unit.code} {year}",
        changes={"questions": [None, texts]},
    )
    return created


def save_questions(actor, unit, year: int, texts: list[str]) -> list[SurveyQuestion]:
    """Replace the questions asked in `year`. Questions already answered are kept
    (not asked any more) so past responses keep their meaning."""
    require(actor, "feedback.manage", unit)
    texts = [t.strip() for t in texts if t and t.strip()]
    if not texts:
        raise ValidationError(_("Keep at least one question."))
    with transaction.atomic():
        before = list(
            SurveyQuestion.objects.filter(unit=unit, year=year, active=True).values_list(
                "text", flat=True
            )
        )
        current = {q.text: q for q in SurveyQuestion.objects.filter(unit=unit, year=year)}
        kept = []
        for i, text in enumerate(texts, start=1):
            question = current.pop(text, None)
            if question is None:
                question = SurveyQuestion(unit=unit, year=year, text=text)
            question.order, question.active = i, True
            question.save()
            kept.append(question)
        for question in current.values():
            if question.answers.exists():
                if question.active:
                    question.active = False
                    question.save(update_fields=["active"])
            else:
                question.delete()
        audit.record(
            actor=actor,
            action="survey_questions_set",
            unit=unit,
            object_type="feedback.surveyquestion",
            object_id=f"{unit.pk}:{year}",
            object_repr=f"{unit.code} {year}",
            changes=audit.diff({"questions": before}, {"questions": texts}),
        )
    return kept


def complaint_working_days(unit) -> int:
    row = FeedbackSettings.objects.filter(unit=unit).first()
    return row.complaint_working_days if row else DEFAULT_COMPLAINT_WORKING_DAYS


def set_complaint_working_days(actor, unit, days: int) -> FeedbackSettings:
    require(actor, "feedback.manage", unit)
    if not 1 <= int(days) <= 90:
        raise ValidationError(_("Between 1 and 90 working days."))
    with transaction.atomic():
        row, _created = FeedbackSettings.objects.get_or_create(unit=unit)
        before = row.complaint_working_days
        row.complaint_working_days = int(days)
        row.save()
        audit.record(
            actor=actor,
            action="complaint_working_days_set",
            obj=row,
            unit=unit,
            changes=audit.diff(
                {"complaint_working_days": before}, {"complaint_working_days": int(days)}
            ),
        )
    return row


# ---------------------------------------------------------------- public submissions


def _spend_token(nonce: str) -> None:
    try:
        with transaction.atomic():
            FormToken.objects.create(nonce=nonce, used_at=timezone.now())
    except IntegrityError:
        raise Refused(
            _("These answers have already been received. Thank you."), "token_reused"
        ) from None


def _check_rate(model, unit, ip_hash: str) -> None:
    if not ip_hash:
        return
    since = timezone.now() - protection.RATE_WINDOW
    if model.objects.filter(unit=unit, ip_hash=ip_hash, **_since(model, since)).count() >= (
        protection.RATE_LIMIT
    ):
        raise Refused(protection.rate_limited_message(), "rate_limited")


def _since(model, since):
    if model is SurveyResponse:
        return {"submitted_at__gte": since}
    return {"created_at__gte": since}


def submit_survey(
    unit,
    *,
    token: str,
    data: dict,
    ip: str,
    procedure=None,
    dossier_code: str = "",
    scores: dict[int, int],
    comment: str = "",
    now: float | None = None,
) -> SurveyResponse:
    """Record a citizen's response, or raise `Refused` (not counted)."""
    protection.check_honeypot(data)
    nonce = protection.check_token(token, SURVEY_FORM, unit.pk, now=now)
    ip_hash = protection.hash_ip(ip)
    dossier_code = (dossier_code or "").strip().upper()
    questions = {q.pk: q for q in SurveyQuestion.objects.filter(unit=unit, active=True)}
    answers = {}
    for pk, score in scores.items():
        if pk in questions and score is not None:
            score = int(score)
            if not 1 <= score <= 5:
                raise ValidationError(_("A score is from 1 to 5."))
            answers[pk] = score
    if not answers:
        raise ValidationError(_("Please rate at least one question."))
    with transaction.atomic():
        _check_rate(SurveyResponse, unit, ip_hash)
        if (
            dossier_code
            and SurveyResponse.objects.filter(unit=unit, dossier_code=dossier_code).exists()
        ):
            raise Refused(
                _("A response for this dossier has already been received. Thank you."),
                "dossier_repeat",
            )
        _spend_token(nonce)
        try:
            with transaction.atomic():
                response = SurveyResponse.objects.create(
                    unit=unit,
                    procedure=procedure,
                    dossier_code=dossier_code,
                    comment=(comment or "").strip()[:4000],
                    submitted_at=timezone.now(),
                    ip_hash=ip_hash,
                    search_text=fold(f"{dossier_code} {comment or ''}"),
                )
        except IntegrityError:
            raise Refused(
                _("A response for this dossier has already been received. Thank you."),
                "dossier_repeat",
            ) from None
        SurveyAnswer.objects.bulk_create(
            SurveyAnswer(response=response, question=questions[pk], score=score)
            for pk, score in answers.items()
        )
        audit.record(
            actor=None,
            action="survey_response_received",
            obj=response,
            unit=unit,
            changes={"scores": [None, sorted(answers.values())]},
        )
    return response


def submit_public_complaint(
    unit,
    *,
    token: str,
    data: dict,
    ip: str,
    subject: str,
    content: str,
    procedure=None,
    dossier_code: str = "",
    complainant_name: str = "",
    complainant_contact: str = "",
    now: float | None = None,
) -> Complaint:
    protection.check_honeypot(data)
    nonce = protection.check_token(token, COMPLAINT_FORM, unit.pk, now=now)
    ip_hash = protection.hash_ip(ip)
    with transaction.atomic():
        _check_rate(Complaint, unit, ip_hash)
        _spend_token(nonce)
        complaint = _create(
            None,
            unit,
            channel=Channel.PORTAL,
            received_on=timezone.localdate(),
            subject=subject,
            content=content,
            procedure=procedure,
            dossier_code=dossier_code,
            complainant_name=complainant_name,
            complainant_contact=complainant_contact,
            submitted_online=True,
            ip_hash=ip_hash,
        )
    _notify_managers(complaint)
    return complaint


# ---------------------------------------------------------------- complaints


def due_date_for(unit, received_on: dt.date, days: int | None = None) -> dt.date:
    """`days` working days (the agency's setting by default) after `received_on`, on
    the agency's province calendar."""
    days = complaint_working_days(unit) if days is None else days
    return Calendar.for_scope(unit.province).next_working_day(received_on, days)


def _search_text(c: Complaint) -> str:
    parts = [c.subject, c.content, c.dossier_code, c.response]
    if c.procedure_id:
        parts += [c.procedure.code, c.procedure.name]
    return fold(" ".join(p for p in parts if p))


def _clean(fields: dict) -> None:
    if not (fields.get("subject") or "").strip():
        raise ValidationError(_("The subject is required."))
    if not (fields.get("content") or "").strip():
        raise ValidationError(_("The content is required."))
    if fields.get("channel") not in Channel.values:
        raise ValidationError(_("Choose a channel."))


def _create(actor, unit, **fields) -> Complaint:
    _clean(fields)
    fields["dossier_code"] = (fields.get("dossier_code") or "").strip().upper()
    received_on = fields.get("received_on") or timezone.localdate()
    fields["received_on"] = received_on
    if not fields.get("due_date"):
        fields["due_date"] = due_date_for(unit, received_on)
    complaint = Complaint(unit=unit, created_by=actor, **fields)
    complaint.search_text = _search_text(complaint)
    complaint.save()
    audit.record(
        actor=actor,
        action="complaint_received",
        obj=complaint,
        unit=unit,
        changes=audit.diff(None, audit.snapshot(complaint, Complaint.AUDIT_FIELDS)),
    )
    return complaint


def create_complaint(actor, unit, **fields) -> Complaint:
    require(actor, "feedback.manage", unit)
    with transaction.atomic():
        complaint = _create(actor, unit, **fields)
        if complaint.assigned_to_id:
            _assignment_moves(complaint)
    _notify_assignee(complaint)
    return complaint


def _assignment_moves(complaint: Complaint) -> None:
    if complaint.status == Status.RECEIVED and complaint.assigned_to_id:
        complaint.status = Status.IN_PROGRESS
        complaint.save(update_fields=["status", "updated_at"])


def _check_assignee(complaint_unit, user) -> None:
    if user is not None and not org.is_member_of(user, complaint_unit):
        raise ValidationError(_("Assign the complaint to a member of the agency."))


EDITABLE = [
    "channel",
    "received_on",
    "complainant_name",
    "complainant_contact",
    "subject",
    "procedure",
    "dossier_code",
    "content",
    "assigned_to",
    "due_date",
]


def update_complaint(actor, complaint: Complaint, **fields) -> Complaint:
    require(actor, "feedback.manage", complaint)
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValidationError(f"Not editable: {sorted(unknown)}")
    if "assigned_to" in fields:
        _check_assignee(complaint.unit, fields["assigned_to"])
    with transaction.atomic():
        complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
        before = audit.snapshot(complaint, Complaint.AUDIT_FIELDS)
        old_assignee = complaint.assigned_to_id
        old_received = complaint.received_on
        for name, value in fields.items():
            setattr(complaint, name, value)
        if "dossier_code" in fields:
            complaint.dossier_code = (complaint.dossier_code or "").strip().upper()
        if "received_on" in fields and "due_date" not in fields:
            if complaint.received_on != old_received:
                complaint.due_date = due_date_for(complaint.unit, complaint.received_on)
        _clean(
            {
                "subject": complaint.subject,
                "content": complaint.content,
                "channel": complaint.channel,
            }
        )
        if complaint.status == Status.RECEIVED and complaint.assigned_to_id:
            complaint.status = Status.IN_PROGRESS
        complaint.search_text = _search_text(complaint)
        complaint.save()
        audit.record(
            actor=actor,
            action="complaint_updated",
            obj=complaint,
            unit=complaint.unit,
            changes=audit.diff(before, audit.snapshot(complaint, Complaint.AUDIT_FIELDS)),
        )
    if complaint.assigned_to_id and complaint.assigned_to_id != old_assignee:
        _notify_assignee(complaint)
    return complaint


def answer_complaint(
    actor, complaint: Complaint, *, response: str, responded_on: dt.date | None = None
) -> Complaint:
    complaint = Complaint.objects.select_related("unit").get(pk=complaint.pk)
    require(actor, "feedback.answer_complaint", complaint)
    response = (response or "").strip()
    if not response:
        raise ValidationError(_("Write the response."))
    if complaint.status == Status.CLOSED:
        raise ValidationError(_("The complaint is closed."))
    responded_on = responded_on or timezone.localdate()
    if responded_on < complaint.received_on:
        raise ValidationError(_("The response cannot be dated before the complaint."))
    with transaction.atomic():
        complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
        before = audit.snapshot(complaint, Complaint.AUDIT_FIELDS)
        complaint.response = response
        complaint.responded_on = responded_on
        complaint.status = Status.ANSWERED
        complaint.search_text = _search_text(complaint)
        complaint.save()
        audit.record(
            actor=actor,
            action="complaint_answered",
            obj=complaint,
            unit=complaint.unit,
            changes=audit.diff(before, audit.snapshot(complaint, Complaint.AUDIT_FIELDS)),
        )
    return complaint


def set_status(actor, complaint: Complaint, status: str) -> Complaint:
    """Move a complaint on: in progress, closed (once answered), or reopened."""
    complaint = Complaint.objects.select_related("unit").get(pk=complaint.pk)
    require(actor, "feedback.manage", complaint)
    if status not in Status.values:
        raise ValidationError(_("Unknown status."))
    if status == Status.CLOSED and complaint.status != Status.ANSWERED:
        raise ValidationError(_("Only an answered complaint can be closed."))
    if status == Status.ANSWERED and not complaint.response:
        raise ValidationError(_("Write the response first."))
    with transaction.atomic():
        complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
        before = audit.snapshot(complaint, Complaint.AUDIT_FIELDS)
        complaint.status = status
        complaint.save(update_fields=["status", "updated_at"])
        audit.record(
            actor=actor,
            action="complaint_status",
            obj=complaint,
            unit=complaint.unit,
            changes=audit.diff(before, audit.snapshot(complaint, Complaint.AUDIT_FIELDS)),
        )
    return complaint


def delete_complaint(actor, complaint: Complaint) -> None:
    require(actor, "feedback.manage", complaint)
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="complaint_deleted",
            obj=complaint,
            unit=complaint.unit,
            changes=audit.diff(audit.snapshot(complaint, Complaint.AUDIT_FIELDS), None),
        )
        complaint.delete()


def raise_nonconformity(actor, complaint: Complaint, *, url: str = ""):
    """Open (or find) the nonconformity raised from this complaint."""
    require(actor, "feedback.manage", complaint)
    try:
        from govqms.improvement.services import open_nonconformity
    except ImportError:  # pragma: no cover  (the improvement app not built yet)
        raise ValidationError(_("Nonconformities are not available yet.")) from None
    with transaction.atomic():
        nc = open_nonconformity(
            actor,
            unit=complaint.unit,
            source_kind="complaint",
            source_id=str(complaint.pk),
            source_label=_("Complaint #%(n)s: %(subject)s")
            % {"n": complaint.pk, "subject": complaint.subject},
            source_url=url,
            title=complaint.subject[:300],
            description=complaint.content,
            clause="9.1.2",
        )
        audit.record(
            actor=actor,
            action="complaint_nonconformity",
            obj=complaint,
            unit=complaint.unit,
            note=str(nc),
        )
    return nc


# ---------------------------------------------------------------- notifications and sweep


def _notify_assignee(complaint: Complaint) -> None:
    from django.urls import reverse

    from govqms.core.notifications import notify

    if complaint.assigned_to_id:
        notify(
            [complaint.assigned_to],
            key=f"complaint_assigned:{complaint.pk}:{complaint.assigned_to_id}",
            subject=_("Complaint to answer: %(s)s") % {"s": complaint.subject},
            body=_("Answer by %(d)s.") % {"d": complaint.due_date.strftime("%d/%m/%Y")},
            url=reverse("complaint_detail", args=[complaint.pk]),
            unit=complaint.unit,
            kind="complaint",
        )


def _managers(unit):
    from govqms.organizations.models import Membership

    return [
        m.user
        for m in Membership.objects.active_on()
        .filter(unit=unit, role__in=rules.MANAGER_ROLES)
        .select_related("user")
    ]


def _notify_managers(complaint: Complaint) -> None:
    from django.urls import reverse

    from govqms.core.notifications import notify

    notify(
        _managers(complaint.unit),
        key=f"complaint_received:{complaint.pk}",
        subject=_("New complaint received online: %(s)s") % {"s": complaint.subject},
        url=reverse("complaint_detail", args=[complaint.pk]),
        unit=complaint.unit,
        kind="complaint",
    )


def notify_overdue(today: dt.date) -> int:
    """Daily: tell the assignee and the managers of each complaint past its due date."""
    from django.urls import reverse

    from govqms.core.notifications import notify

    count = 0
    managers: dict[int, list] = {}  # per agency, not per complaint
    for complaint in Complaint.objects.filter(
        status__in=[Status.RECEIVED, Status.IN_PROGRESS], due_date__lt=today
    ).select_related("unit", "assigned_to"):
        if complaint.unit_id not in managers:
            managers[complaint.unit_id] = _managers(complaint.unit)
        users = managers[complaint.unit_id] + [complaint.assigned_to]
        count += len(
            notify(
                users,
                key=f"complaint_overdue:{complaint.pk}",
                subject=_("Complaint overdue: %(s)s") % {"s": complaint.subject},
                url=reverse("complaint_detail", args=[complaint.pk]),
                unit=complaint.unit,
                kind="complaint",
            )
        )
    return count


def purge_tokens(today: dt.date) -> int:
    """Daily: forget spent tokens older than any token still accepted."""
    cutoff = timezone.now() - protection.TOKEN_MAX_AGE - dt.timedelta(days=1)
    deleted, _rows = FormToken.objects.filter(used_at__lt=cutoff).delete()
    return deleted
