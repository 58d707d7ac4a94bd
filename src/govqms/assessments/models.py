"""The provincial assessment (DOMAIN.md, "The provincial assessment").

A criteria set is the DoST's scheme for one year: groups of criteria with maximum
points, and the rating bands of that year. A published set is frozen. A campaign
applies a set to every agency in the DoST's remit: each agency's assessment holds a
score per criterion through three stages (self-assessment, appraisal, contest), and
ends with a final total, band and rank.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from govqms.organizations.models import Unit


class Band(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    GOOD = "good", _("Good")
    FAIR = "fair", _("Fair")
    AVERAGE = "average", _("Average")
    WEAK = "weak", _("Weak")


# Default lower bounds (inclusive) in points, best band first (DOMAIN.md).
DEFAULT_BANDS = [
    (Band.EXCELLENT, Decimal("90")),
    (Band.GOOD, Decimal("80")),
    (Band.FAIR, Decimal("65")),
    (Band.AVERAGE, Decimal("50")),
    (Band.WEAK, Decimal("0")),
]

POINTS = {"max_digits": 6, "decimal_places": 2}


class CriteriaSet(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    # The oversight root that owns the scheme (the province's DoST subtree).
    owner = models.ForeignKey(
        Unit, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="criteria_sets"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=300)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    AUDIT_FIELDS = ["owner", "year", "title", "legal_basis", "status"]

    class Meta:
        ordering = ["owner", "-year"]
        verbose_name = _("criteria set")
        verbose_name_plural = _("criteria sets")
        constraints = [
            models.UniqueConstraint(fields=["owner", "year"], name="criteria_set_one_per_year")
        ]

    def __str__(self):
        return f"{self.title} ({self.year})"

    @property
    def is_frozen(self) -> bool:
        return self.status == self.Status.PUBLISHED


class CriteriaGroup(models.Model):
    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="groups")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("title"), max_length=300)

    AUDIT_FIELDS = ["order", "code", "title"]

    class Meta:
        ordering = ["criteria_set", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "code"], name="criteria_group_code")
        ]

    def __str__(self):
        return f"{self.code}. {self.title}"


class Criterion(models.Model):
    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="criteria")
    group = models.ForeignKey(CriteriaGroup, on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    code = models.CharField(_("code"), max_length=20)
    text = models.TextField(_("criterion"))
    guidance = models.TextField(_("guidance"), blank=True)
    evidence_expected = models.TextField(_("evidence expected"), blank=True)
    max_points = models.DecimalField(_("maximum points"), **POINTS)
    # Key of a rule of govqms.assessments.rules (blank: scored by hand only).
    rule = models.CharField(_("auto-scoring rule"), max_length=60, blank=True)
    rule_params = models.JSONField(_("rule parameters"), default=dict, blank=True)

    AUDIT_FIELDS = [
        "group",
        "order",
        "code",
        "text",
        "guidance",
        "evidence_expected",
        "max_points",
        "rule",
        "rule_params",
    ]

    class Meta:
        ordering = ["criteria_set", "group__order", "order", "pk"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "code"], name="criterion_code")
        ]

    def __str__(self):
        return f"{self.code} {self.text[:80]}"


class RatingBand(models.Model):
    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="bands")
    band = models.CharField(_("band"), max_length=20, choices=Band.choices)
    # A total at or above this bound (and below the next band's) gets this band.
    min_points = models.DecimalField(_("from (points)"), **POINTS)

    AUDIT_FIELDS = ["band", "min_points"]

    class Meta:
        ordering = ["criteria_set", "-min_points"]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "band"], name="rating_band_once")
        ]

    def __str__(self):
        return f"{self.get_band_display()} ≥ {self.min_points}"


class Campaign(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("campaign", "Open")
        CLOSED = "closed", pgettext_lazy("campaign", "Closed")

    owner = models.ForeignKey(
        Unit, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="campaigns"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=300)
    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name=_("criteria set"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default="open")
    # Agencies in the remit on this day take part.
    reference_date = models.DateField(_("reference date"))
    self_assessment_due = models.DateField(_("self-assessment due"))
    appraisal_due = models.DateField(_("appraisal due"))
    contest_working_days = models.PositiveSmallIntegerField(_("working days to contest"), default=5)
    opened_at = models.DateTimeField(auto_now_add=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    AUDIT_FIELDS = [
        "owner",
        "year",
        "title",
        "criteria_set",
        "status",
        "reference_date",
        "self_assessment_due",
        "appraisal_due",
        "contest_working_days",
    ]

    class Meta:
        ordering = ["owner", "-year"]
        verbose_name = _("assessment campaign")
        verbose_name_plural = _("assessment campaigns")
        constraints = [
            models.UniqueConstraint(fields=["owner", "year"], name="campaign_one_per_year")
        ]

    def __str__(self):
        return self.title


class Assessment(models.Model):
    """One agency in one campaign."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Self-assessment in progress")
        SUBMITTED = "submitted", _("Submitted, awaiting appraisal")
        APPRAISED = "appraised", _("Appraised, open to contest")
        CONTESTED = "contested", _("Contested, awaiting decision")
        FINAL = "final", _("Final")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="assessments")
    unit = models.ForeignKey(
        Unit, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="assessments"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    self_total = models.DecimalField(_("self-assessed total"), null=True, blank=True, **POINTS)
    appraised_total = models.DecimalField(_("appraised total"), null=True, blank=True, **POINTS)
    final_total = models.DecimalField(_("final total"), null=True, blank=True, **POINTS)
    band = models.CharField(_("band"), max_length=20, choices=Band.choices, blank=True)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)

    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    appraised_at = models.DateTimeField(null=True, blank=True)
    appraised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    contest_due = models.DateField(_("contest due"), null=True, blank=True)
    contested_at = models.DateTimeField(null=True, blank=True)
    contested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    contest_reason = models.TextField(_("grounds of the contest"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    finalized_at = models.DateTimeField(null=True, blank=True)

    AUDIT_FIELDS = [
        "status",
        "self_total",
        "appraised_total",
        "final_total",
        "band",
        "rank",
        "contest_due",
        "contest_reason",
    ]

    class Meta:
        ordering = ["campaign", "rank", "unit__name"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [models.UniqueConstraint(fields=["campaign", "unit"], name="assessment_once")]
        indexes = [models.Index(fields=["unit", "campaign"])]

    def __str__(self):
        return f"{self.unit} — {self.campaign}"


class Score(models.Model):
    """One criterion of one assessment, through its stages."""

    class ContestOutcome(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")

    # What the criterion's rule proposed from govqms's records, with its evidence
    # ([{"label": ..., "url": ...}, ...]) and a one-line summary.
    proposed_points = models.DecimalField(null=True, blank=True, **POINTS)
    proposal_summary = models.TextField(blank=True)
    proposal_evidence = models.JSONField(default=list, blank=True)
    proposed_at = models.DateTimeField(null=True, blank=True)

    self_points = models.DecimalField(_("self-assessed points"), null=True, blank=True, **POINTS)
    self_comment = models.TextField(_("comment"), blank=True)

    appraised_points = models.DecimalField(_("appraised points"), null=True, blank=True, **POINTS)
    appraisal_reason = models.TextField(_("reason"), blank=True)

    contest_reason = models.TextField(_("grounds of the contest"), blank=True)
    contest_outcome = models.CharField(max_length=10, choices=ContestOutcome.choices, blank=True)
    decided_points = models.DecimalField(_("points decided"), null=True, blank=True, **POINTS)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)

    AUDIT_FIELDS = [
        "proposed_points",
        "self_points",
        "self_comment",
        "appraised_points",
        "appraisal_reason",
        "contest_reason",
        "contest_outcome",
        "decided_points",
        "decision_reason",
    ]

    class Meta:
        ordering = ["assessment", "criterion__group__order", "criterion__order", "criterion__pk"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"], name="score_once")
        ]

    def __str__(self):
        return f"{self.criterion.code}: {self.final_points}"

    @property
    def final_points(self) -> Decimal | None:
        """The latest stage that gave points: decision, appraisal, then self-assessment."""
        for value in (self.decided_points, self.appraised_points, self.self_points):
            if value is not None:
                return value
        return None


class ScoreEvidence(models.Model):
    """Evidence an agency attaches to a score: a record in govqms or an uploaded file."""

    score = models.ForeignKey(Score, on_delete=models.CASCADE, related_name="evidence")
    label = models.CharField(_("description"), max_length=300)
    url = models.CharField(_("link to the record"), max_length=500, blank=True)
    file = models.FileField(_("file"), upload_to="assessments/%Y/", blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    file_size = models.PositiveBigIntegerField(null=True, blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    AUDIT_FIELDS = ["label", "url", "file_name", "file_sha256"]

    class Meta:
        ordering = ["score", "pk"]

    def __str__(self):
        return self.label
