"""Planning of the QMS (ISO 9001:2015, 5.2, 6.1, 6.2): the quality policy and
objectives of each year, the risks and opportunities register, the yearly plan.

- `PolicyLink`: the agency's quality policy for a year, a controlled document.
- `Objective`: a quality objective with its indicator, target, plan and
  measurement schedule; MANUAL (measured by hand) or LINKED to a dossier KPI
  (measured from the KPI rollups by the daily sweep and on demand).
- `Measurement`: one value of an objective's indicator, with the status it gave
  (on track / at risk / off track) kept as history.
- `Risk` + `RiskEvent`: the register and each change of a risk's assessment.
- `RiskBands`: the thresholds of the level bands (data, per agency or global).
- `PlanItem`: an activity of the yearly QMS plan."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from govqms.organizations.models import Unit


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class Schedule(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    HALF_YEARLY = "half_yearly", _("Half-yearly")
    YEARLY = "yearly", _("Yearly")


SCHEDULE_MONTHS = {"monthly": 1, "quarterly": 3, "half_yearly": 6, "yearly": 12}


class Source(models.TextChoices):
    MANUAL = "manual", _("Entered by hand")
    LINKED = "linked", _("Linked to a dossier KPI")


class Kpi(models.TextChoices):
    ON_TIME_RATE = "on_time_rate", _("Dossiers resolved early or on time (%)")
    OVERDUE_SHARE = "overdue_share", _("Open dossiers that are overdue (%)")


class Status(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    OFF_TRACK = "off_track", _("Off track")


class PolicyLink(models.Model):
    """The quality policy in force for an agency's year: a controlled document."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    document = models.ForeignKey(
        "documents.Document",
        verbose_name=_("quality policy"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="one_policy_a_year")]

    def __str__(self):
        return f"{self.unit_id} {self.year}"


class Objective(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("objective"), max_length=300)
    indicator = models.CharField(_("indicator"), max_length=300)
    measure_unit = models.CharField(_("unit of measure"), max_length=40, default="%")
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.HIGHER
    )
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2)
    tolerance = models.DecimalField(
        _("tolerance (at risk within)"),
        max_digits=12,
        decimal_places=2,
        default=5,
        help_text=_("How far from the target a value is still 'at risk' rather than 'off track'."),
    )
    # The plan to achieve it (6.2.2): what, who, when, resources.
    plan_what = models.TextField(_("what will be done"), blank=True)
    plan_who = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    plan_when = models.DateField(_("completed by"), null=True, blank=True)
    plan_resources = models.TextField(_("resources"), blank=True)
    schedule = models.CharField(
        _("measured"), max_length=12, choices=Schedule.choices, default=Schedule.QUARTERLY
    )
    source = models.CharField(
        _("indicator source"), max_length=10, choices=Source.choices, default=Source.MANUAL
    )
    kpi = models.CharField(_("dossier KPI"), max_length=20, choices=Kpi.choices, blank=True)
    procedures = models.ManyToManyField(
        "procedures.AdministrativeProcedure",
        verbose_name=_("TTHC (none: all of the agency's)"),
        blank=True,
        related_name="+",
    )
    # The last measurement, kept for lists and the home panel.
    last_value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    last_status = models.CharField(max_length=10, choices=Status.choices, blank=True)
    last_measured_on = models.DateField(null=True, blank=True)
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    AUDIT_FIELDS = [
        "year",
        "title",
        "indicator",
        "measure_unit",
        "direction",
        "target",
        "tolerance",
        "plan_what",
        "plan_who",
        "plan_when",
        "plan_resources",
        "schedule",
        "source",
        "kpi",
    ]

    class Meta:
        ordering = ["unit", "year", "pk"]
        verbose_name = _("quality objective")
        verbose_name_plural = _("quality objectives")
        indexes = [models.Index(fields=["unit", "year"], name="objective_unit_year")]

    def __str__(self):
        return self.title


