"""Internal audit (ISO 9001:2015, 9.2): the yearly programme, audit plans with their
scope and team, the auditor register, checklists with results and evidence, and graded
findings. Nonconformities raised by findings live in the improvement app and are linked
by (source_kind="audit_finding", source_id=finding pk), never by a foreign key."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from govqms.core.text import fold
from govqms.organizations.models import Membership, Unit


class AuditProgramme(models.Model):
    """An agency's internal audit programme for one year."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="audit_programmes"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    objectives = models.TextField(_("objectives"), blank=True)
    criteria = models.TextField(_("audit criteria"), blank=True)
    frequency = models.CharField(_("frequency"), max_length=200, blank=True)
    # ISO 9001:2015 clause numbers to cover over the year.
    clauses = models.JSONField(_("clauses to cover"), default=list, blank=True)
    processes = models.ManyToManyField(
        "documents.Document",
        verbose_name=_("processes to cover"),
        blank=True,
        related_name="audit_programmes",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["unit", "-year"]
        verbose_name = _("audit programme")
        verbose_name_plural = _("audit programmes")
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="one_audit_programme_per_year")
        ]

    AUDIT_FIELDS = ["unit", "year", "objectives", "criteria", "frequency", "clauses"]

    def __str__(self):
        return f"{self.unit} · {self.year}"


class Auditor(models.Model):
    """A trained internal auditor in an agency's register, with the training certificate."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="auditors"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auditor"),
        on_delete=models.PROTECT,
        related_name="auditor_records",
    )
    certificate_name = models.CharField(_("training certificate"), max_length=300)
    certificate_issuer = models.CharField(
        pgettext_lazy("certificate", "issued by"), max_length=300, blank=True
    )
    certificate_number = models.CharField(_("certificate number"), max_length=100, blank=True)
    certificate_date = models.DateField(_("date of issue"))
    certificate_expiry = models.DateField(_("valid until"), null=True, blank=True)
    certificate_file = models.FileField(upload_to="audits/certificates/%Y/", blank=True)
    certificate_file_name = models.CharField(max_length=255, blank=True)
    certificate_content_type = models.CharField(max_length=100, blank=True)
    active = models.BooleanField(_("active"), default=True)
    # The auditor agrees to be invited to audits of other agencies of the province.
    in_pool = models.BooleanField(_("available to other agencies"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["unit", "user__full_name"]
        verbose_name = _("internal auditor")
        verbose_name_plural = _("internal auditors")
        constraints = [
            models.UniqueConstraint(fields=["unit", "user"], name="one_auditor_record_per_agency")
        ]

    AUDIT_FIELDS = [
        "unit",
        "user",
        "certificate_name",
        "certificate_issuer",
        "certificate_number",
        "certificate_date",
        "certificate_expiry",
        "certificate_file_name",
        "active",
        "in_pool",
    ]

    def __str__(self):
        return f"{self.user} · {self.unit}"

    def valid_on(self, day: dt.date) -> bool:
        return (
            self.active
            and self.certificate_date <= day
            and (self.certificate_expiry is None or self.certificate_expiry >= day)
        )

    def valid_between(self, start: dt.date, end: dt.date) -> bool:
        return self.valid_on(start) and self.valid_on(end)


class PlanStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    REPORT_ISSUED = "report_issued", _("Report issued")
    CANCELLED = "cancelled", _("Cancelled")


DONE_STATUSES = (PlanStatus.COMPLETED, PlanStatus.REPORT_ISSUED)


class AuditPlan(models.Model):
    unit = models.ForeignKey(
        Unit, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="audit_plans"
    )
    programme = models.ForeignKey(
        AuditProgramme,
        verbose_name=_("programme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plans",
    )
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    title = models.CharField(_("title"), max_length=300)
    objectives = models.TextField(_("objectives"), blank=True)
    criteria = models.TextField(_("audit criteria"), blank=True)
    processes = models.ManyToManyField(
        "documents.Document", verbose_name=_("processes"), blank=True, related_name="audit_plans"
    )
    clauses = models.JSONField(_("clauses"), default=list, blank=True)
    divisions = models.JSONField(_("divisions"), default=list, blank=True)
    planned_start = models.DateTimeField(_("planned start"))
    planned_end = models.DateTimeField(_("planned end"))
    actual_start = models.DateTimeField(_("actual start"), null=True, blank=True)
    actual_end = models.DateTimeField(_("actual end"), null=True, blank=True)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lead auditor"),
        on_delete=models.PROTECT,
        related_name="audits_led",
    )
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("audit team"),
        blank=True,
        related_name="audit_teams",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=PlanStatus.choices,
        default=PlanStatus.PLANNED,
        db_index=True,
    )
    summary = models.TextField(_("summary"), blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    report_issued_on = models.DateField(_("report issued on"), null=True, blank=True)
    # SHA-256 of the normalised checklist questions (see selectors.checklist_fingerprint).
    checklist_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    search_text = models.TextField(editable=False, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-planned_start", "-pk"]
        verbose_name = _("audit plan")
        verbose_name_plural = _("audit plans")

    AUDIT_FIELDS = [
        "unit",
        "programme",
        "year",
        "title",
        "objectives",
        "criteria",
        "clauses",
        "divisions",
        "planned_start",
        "planned_end",
        "actual_start",
        "actual_end",
        "lead",
        "status",
        "summary",
        "conclusion",
        "report_issued_on",
    ]

    def __str__(self):
        return self.title

    def refresh_search_text(self):
        self.search_text = fold(f"{self.title} {self.objectives} {' '.join(self.divisions)}")

    @property
    def start_day(self) -> dt.date:
        return timezone.localtime(self.planned_start).date()

    @property
    def end_day(self) -> dt.date:
        return timezone.localtime(self.planned_end).date()

    @property
    def is_done(self) -> bool:
        return self.status in DONE_STATUSES

    def auditors(self) -> list:
        people = [self.lead] + [u for u in self.team.all() if u.pk != self.lead_id]
        return people


class Invitation(models.Model):
    """An auditor of another agency invited to this audit, with the dated membership
    that lets them into the audited agency for the audit's days only."""

    plan = models.ForeignKey(AuditPlan, on_delete=models.CASCADE, related_name="invitations")
    auditor = models.ForeignKey(Auditor, on_delete=models.PROTECT, related_name="invitations")
    membership = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "created_at"]
        verbose_name = _("invited auditor")
        verbose_name_plural = _("invited auditors")

    def __str__(self):
        return f"{self.auditor} → {self.plan}"


