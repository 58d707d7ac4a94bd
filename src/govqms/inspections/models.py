"""Inspections under Circular 26/2014/TT-BKHCN.

Every year the DoST inspects every agency in its remit by its records and report,
and at least one third of them on site: a yearly plan (form 19) lists each agency
with its mode; govqms proposes the on-site sample by risk and the DoST adjusts it.
Each on-site inspection has a decision (form 20) and minutes in two copies (form 21);
its findings become nonconformities of the agency (improvement app, source
"inspection"), and the agency reports its corrections within 2 months.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from govqms.organizations.models import Unit


class InspectionPlan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")

    owner = models.ForeignKey(
        Unit, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="inspection_plans"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=300)
    number = models.CharField(_("plan number"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    # Circular 26: at least one third on site (kept as data, it may change).
    on_site_share = models.DecimalField(
        _("minimum share on site"), max_digits=4, decimal_places=3, default="0.334"
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    AUDIT_FIELDS = ["owner", "year", "title", "number", "status", "on_site_share", "notes"]

    class Meta:
        ordering = ["owner", "-year"]
        verbose_name = _("inspection plan")
        verbose_name_plural = _("inspection plans")
        constraints = [
            models.UniqueConstraint(fields=["owner", "year"], name="inspection_plan_one_per_year")
        ]

    def __str__(self):
        return self.title


class Inspection(models.Model):
    """One agency in one year's plan."""

    class Mode(models.TextChoices):
        RECORDS = "records", _("By records and report")
        ON_SITE = "on_site", _("On site")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        DECIDED = "decided", _("Decision issued")
        DONE = "done", _("Inspected, corrections awaited")
        CLOSED = "closed", pgettext_lazy("inspection", "Closed")

    plan = models.ForeignKey(InspectionPlan, on_delete=models.CASCADE, related_name="inspections")
    unit = models.ForeignKey(
        Unit, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="inspections"
    )
    mode = models.CharField(_("mode"), max_length=20, choices=Mode.choices, default=Mode.RECORDS)
    # What the risk proposal said (kept even when the DoST changes the mode).
    proposed_on_site = models.BooleanField(default=False)
    risk_score = models.PositiveSmallIntegerField(default=0)
    risk_reasons = models.JSONField(default=list, blank=True)
    planned_month = models.PositiveSmallIntegerField(_("planned month"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )

    # Decision (form 20).
    decision_number = models.CharField(_("decision number"), max_length=100, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("team lead"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    team = models.TextField(_("team members"), blank=True)
    scheduled_on = models.DateField(_("inspection date"), null=True, blank=True)

    # Minutes (form 21).
    inspected_on = models.DateField(_("inspected on"), null=True, blank=True)
    agency_representatives = models.TextField(_("agency representatives"), blank=True)
    summary = models.TextField(_("observations"), blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)

    # The agency's corrective report, due within 2 months of the minutes.
    corrective_report_due = models.DateField(_("corrective report due"), null=True, blank=True)
    corrective_report_at = models.DateTimeField(null=True, blank=True)
    corrective_report_text = models.TextField(_("corrective report"), blank=True)
    corrective_report_file = models.FileField(upload_to="inspections/%Y/", blank=True)
    corrective_report_file_name = models.CharField(max_length=255, blank=True)
    corrective_report_sha256 = models.CharField(max_length=64, blank=True)
    corrective_report_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    AUDIT_FIELDS = [
        "mode",
        "planned_month",
        "status",
        "decision_number",
        "decision_date",
        "lead",
        "team",
        "scheduled_on",
        "inspected_on",
        "agency_representatives",
        "summary",
        "conclusion",
        "corrective_report_due",
        "corrective_report_text",
        "corrective_report_file_name",
        "corrective_report_sha256",
    ]

    class Meta:
        ordering = ["plan", "unit__name"]
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        constraints = [models.UniqueConstraint(fields=["plan", "unit"], name="inspection_once")]

    def __str__(self):
        return f"{self.unit} — {self.plan.year}"

    @property
    def is_on_site(self) -> bool:
        return self.mode == self.Mode.ON_SITE

    @property
    def report_received(self) -> bool:
        return self.corrective_report_at is not None


class InspectionFinding(models.Model):
    class Grade(models.TextChoices):
        NONCONFORMITY = "nonconformity", _("Nonconformity")
        OBSERVATION = "observation", _("Observation")

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    order = models.PositiveSmallIntegerField(default=0)
    clause = models.CharField(_("clause"), max_length=20, blank=True)
    text = models.TextField(_("finding"))
    grade = models.CharField(
        _("grade"), max_length=20, choices=Grade.choices, default=Grade.NONCONFORMITY
    )
    # improvement.Nonconformity raised from it (no FK between apps, decision 0006).
    nonconformity_id = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    AUDIT_FIELDS = ["order", "clause", "text", "grade", "nonconformity_id"]

    class Meta:
        ordering = ["inspection", "order", "pk"]

    def __str__(self):
        return self.text[:80]
