"""Management review (ISO 9001:2015, 9.3): the meeting, its inputs (live until the
meeting is held, then frozen as JSON), the chair's comments per input, and its
outputs (9.3.3): decisions that are tracked as actions."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govqms.core.text import fold
from govqms.organizations.models import Unit


class ReviewStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    MINUTES_ISSUED = "minutes_issued", _("Minutes issued")


class ManagementReview(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="management_reviews")
    title = models.CharField(_("title"), max_length=300)
    planned_date = models.DateField(_("planned date"))
    held_at = models.DateTimeField(_("held at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chair"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    secretary = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("secretary"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("attendees"), blank=True, related_name="+"
    )
    guests = models.TextField(_("guests"), blank=True, help_text=_("One per line."))
    period_start = models.DateField(_("review period from"))
    period_end = models.DateField(_("review period to"))
    status = models.CharField(
        _("status"), max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.PLANNED
    )
    number = models.CharField(_("minutes number"), max_length=60, blank=True)
    # The manual inputs (9.3.2 e, f): entered by the secretary before the meeting.
    external_providers = models.TextField(_("performance of external providers"), blank=True)
    resources = models.TextField(_("adequacy of resources"), blank=True)
    # The chair's comment or conclusion per input key.
    comments = models.JSONField(default=dict, blank=True)
    # Frozen when the meeting is held: [{"key", "title", "sections": [...]}].
    frozen_inputs = models.JSONField(null=True, blank=True, editable=False)
    frozen_at = models.DateTimeField(null=True, blank=True, editable=False)
    minutes_issued_at = models.DateTimeField(null=True, blank=True)
    search_text = models.TextField(editable=False, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    AUDIT_FIELDS = [
        "title",
        "planned_date",
        "held_at",
        "place",
        "chair",
        "secretary",
        "guests",
        "period_start",
        "period_end",
        "status",
        "number",
        "external_providers",
        "resources",
    ]

    class Meta:
        ordering = ["-planned_date", "-pk"]
        verbose_name = _("management review")
        verbose_name_plural = _("management reviews")
        indexes = [models.Index(fields=["unit", "planned_date"])]

    def __str__(self):
        return self.title

    @property
    def is_frozen(self) -> bool:
        return self.frozen_inputs is not None

    @property
    def date(self):
        """The meeting's date: held, or else planned."""
        if self.held_at:
            return timezone.localtime(self.held_at).date()
        return self.planned_date

    def guest_list(self) -> list[str]:
        return [line.strip() for line in (self.guests or "").splitlines() if line.strip()]

    def refresh_search_text(self):
        self.search_text = fold(f"{self.title} {self.place} {self.number}")


class DecisionKind(models.TextChoices):
    IMPROVEMENT = "improvement", _("Opportunity for improvement")
    QMS_CHANGE = "qms_change", _("Change to the QMS")
    RESOURCE_NEED = "resource_need", _("Resource need")


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")


class ReviewDecision(models.Model):
    """An output of the review (9.3.3), tracked as an action until it is done."""

    review = models.ForeignKey(ManagementReview, on_delete=models.CASCADE, related_name="decisions")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=DecisionKind.choices)
    text = models.TextField(_("decision"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    # A nonconformity raised from this decision (improvement app; generic link).
    nonconformity_id = models.CharField(max_length=40, blank=True)
    nonconformity_label = models.CharField(max_length=300, blank=True)
    nonconformity_url = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    AUDIT_FIELDS = ["kind", "text", "owner", "due_date", "status", "done_on", "evidence"]

    class Meta:
        ordering = ["review", "pk"]
        verbose_name = _("review decision")
        verbose_name_plural = _("review decisions")

    def __str__(self):
        return self.text[:80]

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return (
            self.status == ActionStatus.OPEN and self.due_date is not None and self.due_date < today
        )
