"""Documented information (ISO 9001:2015 clause 7.5): documents, their versions and
life, sign-offs, read acknowledgements, legal references and the model framework."""

import hashlib
import json

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from govqms.core.text import fold
from govqms.organizations.models import Role, Unit


class DocumentKind(models.TextChoices):
    SCOPE = "scope", _("QMS scope")
    QUALITY_POLICY = "quality_policy", _("Quality policy")
    QUALITY_OBJECTIVES = "quality_objectives", _("Quality objectives")
    QUALITY_MANUAL = "quality_manual", _("Quality manual")
    SYSTEM_PROCEDURE = "system_procedure", _("System procedure")
    OPERATIONAL_PROCEDURE = "operational_procedure", _("Operational procedure")
    INTERNAL_PROCESS = "internal_process", _("Internal process")
    FORM = "form", _("Form")
    WORK_INSTRUCTION = "work_instruction", _("Work instruction")
    EXTERNAL_DOCUMENT = "external_document", _("External document")
    RECORD_TEMPLATE = "record_template", _("Record template")


# Kinds edited as a structured procedure (sections 1-7, step table).
PROCEDURE_KINDS = {
    DocumentKind.SYSTEM_PROCEDURE,
    DocumentKind.OPERATIONAL_PROCEDURE,
    DocumentKind.INTERNAL_PROCESS,
}


def empty_content() -> dict:
    """The structured content of a procedure (DOMAIN.md, "Documents of a QMS")."""
    return {
        "purpose": "",
        "scope": "",
        "references": [],
        "definitions": [],
        "legal_basis": "",
        "conditions": "",
        "dossier_components": [],
        "processing_time": "",
        "where": "",
        "fees": "",
        "steps": [],
        "forms": [],
        "records": [],
        "body": "",
    }