class Measurement(models.Model):
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="measurements")
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    measured_on = models.DateField(_("measured on"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    comment = models.TextField(_("comment"), blank=True)
    # The status this value gave against the target in force when it was measured.
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    target = models.DecimalField(max_digits=12, decimal_places=2)
    automatic = models.BooleanField(_("measured from the dossiers"), default=False)
    # For a linked measurement: the figures behind it (numerator, denominator).
    basis = models.JSONField(default=dict, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["objective", "measured_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["objective", "period_start"],
                condition=models.Q(automatic=True),
                name="one_automatic_measurement_a_period",
            )
        ]

    def __str__(self):
        return f"{self.objective_id} {self.measured_on} {self.value}"


class RiskKind(models.TextChoices):
    RISK = "risk", _("Risk")
    OPPORTUNITY = "opportunity", _("Opportunity")


class Effectiveness(models.TextChoices):
    EFFECTIVE = "effective", _("Effective")
    PARTLY = "partly", _("Partly effective")
    NOT = "not", _("Not effective")


class Band(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class RiskBands(models.Model):
    """Level bands of likelihood × impact: low below `medium_from`, high from
    `high_from`. A row per agency overrides the global row (unit empty)."""

    unit = models.OneToOneField(
        Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    medium_from = models.PositiveSmallIntegerField(_("medium from level"), default=5)
    high_from = models.PositiveSmallIntegerField(_("high from level"), default=12)

    def __str__(self):
        return f"{self.unit_id or '*'}: {self.medium_from}/{self.high_from}"

    def band(self, level: int) -> str:
        if level >= self.high_from:
            return Band.HIGH
        if level >= self.medium_from:
            return Band.MEDIUM
        return Band.LOW


class Risk(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=RiskKind.choices)
    process = models.ForeignKey(
        "documents.Document",
        verbose_name=_("process"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    process_text = models.CharField(_("process (free text)"), max_length=300, blank=True)
    description = models.TextField(_("description"))
    cause = models.TextField(_("cause"), blank=True)
    likelihood = models.PositiveSmallIntegerField(_("likelihood (1-5)"))
    impact = models.PositiveSmallIntegerField(_("impact (1-5)"))
    treatment = models.TextField(_("treatment"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    review_date = models.DateField(_("review date"), null=True, blank=True)
    effectiveness = models.CharField(
        _("effectiveness of the treatment"),
        max_length=10,
        choices=Effectiveness.choices,
        blank=True,
    )
    evaluated_on = models.DateField(_("evaluated on"), null=True, blank=True)
    closed = models.BooleanField(_("closed"), default=False)
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    AUDIT_FIELDS = [
        "kind",
        "process",
        "process_text",
        "description",
        "cause",
        "likelihood",
        "impact",
        "treatment",
        "owner",
        "review_date",
        "effectiveness",
        "evaluated_on",
        "closed",
    ]

    class Meta:
        ordering = ["unit", "-pk"]
        verbose_name = _("risk or opportunity")
        verbose_name_plural = _("risks and opportunities")
        indexes = [models.Index(fields=["unit", "review_date"], name="risk_unit_review")]

    def __str__(self):
        return self.description[:80]

    @property
    def level(self) -> int:
        return self.likelihood * self.impact

    @property
    def process_label(self) -> str:
        if self.process_id:
            return f"{self.process.code} {self.process.title}"
        return self.process_text


class RiskEvent(models.Model):
    """The history of a risk: each assessment or evaluation as it was made."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    likelihood = models.PositiveSmallIntegerField()
    impact = models.PositiveSmallIntegerField()
    level = models.PositiveSmallIntegerField()
    band = models.CharField(max_length=10, choices=Band.choices)
    effectiveness = models.CharField(max_length=10, choices=Effectiveness.choices, blank=True)
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["risk", "at", "pk"]

    def __str__(self):
        return f"{self.risk_id} {self.at:%Y-%m-%d} {self.level}"


class PlanKind(models.TextChoices):
    TRAINING = "training", _("Training")
    DOCUMENT_REVIEW = "document_review", _("Document review")
    INTERNAL_AUDIT = "internal_audit", _("Internal audit")
    MANAGEMENT_REVIEW = "management_review", _("Management review")
    SELF_ASSESSMENT = "self_assessment", _("Self-assessment")
    ANNUAL_REPORT = "annual_report", _("Annual report")
    ANNOUNCEMENT = "announcement", _("Conformity announcement")
    OTHER = "other", _("Other")


class PlanStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class PlanItem(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=20, choices=PlanKind.choices)
    title = models.CharField(_("activity"), max_length=300)
    start = models.DateField(_("planned start"))
    end = models.DateField(_("planned end"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    remind_days = models.PositiveSmallIntegerField(
        _("remind days before"), default=7, help_text=_("Calendar days; also on the day.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.PLANNED
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    evidence_url = models.URLField(_("evidence link"), blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    AUDIT_FIELDS = [
        "year",
        "kind",
        "title",
        "start",
        "end",
        "owner",
        "remind_days",
        "status",
        "done_on",
        "evidence",
        "evidence_url",
        "cancel_reason",
    ]

    class Meta:
        ordering = ["unit", "year", "start", "pk"]
        verbose_name = _("yearly plan activity")
        verbose_name_plural = _("yearly plan activities")
        indexes = [
            models.Index(fields=["unit", "year"], name="planitem_unit_year"),
            models.Index(fields=["status", "end"], name="planitem_status_end"),
        ]

    def __str__(self):
        return self.title
