"""Administrative procedures (TTHC) and their assignment to agencies (ISO 9001:2015,
8.1-8.2). The internal process of a TTHC in an agency is the step table of the
operational procedure that covers it: one artefact, kept in `documents`."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govqms.core.text import fold
from govqms.organizations.models import Unit


class ProcedureLevel(models.TextChoices):
    CENTRAL = "central", _("Central")
    PROVINCIAL = "provincial", _("Provincial")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune")


class OnlineLevel(models.TextChoices):
    FULL = "full", _("Full online")
    PARTIAL = "partial", _("Partly online")
    NONE = "none", _("Not online")


class AdministrativeProcedure(models.Model):
    """A TTHC of the national database, e.g. 1.001193 Đăng ký khai sinh."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=500)
    field = models.CharField(_("field"), max_length=200, blank=True)
    level = models.CharField(_("level"), max_length=20, choices=ProcedureLevel.choices)
    # Working days; may be fractional ("0,5 ngày").
    time_limit_days = models.DecimalField(
        _("time limit (working days)"), max_digits=6, decimal_places=2
    )
    fees = models.TextField(_("fees"), blank=True)
    online_level = models.CharField(
        _("online service"), max_length=10, choices=OnlineLevel.choices, default=OnlineLevel.PARTIAL
    )
    legal_basis = models.TextField(_("legal basis"), blank=True)
    announced_by = models.CharField(_("announced by decision"), max_length=200, blank=True)
    announced_on = models.DateField(_("announced on"), null=True, blank=True)
    abolished_on = models.DateField(_("abolished on"), null=True, blank=True)
    search_text = models.TextField(editable=False, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("administrative procedure")
        verbose_name_plural = _("administrative procedures")

    AUDIT_FIELDS = [
        "code",
        "name",
        "field",
        "level",
        "time_limit_days",
        "fees",
        "online_level",
        "legal_basis",
        "announced_by",
        "announced_on",
        "abolished_on",
    ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def refresh_search_text(self):
        self.search_text = fold(f"{self.code} {self.name} {self.field}")

    @property
    def time_limit_hours(self):
        """The limit in working hours (8 hours = 1 working day)."""
        return self.time_limit_days * 8


class ProcedureRevision(models.Model):
    """The history of a TTHC: each import or edit that changed it, with what changed."""

    procedure = models.ForeignKey(
        AdministrativeProcedure, on_delete=models.CASCADE, related_name="revisions"
    )
    changed_at = models.DateTimeField(_("changed"), auto_now_add=True)
    announced_by = models.CharField(_("announced by decision"), max_length=200, blank=True)
    announced_on = models.DateField(_("announced on"), null=True, blank=True)
    changes = models.JSONField(_("changes"), default=dict)
    source = models.CharField(_("source"), max_length=300, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["procedure", "-changed_at", "-pk"]
        verbose_name = _("procedure revision")
        verbose_name_plural = _("procedure revisions")

    def __str__(self):
        return f"{self.procedure.code} · {self.changed_at:%d/%m/%Y}"


class Assignment(models.Model):
    """A TTHC an agency carries out. `in_scope`: inside its QMS (its ISO scope);
    `document`: the operational procedure that covers it; `list_update_due`: the
    agency must update its ISO list within 5 working days of the announcement."""

    procedure = models.ForeignKey(
        AdministrativeProcedure, on_delete=models.PROTECT, related_name="assignments"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="procedure_assignments")
    in_scope = models.BooleanField(_("inside the QMS"), default=True)
    document = models.ForeignKey(
        "documents.Document",
        verbose_name=_("operational procedure"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="procedure_assignments",
    )
    assigned_on = models.DateField(_("assigned on"))
    list_update_due = models.DateField(_("ISO list update due"), null=True, blank=True)
    list_updated_on = models.DateField(_("ISO list updated on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    class Meta:
        ordering = ["unit", "procedure__code"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "unit"],
                condition=Q(ended_on__isnull=True),
                name="one_open_assignment",
            )
        ]

    AUDIT_FIELDS = [
        "procedure",
        "unit",
        "in_scope",
        "document",
        "assigned_on",
        "list_update_due",
        "list_updated_on",
        "ended_on",
    ]

    def __str__(self):
        return f"{self.procedure.code} · {self.unit}"