def content_sha256(content: dict) -> str:
    """The SHA-256 of a version's content in canonical JSON: what a sign-off signs."""
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class Document(models.Model):
    unit = models.ForeignKey(
        Unit, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="documents"
    )
    code = models.CharField(_("code"), max_length=40)
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=30, choices=DocumentKind.choices)
    division = models.CharField(_("owning division"), max_length=200, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("process owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_documents",
    )
    review_interval_months = models.PositiveSmallIntegerField(
        _("review interval (months)"), default=12
    )
    # Who must read each effective version: roles and divisions of the agency (empty: everyone).
    audience_roles = models.JSONField(_("roles that must read it"), default=list, blank=True)
    audience_divisions = models.JSONField(
        _("divisions that must read it"), default=list, blank=True
    )
    # Provenance: the framework template this document was adopted from.
    template = models.ForeignKey(
        "TemplateDocument",
        verbose_name=_("adopted from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="adoptions",
    )
    next_review_due = models.DateField(_("next review due"), null=True, blank=True)
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["unit", "code"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.UniqueConstraint(fields=["unit", "code"], name="document_code_unique_per_unit")
        ]

    AUDIT_FIELDS = [
        "unit",
        "code",
        "title",
        "kind",
        "division",
        "owner",
        "review_interval_months",
        "audience_roles",
        "audience_divisions",
        "template",
        "next_review_due",
    ]

    def __str__(self):
        return f"{self.code} · {self.title}"

    def refresh_search_text(self):
        self.search_text = fold(f"{self.code} {self.title} {self.division}")

    @property
    def is_procedure(self) -> bool:
        return self.kind in PROCEDURE_KINDS


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", pgettext_lazy("document version status", "Approved")
    EFFECTIVE = "effective", pgettext_lazy("document version status", "Effective")
    SUPERSEDED = "superseded", _("Superseded")
    OBSOLETE = "obsolete", _("Obsolete")


class DocumentVersion(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    issue_no = models.PositiveIntegerField(_("issue"))
    status = models.CharField(
        _("status"), max_length=20, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    content = models.JSONField(_("content"), default=empty_content)
    content_sha256 = models.CharField(max_length=64, editable=False, default="")
    change_note = models.TextField(_("what changed"), blank=True)
    effective_from = models.DateField(_("effective from"), null=True, blank=True)
    legal_references = models.ManyToManyField(
        "LegalDocument", blank=True, related_name="citing_versions", verbose_name=_("legal basis")
    )
    based_on = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next_versions",
        verbose_name=_("revision of"),
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    search_text = models.TextField(editable=False, default="")

    class Meta:
        ordering = ["document", "-issue_no"]
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        constraints = [
            models.UniqueConstraint(fields=["document", "issue_no"], name="one_issue_number"),
            models.UniqueConstraint(
                fields=["document"],
                condition=Q(status="effective"),
                name="one_effective_version",
            ),
            models.UniqueConstraint(
                fields=["document"],
                condition=Q(status__in=["draft", "in_review", "approved"]),
                name="one_open_version",
            ),
        ]

    AUDIT_FIELDS = [
        "document",
        "issue_no",
        "status",
        "content_sha256",
        "change_note",
        "effective_from",
    ]

    def __str__(self):
        return f"{self.document.code} · {_('issue')} {self.issue_no}"

    @property
    def is_editable(self) -> bool:
        return self.status == VersionStatus.DRAFT

    @property
    def is_current(self) -> bool:
        return self.status == VersionStatus.EFFECTIVE

    @property
    def is_withdrawn(self) -> bool:
        """No longer in force: shown and downloaded with the "hết hiệu lực" mark."""
        return self.status in (VersionStatus.SUPERSEDED, VersionStatus.OBSOLETE)


class ChangeLogEntry(models.Model):
    """The change log printed in a procedure: request, section, description, issue, date."""

    version = models.ForeignKey(DocumentVersion, on_delete=models.CASCADE, related_name="changes")
    request = models.CharField(_("change requested by"), max_length=300, blank=True)
    section = models.CharField(_("page / section"), max_length=200, blank=True)
    description = models.TextField(_("description"))
    issue_no = models.PositiveIntegerField(_("issue"))
    date = models.DateField(_("date"))

    class Meta:
        ordering = ["issue_no", "pk"]
        verbose_name = _("change log entry")
        verbose_name_plural = _("change log")

    def __str__(self):
        return f"{self.issue_no}: {self.description[:60]}"


class ApprovalStep(models.Model):
    """An agency's configured sign-off steps (by default: ISO secretary reviews,
    head approves; the author's "drafted" sign-off comes first)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="approval_steps")
    order = models.PositiveSmallIntegerField(_("order"))
    label = models.CharField(_("step"), max_length=100)
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)

    class Meta:
        ordering = ["unit", "order"]
        verbose_name = _("approval step")
        verbose_name_plural = _("approval steps")
        constraints = [models.UniqueConstraint(fields=["unit", "order"], name="one_step_per_order")]

    def __str__(self):
        return f"{self.order}. {self.label}"


class Decision(models.TextChoices):
    DRAFTED = "drafted", _("Drafted")
    APPROVED = "approved", pgettext_lazy("sign-off decision", "Approved")
    REJECTED = "rejected", _("Returned for changes")


class Approval(models.Model):
    """A sign-off: who, with what title, when, what they decided, and the hash of the
    exact content they signed. It counts only while the content still has that hash."""

    version = models.ForeignKey(DocumentVersion, on_delete=models.CASCADE, related_name="approvals")
    step_order = models.PositiveSmallIntegerField(_("step"))
    step_label = models.CharField(_("step"), max_length=100)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    user_name = models.CharField(_("name"), max_length=200)
    user_title = models.CharField(_("title"), max_length=200, blank=True)
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices)
    comment = models.TextField(_("comment"), blank=True)
    at = models.DateTimeField(_("time"))
    content_sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["version", "at", "pk"]
        verbose_name = _("sign-off")
        verbose_name_plural = _("sign-offs")

    def __str__(self):
        return f"{self.step_label}: {self.user_name} ({self.get_decision_display()})"

    @property
    def counts(self) -> bool:
        return self.content_sha256 == self.version.content_sha256


class Acknowledgement(models.Model):
    """A read task: a person the effective version concerns must read it."""

    version = models.ForeignKey(
        DocumentVersion, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="read_tasks"
    )
    assigned_at = models.DateTimeField(_("assigned"))
    acknowledged_at = models.DateTimeField(_("read"), null=True, blank=True)
    last_reminded_at = models.DateTimeField(_("last reminder"), null=True, blank=True)

    class Meta:
        ordering = ["version", "user"]
        verbose_name = _("read acknowledgement")
        verbose_name_plural = _("read acknowledgements")
        constraints = [
            models.UniqueConstraint(fields=["version", "user"], name="one_read_task_per_person")
        ]

    def __str__(self):
        return f"{self.user} · {self.version}"


class LegalStatus(models.TextChoices):
    IN_FORCE = "in_force", _("In force")
    AMENDED = "amended", _("Amended")
    REPLACED = "replaced", _("Replaced")
    EXPIRED = "expired", _("Expired")


class LegalDocument(models.Model):
    """A legal document procedures cite (e.g. 61/2018/NĐ-CP). Shared by all agencies."""

    number = models.CharField(_("number"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=500)
    issuer = models.CharField(_("issued by"), max_length=200, blank=True)
    issued = models.DateField(_("issued"), null=True, blank=True)
    effective = models.DateField(_("effective"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=LegalStatus.choices, default=LegalStatus.IN_FORCE
    )
    replaced_by = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaces",
        verbose_name=_("replaced or amended by"),
    )
    status_changed_on = models.DateField(_("status changed on"), null=True, blank=True)
    search_text = models.TextField(editable=False, default="")

    class Meta:
        ordering = ["-issued", "number"]
        verbose_name = _("legal document")
        verbose_name_plural = _("legal documents")

    AUDIT_FIELDS = ["number", "title", "issuer", "issued", "effective", "status", "replaced_by"]

    def __str__(self):
        return self.number

    def refresh_search_text(self):
        self.search_text = fold(f"{self.number} {self.title} {self.issuer}")


class UpdateTaskStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("legal update task status", "Open")
    DONE = "done", pgettext_lazy("legal update task status", "Done")


class UpdateTask(models.Model):
    """A legal change to fold into a document: due 3 months after the new text takes
    effect (Decision 19/2014/QĐ-TTg)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="update_tasks")
    legal_document = models.ForeignKey(
        LegalDocument, on_delete=models.PROTECT, related_name="update_tasks"
    )
    reason = models.CharField(_("reason"), max_length=500)
    due = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=10, choices=UpdateTaskStatus.choices, default=UpdateTaskStatus.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by_version = models.ForeignKey(
        DocumentVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["due"]
        verbose_name = _("update task")
        verbose_name_plural = _("update tasks")
        constraints = [
            models.UniqueConstraint(
                fields=["document", "legal_document"],
                condition=Q(status="open"),
                name="one_open_update_task",
            )
        ]

    def __str__(self):
        return f"{self.document.code}: {self.reason}"


class Attachment(models.Model):
    """A file attached to a version (signed scan, form): type checked by content."""

    version = models.ForeignKey(
        DocumentVersion, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(upload_to="attachments/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    description = models.CharField(_("description"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["version", "uploaded_at"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.original_name


class Framework(models.Model):
    """The model framework (mô hình khung, Decision 101/QĐ-BKHCN) a DoST publishes."""

    publisher = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="frameworks")
    code = models.CharField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=300)

    class Meta:
        verbose_name = _("model framework")
        verbose_name_plural = _("model frameworks")

    def __str__(self):
        return self.title


class FrameworkVersion(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="versions")
    version_no = models.PositiveIntegerField(_("version"))
    note = models.TextField(_("what changed"), blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        ordering = ["framework", "-version_no"]
        verbose_name = _("framework version")
        verbose_name_plural = _("framework versions")
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "version_no"], name="one_framework_version"
            )
        ]

    def __str__(self):
        return f"{self.framework.code} v{self.version_no}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class TemplateDocument(models.Model):
    """A template document of a framework version; agencies adopt and adapt it."""

    framework_version = models.ForeignKey(
        FrameworkVersion, on_delete=models.CASCADE, related_name="templates"
    )
    # Stable across framework versions: the same template in v1 and v2 shares its key.
    key = models.CharField(_("template key"), max_length=40)
    code = models.CharField(_("code"), max_length=40)
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=30, choices=DocumentKind.choices)
    content = models.JSONField(_("content"), default=empty_content)

    class Meta:
        ordering = ["framework_version", "code"]
        verbose_name = _("template document")
        verbose_name_plural = _("template documents")
        constraints = [
            models.UniqueConstraint(
                fields=["framework_version", "key"], name="one_template_per_key"
            )
        ]

    def __str__(self):
        return f"{self.code} · {self.title}"
