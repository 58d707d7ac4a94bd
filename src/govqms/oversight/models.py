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


class IssuedReport(models.Model):
    """A provincial report as issued: the November report of the DoST to the provincial
    People's Committee and the December report of the province to the Ministry of
    Science and Technology (Circular 26/2014/TT-BKHCN), with the number, date, signer
    and recipients it was issued with, the figures it printed and the files."""

    class Kind(models.TextChoices):
        NOVEMBER = "dost_to_province", _("DoST report to the provincial People's Committee")
        DECEMBER = "province_to_ministry", _("Provincial report to the Ministry")

    owner = models.ForeignKey(
        Unit, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="issued_reports"
    )
    kind = models.CharField(_("kind of report"), max_length=30, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.CharField(_("number and symbol"), max_length=100)
    issued_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=100)
    authority = models.CharField(_("parent authority"), max_length=200, blank=True)
    issuer = models.CharField(_("issuing body"), max_length=200)
    addressee = models.CharField(_("addressed to"), max_length=300, blank=True)
    signer_name = models.CharField(_("signer"), max_length=200)
    signer_title = models.CharField(_("signer's title"), max_length=300)
    recipients = models.TextField(_("recipients"), blank=True)
    remarks = models.TextField(_("assessment and proposals"), blank=True)
    # The figures as printed (band counts and shares, the change, the weak agencies).
    summary = models.JSONField(default=dict, blank=True)
    docx_file = models.FileField(upload_to="reports/%Y/", blank=True)
    docx_sha256 = models.CharField(max_length=64, blank=True)
    pdf_file = models.FileField(upload_to="reports/%Y/", blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # What the issuer fills in: the document's header, signature block and closing.
    HEADER_FIELDS = [
        "number",
        "issued_on",
        "place",
        "authority",
        "issuer",
        "addressee",
        "signer_name",
        "signer_title",
        "recipients",
        "remarks",
    ]
    AUDIT_FIELDS = ["owner", "kind", "year", *HEADER_FIELDS, "docx_sha256", "pdf_sha256"]

    class Meta:
        ordering = ["-year", "-issued_on", "-pk"]
        verbose_name = _("issued report")
        verbose_name_plural = _("issued reports")
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "year", "number"], name="issued_report_number_once"
            )
        ]

    def __str__(self):
        return f"{self.number} ({self.issued_on:%d/%m/%Y})"

    def recipient_list(self) -> list[str]:
        return [line.strip() for line in self.recipients.splitlines() if line.strip()]
