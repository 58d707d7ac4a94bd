"""Conformity announcements (Decision 19/2014/QĐ-TTg, step 3).

An agency announces that its QMS conforms to TCVN ISO 9001:2015 by a decision of
its head (template of Appendix I), sends it to the DoST and posts it at its office
and on its website. The current announcement is the latest by decision date; the
agency must re-announce whenever its scope changes (a TTHC assigned or withdrawn
after that date) or when it was created by a merger or a split."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from govqms.core.text import fold
from govqms.organizations.models import Unit


class ConformityAnnouncement(models.Model):
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="conformity_announcements",
    )
    decision_number = models.CharField(_("decision number"), max_length=100)
    decision_date = models.DateField(_("decision date"))
    scope = models.TextField(_("scope"), blank=True)
    procedures = models.ManyToManyField(
        "procedures.AdministrativeProcedure",
        verbose_name=_("administrative procedures in scope"),
        blank=True,
        related_name="+",
    )
    # When the decision only states how many TTHC it covers.
    procedure_count = models.PositiveIntegerField(
        _("number of administrative procedures"), null=True, blank=True
    )
    signed_file = models.FileField(
        _("signed decision (PDF)"), upload_to="announcements/%Y/", blank=True
    )
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    file_size = models.PositiveBigIntegerField(null=True, blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True)
    posted_at_office = models.BooleanField(_("posted at the office"), default=False)
    posted_url = models.URLField(_("posted on the website (address)"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    search_text = models.TextField(editable=False, default="")

    class Meta:
        ordering = ["unit", "-decision_date", "-pk"]
        verbose_name = _("conformity announcement")
        verbose_name_plural = _("conformity announcements")
        indexes = [models.Index(fields=["unit", "decision_date"])]

    AUDIT_FIELDS = [
        "unit",
        "decision_number",
        "decision_date",
        "scope",
        "procedure_count",
        "file_name",
        "file_sha256",
        "posted_at_office",
        "posted_url",
    ]

    def __str__(self):
        return f"{self.decision_number} ({self.decision_date:%d/%m/%Y})"

    def refresh_search_text(self):
        self.search_text = fold(f"{self.decision_number} {self.scope}")
