"""Satisfaction and complaints (ISO 9001:2015, 9.1.2).

- `SurveyQuestion`: the rated questions of an agency's public survey for a year (data,
  copied from the defaults the first time the year is used).
- `SurveyResponse` and `SurveyAnswer`: one anonymous citizen response (a TTHC or
  "other", an optional dossier code, a 1-5 score per question, a comment). Only a
  salted hash of the sender's address is kept, for the rate limit.
- `FormToken`: the one-time tokens already spent by the public forms.
- `Complaint`: a complaint or recommendation (phản ánh, kiến nghị) and its handling.
  The complainant's name and contact are personal data: only the agency's managers
  see them.
- `FeedbackSettings`: per-agency settings (working days to answer a complaint).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govqms.organizations.models import Unit
from govqms.procedures.models import AdministrativeProcedure

SCORES = [(i, str(i)) for i in range(1, 6)]


class SurveyQuestion(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="survey_questions")
    year = models.PositiveSmallIntegerField(_("year"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(_("question"), max_length=300)
    active = models.BooleanField(_("asked"), default=True)

    class Meta:
        ordering = ["unit", "year", "order", "pk"]
        indexes = [models.Index(fields=["unit", "year"])]

    def __str__(self):
        return self.text


class SurveyResponse(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="survey_responses")
    procedure = models.ForeignKey(
        AdministrativeProcedure,
        verbose_name=_("administrative procedure"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    dossier_code = models.CharField(_("dossier code"), max_length=100, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), db_index=True)
    # HMAC of the sender's address with a server secret: never the address itself.
    ip_hash = models.CharField(max_length=64, blank=True, db_index=True)
    search_text = models.TextField(editable=False, default="")

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "dossier_code"],
                condition=~Q(dossier_code=""),
                name="feedback_one_response_per_dossier",
            )
        ]
        indexes = [models.Index(fields=["unit", "submitted_at"])]

    def __str__(self):
        return f"{self.unit.code} {self.submitted_at:%Y-%m-%d %H:%M}"


class SurveyAnswer(models.Model):
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(SurveyQuestion, on_delete=models.PROTECT, related_name="answers")
    score = models.PositiveSmallIntegerField(_("score"), choices=SCORES)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="feedback_one_answer"),
            models.CheckConstraint(
                condition=Q(score__gte=1) & Q(score__lte=5), name="feedback_score_1_5"
            ),
        ]

    def __str__(self):
        return f"{self.question_id}: {self.score}"


class FormToken(models.Model):
    """A spent one-time form token (its random part)."""

    nonce = models.CharField(max_length=64, unique=True)
    used_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return self.nonce


class Channel(models.TextChoices):
    COUNTER = "counter", _("At the counter")
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")
    PORTAL = "portal", _("Web portal")
    LETTER = "letter", _("Letter")
    HOTLINE = "hotline", _("Hotline")


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    IN_PROGRESS = "in_progress", _("In progress")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = (Status.RECEIVED, Status.IN_PROGRESS)


class Complaint(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="complaints")
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    received_on = models.DateField(_("received on"), db_index=True)
    # Personal data: shown to the agency's managers only.
    complainant_name = models.CharField(_("complainant"), max_length=200, blank=True)
    complainant_contact = models.CharField(_("contact"), max_length=200, blank=True)
    subject = models.CharField(_("subject"), max_length=300)
    procedure = models.ForeignKey(
        AdministrativeProcedure,
        verbose_name=_("administrative procedure"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    dossier_code = models.CharField(_("dossier code"), max_length=100, blank=True)
    content = models.TextField(_("content"))
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_complaints",
    )
    response = models.TextField(_("response"), blank=True)
    responded_on = models.DateField(_("responded on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    due_date = models.DateField(_("due date"), db_index=True)
    submitted_online = models.BooleanField(_("submitted by a citizen online"), default=False)
    ip_hash = models.CharField(max_length=64, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    search_text = models.TextField(editable=False, default="")

    AUDIT_FIELDS = [
        "channel",
        "received_on",
        "subject",
        "procedure_id",
        "dossier_code",
        "content",
        "assigned_to_id",
        "response",
        "responded_on",
        "status",
        "due_date",
    ]

    class Meta:
        ordering = ["-received_on", "-pk"]
        indexes = [models.Index(fields=["unit", "status", "due_date"])]

    def __str__(self):
        return f"#{self.pk} {self.subject}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, today) -> bool:
        return self.is_open and self.due_date < today


class FeedbackSettings(models.Model):
    unit = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="feedback_settings")
    complaint_working_days = models.PositiveSmallIntegerField(
        _("working days to answer a complaint"), default=10
    )

    def __str__(self):
        return f"{self.unit_id}: {self.complaint_working_days}"
