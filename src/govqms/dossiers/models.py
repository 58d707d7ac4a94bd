"""Dossiers (hồ sơ) handled by an agency and their events, imported from the
one-stop system (ISO 9001:2015, 8.5 and 9.1): the evidence that the internal
process of each TTHC is really followed.

Imported facts and derived facts are kept apart: `received_at`, `reported_due_at`,
`channel`, `procedure_code` and the events come from the source; `due_at`,
`status` (when not reported), `outcome`, the apology fields and each event's step
timing are computed by `classify.py` through the working-day engine after every
import."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from govqms.organizations.models import Unit


class Channel(models.TextChoices):
    COUNTER = "counter", _("At the counter")
    ONLINE = "online", _("Online")
    POST = "post", _("By post")


class EventKind(models.TextChoices):
    RECEIVED = "received", pgettext_lazy("dossier event kind", "Received")
    TRANSFERRED = "transferred", _("Transferred")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Supplement requested")
    SUPPLEMENT_RECEIVED = "supplement_received", _("Supplement received")
    PAYMENT_REQUESTED = "payment_requested", _("Payment requested")
    RETURNED = "returned", _("Returned")
    RESOLVED = "resolved", pgettext_lazy("dossier event kind", "Resolved")
    DELIVERED = "delivered", pgettext_lazy("dossier event kind", "Delivered")
    WITHDRAWN = "withdrawn", pgettext_lazy("dossier event kind", "Withdrawn")
    STOPPED = "stopped", pgettext_lazy("dossier event kind", "Stopped")
    APOLOGY_ISSUED = "apology_issued", _("Apology issued")


class DossierStatus(models.TextChoices):
    RECEIVED = "received", pgettext_lazy("dossier status", "Received")
    IN_PROCESS = "in_process", _("In process")
    SUPPLEMENT = "supplement", _("Waiting for a supplement")
    PAYMENT = "payment", _("Waiting for payment")
    RESOLVED = "resolved", pgettext_lazy("dossier status", "Resolved")
    DELIVERED = "delivered", _("Result delivered")
    RETURNED = "returned", _("Refused")
    WITHDRAWN = "withdrawn", pgettext_lazy("dossier status", "Withdrawn")
    STOPPED = "stopped", pgettext_lazy("dossier status", "Stopped")


# The status a dossier is in after an event of each kind (apologies change nothing).
STATUS_AFTER = {
    EventKind.RECEIVED: DossierStatus.RECEIVED,
    EventKind.TRANSFERRED: DossierStatus.IN_PROCESS,
    EventKind.SUPPLEMENT_REQUESTED: DossierStatus.SUPPLEMENT,
    EventKind.SUPPLEMENT_RECEIVED: DossierStatus.IN_PROCESS,
    EventKind.PAYMENT_REQUESTED: DossierStatus.PAYMENT,
    EventKind.RETURNED: DossierStatus.RETURNED,
    EventKind.RESOLVED: DossierStatus.RESOLVED,
    EventKind.DELIVERED: DossierStatus.DELIVERED,
    EventKind.WITHDRAWN: DossierStatus.WITHDRAWN,
    EventKind.STOPPED: DossierStatus.STOPPED,
}
DONE_STATUSES = {DossierStatus.RESOLVED, DossierStatus.DELIVERED}
CLOSED_STATUSES = DONE_STATUSES | {
    DossierStatus.RETURNED,
    DossierStatus.WITHDRAWN,
    DossierStatus.STOPPED,
}


class Outcome(models.TextChoices):
    EARLY = "early", _("Early")
    ON_TIME = "on_time", _("On time")
    LATE = "late", _("Late")
    IN_TIME = "in_time", _("In time")
    OVERDUE = "overdue", _("Overdue")


class ImportSource(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "XLSX"
    XES = "xes", "XES"
    API = "api", "API"


class BatchStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", pgettext_lazy("import batch status", "Done")
    FAILED = "failed", _("Failed")


class ImportProfile(models.Model):
    """A saved column mapping for CSV/XLSX exports of a one-stop system.

    `mapping`: {field: column header as written in the file}; fields are those of
    `imports.pipeline.FIELDS`. `value_maps`: {field: {value in the file: our value}},
    e.g. {"kind": {"5": "supplement_requested"}, "channel": {"Trực tuyến": "online"}}.
    `unit` None: a global profile every agency may use."""

    name = models.CharField(_("name"), max_length=120)
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="import_profiles"
    )
    format = models.CharField(
        _("format"),
        max_length=10,
        choices=[(ImportSource.CSV, "CSV"), (ImportSource.XLSX, "XLSX")],
        default=ImportSource.CSV,
    )
    mapping = models.JSONField(_("column mapping"), default=dict)
    value_maps = models.JSONField(_("value maps"), default=dict)
    builtin = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("import profile")
        verbose_name_plural = _("import profiles")
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="one_profile_name_per_unit"),
            models.UniqueConstraint(
                fields=["name"], condition=models.Q(unit=None), name="one_global_profile_name"
            ),
        ]

    def __str__(self):
        return self.name


class ImportBatch(models.Model):
    """One import: a file or an API push, with its progress and its counts."""

    source = models.CharField(_("source"), max_length=10, choices=ImportSource.choices)
    filename = models.CharField(_("file"), max_length=255, blank=True)
    file = models.FileField(upload_to="dossier-imports/%Y/%m/", blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    idempotency_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="dossier_batches")
    profile = models.ForeignKey(
        ImportProfile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lenient = models.BooleanField(
        _("consistency problems as warnings"),
        default=False,
        help_text=_("Events before receipt and results before receipt are reported, not refused."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=BatchStatus.choices, default=BatchStatus.PENDING
    )
    total = models.PositiveIntegerField(_("rows"), default=0)
    processed = models.PositiveIntegerField(_("rows processed"), default=0)
    dossiers_created = models.PositiveIntegerField(default=0)
    dossiers_updated = models.PositiveIntegerField(default=0)
    dossiers_unchanged = models.PositiveIntegerField(default=0)
    events_created = models.PositiveIntegerField(default=0)
    events_unchanged = models.PositiveIntegerField(default=0)
    reclassified = models.PositiveIntegerField(default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        indexes = [models.Index(fields=["unit", "-created_at"], name="batch_unit_recent")]

    def __str__(self):
        return f"#{self.pk} {self.filename or self.source}"

    @property
    def percent(self) -> int:
        if not self.total:
            return 100 if self.status in (BatchStatus.DONE, BatchStatus.FAILED) else 0
        return min(100, int(100 * self.processed / self.total))

    def counts(self) -> dict:
        return {
            "dossiers_created": self.dossiers_created,
            "dossiers_updated": self.dossiers_updated,
            "dossiers_unchanged": self.dossiers_unchanged,
            "events_created": self.events_created,
            "events_unchanged": self.events_unchanged,
        }


class Dossier(models.Model):
    code = models.CharField(_("code"), max_length=100)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="dossiers")
    procedure = models.ForeignKey(
        "procedures.AdministrativeProcedure",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    # The TTHC code as the source wrote it (kept when it is not in the catalogue).
    procedure_code = models.CharField(_("TTHC code"), max_length=60, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, blank=True)
    division = models.CharField(_("division"), max_length=200, blank=True)
    received_at = models.DateTimeField(_("received"))
    reported_due_at = models.DateTimeField(_("due (as imported)"), null=True, blank=True)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=DossierStatus.choices, default=DossierStatus.RECEIVED
    )
    reported_status = models.CharField(max_length=12, choices=DossierStatus.choices, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    clock_restarts = models.PositiveSmallIntegerField(_("clock restarts"), default=0)
    apology_at = models.DateTimeField(_("apology issued"), null=True, blank=True)
    apology_new_due_at = models.DateTimeField(_("new date promised"), null=True, blank=True)
    apology_count = models.PositiveSmallIntegerField(default=0)
    # None: no apology was due or issued; True/False: the rules were kept or not.
    apology_compliant = models.BooleanField(_("apology compliant"), null=True, blank=True)
    steps_late = models.PositiveSmallIntegerField(_("late steps"), default=0)
    batch = models.ForeignKey(
        ImportBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="dossiers"
    )
    search_text = models.CharField(max_length=200, editable=False, default="")
    classified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        constraints = [
            models.UniqueConstraint(fields=["unit", "code"], name="one_dossier_code_per_unit")
        ]
        indexes = [
            models.Index(fields=["unit", "received_at"], name="dossier_unit_received"),
            models.Index(fields=["unit", "procedure", "received_at"], name="dossier_unit_tthc"),
            models.Index(fields=["unit", "outcome"], name="dossier_unit_outcome"),
            models.Index(fields=["procedure", "received_at"], name="dossier_tthc_received"),
            models.Index(fields=["code"], name="dossier_code"),
        ]

    def __str__(self):
        return self.code

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES


class DossierEvent(models.Model):
    """A hand-off or a change of state. The natural key (dossier, at, kind, step)
    makes re-imports idempotent; `seq` numbers a dossier's events as they arrive.
    `hours`, `allotted_hours`, `on_time`: the step's working time against its
    allotment in the TTHC's internal process (None when there is none to match)."""

    # No foreign-key constraint in the database and no index of its own (decision
    # 0008): the import writes events only for dossiers it has just written or read
    # in the same transaction, and checking a million of them at commit cost more
    # than their insert. Django still cascades deletes; (dossier, seq) is the index.
    dossier = models.ForeignKey(
        Dossier,
        on_delete=models.CASCADE,
        related_name="events",
        db_constraint=False,
        db_index=False,
    )
    seq = models.PositiveIntegerField()
    step = models.CharField(_("step"), max_length=200, blank=True)
    actor = models.CharField(_("actor"), max_length=150, blank=True)
    division = models.CharField(_("division"), max_length=200, blank=True)
    at = models.DateTimeField(_("time"))
    kind = models.CharField(_("kind"), max_length=24, choices=EventKind.choices)
    new_due_at = models.DateTimeField(_("new date promised"), null=True, blank=True)
    hours = models.FloatField(_("working hours"), null=True, blank=True)
    allotted_hours = models.FloatField(_("allotted hours"), null=True, blank=True)
    on_time = models.BooleanField(_("step on time"), null=True, blank=True)

    class Meta:
        ordering = ["dossier", "at", "seq"]
        verbose_name = _("dossier event")
        verbose_name_plural = _("dossier events")
        constraints = [
            models.UniqueConstraint(fields=["dossier", "seq"], name="one_event_seq"),
            models.UniqueConstraint(
                fields=["dossier", "at", "kind", "step"], name="one_event_natural_key"
            ),
        ]

    def __str__(self):
        return f"{self.dossier_id} #{self.seq} {self.kind} {self.step}"