class ItemSource(models.TextChoices):
    CLAUSE = "clause", _("ISO 9001 clause")
    PROCEDURE = "procedure", _("Procedure step")
    KPI = "kpi", _("Dossier figures")
    MANUAL = "manual", _("Added by hand")


class Result(models.TextChoices):
    CONFORMING = "conforming", _("Conforming")
    FINDING = "finding", _("Finding")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class ChecklistItem(models.Model):
    plan = models.ForeignKey(AuditPlan, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveIntegerField(default=0)
    source = models.CharField(
        _("source"), max_length=20, choices=ItemSource.choices, default=ItemSource.MANUAL
    )
    clause = models.CharField(_("clause"), max_length=10, blank=True)
    process = models.ForeignKey(
        "documents.Document",
        verbose_name=_("process"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    question = models.TextField(_("question"))
    result = models.CharField(_("result"), max_length=20, choices=Result.choices, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["plan", "order", "pk"]
        verbose_name = _("checklist question")
        verbose_name_plural = _("checklist questions")

    AUDIT_FIELDS = ["plan", "order", "source", "clause", "process", "question", "result", "notes"]

    def __str__(self):
        return self.question[:80]

    @property
    def unit(self):
        return self.plan.unit


class Evidence(models.Model):
    """A file of evidence for one checklist question: type checked by content."""

    item = models.ForeignKey(ChecklistItem, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to="audits/evidence/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item", "uploaded_at"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self):
        return self.original_name


class Grade(models.TextChoices):
    MAJOR = "major", _("Major nonconformity")
    MINOR = "minor", _("Minor nonconformity")
    OBSERVATION = "observation", _("Observation")
    OFI = "ofi", _("Opportunity for improvement")
    GOOD_PRACTICE = "good_practice", _("Good practice")


NC_GRADES = (Grade.MAJOR, Grade.MINOR)
GRADE_ORDER = [g.value for g in Grade]


class Finding(models.Model):
    plan = models.ForeignKey(AuditPlan, on_delete=models.CASCADE, related_name="findings")
    item = models.ForeignKey(
        ChecklistItem,
        verbose_name=_("checklist question"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="findings",
    )
    grade = models.CharField(_("grade"), max_length=20, choices=Grade.choices)
    clause = models.CharField(_("clause"), max_length=10)
    process = models.ForeignKey(
        "documents.Document",
        verbose_name=_("process"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    description = models.TextField(_("finding"))
    evidence = models.TextField(_("objective evidence"), blank=True)
    # The nonconformity raised in the improvement app (generic link, no FK).
    nonconformity_id = models.CharField(max_length=40, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "pk"]
        verbose_name = _("audit finding")
        verbose_name_plural = _("audit findings")

    AUDIT_FIELDS = ["plan", "item", "grade", "clause", "process", "description", "evidence"]

    def __str__(self):
        return f"{self.get_grade_display()} · {self.clause}"

    @property
    def unit(self):
        return self.plan.unit

    @property
    def raises_nonconformity(self) -> bool:
        return self.grade in NC_GRADES
