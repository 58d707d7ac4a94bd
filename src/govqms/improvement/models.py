"""Nonconformity and corrective action (ISO 9001:2015, 10.2).

A `Nonconformity` belongs to one agency and points back to the record it came
from by generic fields (source kind + id + label + url), never by a foreign key to
another new app. It carries the correction done at once, the root cause analysis
(five whys), its corrective actions and the evaluation of their effectiveness.

Status flow: open -> analysed -> actions in progress -> awaiting effectiveness ->
closed. An evaluation "not effective" sends it back to analysed. It cannot be
closed until every action is done and the effectiveness was evaluated effective.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from govqms.core.text import fold


class Source(models.TextChoices):
    AUDIT_FINDING = "audit_finding", _("Internal audit finding")
    COMPLAINT = "complaint", _("Complaint")
    KPI = "kpi", _("KPI off target")
    LATE_TREND = "late_trend", _("Trend of late dossiers")
    INSPECTION = "inspection", _("Inspection finding")
    MANAGEMENT_REVIEW = "management_review", _("Management review")
    OTHER = "other", _("Other")


class Grade(models.TextChoices):
    MAJOR = "major", _("Major")
    MINOR = "minor", _("Minor")


class Status(models.TextChoices):
    OPEN = "open", _("Open")
    ANALYSED = "analysed", _("Analysed")
    IN_PROGRESS = "in_progress", _("Actions in progress")
    AWAITING_EFFECTIVENESS = "awaiting_effectiveness", _("Awaiting effectiveness evaluation")
    CLOSED = "closed", _("Closed")


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")


class Nonconformity(models.Model):
    unit = models.ForeignKey(
        "organizations.Unit", on_delete=models.PROTECT, related_name="nonconformities"
    )
    year = models.PositiveIntegerField()
    seq = models.PositiveIntegerField()
    number = models.CharField(max_length=30)
    source_kind = models.CharField(max_length=30, choices=Source.choices, default=Source.OTHER)
    source_id = models.CharField(max_length=64, blank=True, default="")
    source_label = models.CharField(max_length=300, blank=True, default="")
    source_url = models.CharField(max_length=500, blank=True, default="")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True, default="")
    clause = models.CharField(max_length=20, blank=True, default="")
    process = models.ForeignKey(
        "documents.Document",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="nonconformities",
    )
    grade = models.CharField(max_length=10, choices=Grade.choices, blank=True, default="")
    detected_on = models.DateField()
    due_date = models.DateField(null=True, blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.OPEN)

    # The correction done at once.
    correction = models.TextField(blank=True, default="")
    correction_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    correction_on = models.DateField(null=True, blank=True)

    # Root cause analysis: five whys [{"why": str, "because": str}] (at most 5).
    whys = models.JSONField(default=list, blank=True)
    root_cause = models.TextField(blank=True, default="")
    analysed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    analysed_on = models.DateField(null=True, blank=True)

    # Effectiveness evaluation (the latest one; earlier ones are in the trail).
    effective = models.BooleanField(null=True, blank=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    evaluated_on = models.DateField(null=True, blank=True)
    evaluation_comment = models.TextField(blank=True, default="")
    improvements = models.TextField(
        blank=True,
        default="",
        help_text=_("Improvements made beyond the correction."),
    )

    closed_on = models.DateField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    search_text = models.TextField(editable=False, default="")

    AUDIT_FIELDS = [
        "number",
        "source_kind",
        "source_id",
        "source_label",
        "source_url",
        "title",
        "description",
        "clause",
        "process",
        "grade",
        "detected_on",
        "due_date",
        "status",
        "correction",
        "correction_by",
        "correction_on",
        "whys",
        "root_cause",
        "effective",
        "evaluated_by",
        "evaluated_on",
        "evaluation_comment",
        "improvements",
        "closed_on",
        "closed_by",
    ]

    class Meta:
        ordering = ["-year", "-seq"]
        verbose_name = _("nonconformity")
        verbose_name_plural = _("nonconformities")
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "seq"], name="improvement_nc_number"),
            models.UniqueConstraint(
                fields=["unit", "source_kind", "source_id"],
                condition=~models.Q(source_id=""),
                name="improvement_nc_one_per_source",
            ),
        ]
        indexes = [models.Index(fields=["unit", "status"])]

    def __str__(self):
        return f"{self.number} {self.title}"

    def save(self, *args, **kwargs):
        self.refresh_search_text()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = list(set(kwargs["update_fields"]) | {"search_text"})
        super().save(*args, **kwargs)

    def refresh_search_text(self):
        self.search_text = fold(
            f"{self.number} {self.title} {self.description} {self.source_label} {self.clause}"
        )


class CorrectiveAction(models.Model):
    nonconformity = models.ForeignKey(
        Nonconformity, on_delete=models.CASCADE, related_name="actions"
    )
    text = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="corrective_actions"
    )
    due_date = models.DateField()
    status = models.CharField(
        max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    done_on = models.DateField(null=True, blank=True)
    evidence = models.TextField(blank=True, default="")
    created_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    AUDIT_FIELDS = ["text", "owner", "due_date", "status", "done_on", "evidence"]

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("corrective action")
        verbose_name_plural = _("corrective actions")

    def __str__(self):
        return self.text[:80]

    @property
    def unit(self):
        return self.nonconformity.unit
