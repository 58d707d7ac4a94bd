"""The model framework (mô hình khung, Decision 101/QĐ-BKHCN): the DoST publishes
versioned template documents; agencies adopt them as their own documents, adapt
them, and bring in the changes of newer framework versions.

Writes: DoST administrators over the publisher ("documents.manage_framework") manage
frameworks; an agency's editors ("documents.edit") adopt and merge. Published
framework versions are frozen.
"""

import copy
import re
from dataclasses import dataclass, field

import rules
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govqms.core import audit
from govqms.core.text import fold
from govqms.organizations import selectors as org
from govqms.organizations.models import Unit

from .. import diff as content_diff
from ..models import (
    Document,
    DocumentKind,
    DocumentVersion,
    Framework,
    FrameworkVersion,
    TemplateDocument,
    VersionStatus,
    empty_content,
)
from ..selectors import documents as doc_selectors
from ..selectors import framework as selectors
from . import versions
from .versions import require

# ---------------------------------------------------------------- permission


def _publisher(obj):
    if isinstance(obj, TemplateDocument):
        return obj.framework_version.framework.publisher
    if isinstance(obj, FrameworkVersion):
        return obj.framework.publisher
    if isinstance(obj, Framework):
        return obj.publisher
    return obj


@rules.predicate
def administers_framework_of(user, obj):
    unit = _publisher(obj)
    if unit is None:
        return bool(org.admin_roots(user))
    return org.is_admin_of(user, unit)


if not rules.perm_exists("documents.manage_framework"):
    rules.add_perm("documents.manage_framework", administers_framework_of)


# ---------------------------------------------------------------- the DoST's side


def _content(content: dict | None) -> dict:
    merged = empty_content()
    merged.update(copy.deepcopy(content or {}))
    return merged


def _audit_template(actor, action, template, changes=None, note=""):
    audit.record(
        actor=actor,
        action=action,
        obj=template,
        unit=template.framework_version.framework.publisher,
        changes=changes or {},
        note=note,
    )


@transaction.atomic
def create_framework(actor, *, publisher: Unit, code: str, title: str, note: str = "") -> Framework:
    """A new framework with its first draft version (version 1)."""
    require(actor, "documents.manage_framework", publisher)
    code, title = code.strip(), title.strip()
    if not code or not title:
        raise ValidationError(_("A framework needs a code and a title."))
    if Framework.objects.filter(code=code).exists():
        raise ValidationError({"code": _("A framework with this code already exists.")})
    framework = Framework.objects.create(publisher=publisher, code=code, title=title)
    audit.record(
        actor=actor,
        action="create",
        obj=framework,
        unit=publisher,
        changes={"code": [None, code], "title": [None, title]},
    )
    FrameworkVersion.objects.create(framework=framework, version_no=1, note=note)
    return framework


@transaction.atomic
def create_draft_version(actor, framework: Framework, *, note: str = "") -> FrameworkVersion:
    """The next version as a draft, holding a copy of the latest version's templates."""
    require(actor, "documents.manage_framework", framework)
    framework = Framework.objects.select_for_update().get(pk=framework.pk)
    if framework.versions.filter(published_at=None).exists():
        raise ValidationError(_("This framework already has a draft version."))
    previous = framework.versions.order_by("-version_no").first()
    version = FrameworkVersion.objects.create(
        framework=framework,
        version_no=(previous.version_no if previous else 0) + 1,
        note=note,
    )
    if previous is not None:
        TemplateDocument.objects.bulk_create(
            TemplateDocument(
                framework_version=version,
                key=t.key,
                code=t.code,
                title=t.title,
                kind=t.kind,
                content=copy.deepcopy(t.content),
            )
            for t in previous.templates.all()
        )
    audit.record(
        actor=actor,
        action="framework_version_create",
        obj=version,
        unit=framework.publisher,
        changes={"version_no": [None, version.version_no]},
        note=note,
    )
    return version


def _require_draft(version: FrameworkVersion) -> None:
    if version.is_published:
        raise ValidationError(
            _("A published framework version is frozen: start a new version to change it.")
        )


def _key_from(code: str) -> str:
    key = re.sub(r"[^a-z0-9]+", "-", fold(code)).strip("-")
    return key[:40] or "template"


def _validate_template(code: str, title: str, kind: str) -> None:
    errors = {}
    if not code.strip():
        errors["code"] = _("This field is required.")
    if not title.strip():
        errors["title"] = _("This field is required.")
    if kind not in DocumentKind.values:
        errors["kind"] = _("Choose a valid kind.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def add_template(
    actor,
    version: FrameworkVersion,
    *,
    code: str,
    title: str,
    kind: str,
    content: dict | None = None,
    key: str | None = None,
) -> TemplateDocument:
    require(actor, "documents.manage_framework", version)
    version = FrameworkVersion.objects.select_for_update().get(pk=version.pk)
    _require_draft(version)
    _validate_template(code, title, kind)
    key = (key or "").strip() or _key_from(code)
    if version.templates.filter(key=key).exists():
        raise ValidationError({"key": _("This version already has a template with this key.")})
    if version.templates.filter(code=code.strip()).exists():
        raise ValidationError({"code": _("This version already has a template with this code.")})
    template = TemplateDocument.objects.create(
        framework_version=version,
        key=key,
        code=code.strip(),
        title=title.strip(),
        kind=kind,
        content=_content(content),
    )
    _audit_template(
        actor,
        "create",
        template,
        {"key": [None, key], "code": [None, template.code], "title": [None, template.title]},
    )
    return template


@transaction.atomic
def update_template(
    actor,
    template: TemplateDocument,
    *,
    code: str | None = None,
    title: str | None = None,
    kind: str | None = None,
    content: dict | None = None,
) -> TemplateDocument:
    require(actor, "documents.manage_framework", template)
    template = TemplateDocument.objects.select_for_update().get(pk=template.pk)
    _require_draft(template.framework_version)
    before = {"code": template.code, "title": template.title, "kind": template.kind}
    new_code = template.code if code is None else code.strip()
    new_title = template.title if title is None else title.strip()
    new_kind = template.kind if kind is None else kind
    _validate_template(new_code, new_title, new_kind)
    if (
        TemplateDocument.objects.filter(framework_version=template.framework_version, code=new_code)
        .exclude(pk=template.pk)
        .exists()
    ):
        raise ValidationError({"code": _("This version already has a template with this code.")})
    template.code, template.title, template.kind = new_code, new_title, new_kind
    changes = audit.diff(before, {"code": new_code, "title": new_title, "kind": new_kind})
    if content is not None:
        new_content = _content(content)
        changed = [s.key for s in content_diff.changed_sections(template.content, new_content)]
        if changed:
            changes["sections"] = [None, changed]
        template.content = new_content
    template.save()
    if changes:
        _audit_template(actor, "update", template, changes)
    return template


@transaction.atomic
def remove_template(actor, template: TemplateDocument) -> None:
    require(actor, "documents.manage_framework", template)
    template = TemplateDocument.objects.select_for_update().get(pk=template.pk)
    _require_draft(template.framework_version)
    _audit_template(
        actor, "delete", template, {"key": [template.key, None], "code": [template.code, None]}
    )
    template.delete()


@transaction.atomic
def publish_version(actor, version: FrameworkVersion, *, note: str | None = None):
    """Publish a draft version: it is frozen from now on, agencies see it, and the
    adopters of templates whose content changed are told (on their home and in their
    audit trail)."""
    require(actor, "documents.manage_framework", version)
    version = FrameworkVersion.objects.select_for_update().get(pk=version.pk)
    _require_draft(version)
    if not version.templates.exists():
        raise ValidationError(_("A framework version needs at least one template."))
    previous = selectors.latest_published(version.framework)
    if note is not None:
        version.note = note
    version.published_at = timezone.now()
    version.save(update_fields=["note", "published_at"])
    changes = selectors.version_changes(previous, version)
    audit.record(
        actor=actor,
        action="framework_publish",
        obj=version,
        unit=version.framework.publisher,
        changes={
            "published_at": [None, version.published_at],
            "added": [None, [t.code for t in changes["added"]]],
            "removed": [None, [t.code for t in changes["removed"]]],
            "changed": [None, [c["new"].code for c in changes["changed"]]],
        },
        note=version.note,
    )
    _tell_adopters(version)
    return version


def _tell_adopters(version: FrameworkVersion) -> int:
    """One audit entry per agency whose adopted templates changed in `version`."""
    keys = list(version.templates.values_list("key", flat=True))
    documents = Document.objects.filter(
        template__framework_version__framework=version.framework, template__key__in=keys
    ).select_related("unit", "template__framework_version")
    by_unit = {}
    for document, new in selectors.updates_for_documents(documents):
        if new.framework_version_id == version.pk:
            by_unit.setdefault(document.unit, []).append(document.code)
    for unit, codes in by_unit.items():
        audit.record(
            actor=None,
            action="framework_update_notice",
            obj=version,
            unit=unit,
            changes={"documents": [None, sorted(codes)]},
            note=_("The model framework %(framework)s has a new version %(n)s.")
            % {"framework": version.framework.code, "n": version.version_no},
        )
    return len(by_unit)


# ---------------------------------------------------------------- the agency's side


def _check_for_unit(template: TemplateDocument, unit: Unit) -> None:
    framework = template.framework_version.framework
    if not template.framework_version.is_published:
        raise ValidationError(_("Only templates of a published framework version can be adopted."))
    if not unit.path.startswith(selectors.province_root_path(framework.publisher)):
        raise ValidationError(_("This framework is not published for this agency."))


@transaction.atomic
def adopt(actor, template: TemplateDocument, unit: Unit, *, code: str | None = None) -> Document:
    """The agency's own copy of a template: a new document (draft issue 1) that
    remembers the template it came from."""
    require(actor, "documents.edit", unit)
    Unit.objects.select_for_update().get(pk=unit.pk)
    _check_for_unit(template, unit)
    existing = selectors.already_adopted(unit, template)
    if existing is not None:
        raise ValidationError(
            _("This agency has already adopted this template as %(code)s.")
            % {"code": existing.code}
        )
    document = versions.create_document(
        actor,
        unit=unit,
        code=(code or "").strip() or template.code,
        title=template.title,
        kind=template.kind,
        content=copy.deepcopy(template.content),
        template=template,
    )
    framework_version = template.framework_version
    audit.record(
        actor=actor,
        action="framework_adopt",
        obj=document,
        unit=unit,
        changes={
            "template": [
                None,
                f"{framework_version.framework.code} v{framework_version.version_no} "
                f"{template.code}",
            ]
        },
    )
    return document


@dataclass
class AdoptAll:
    adopted: list[Document] = field(default_factory=list)
    already: list[TemplateDocument] = field(default_factory=list)  # key adopted before
    code_taken: list[TemplateDocument] = field(default_factory=list)  # code used by another


@transaction.atomic
def adopt_all(actor, framework_version: FrameworkVersion, unit: Unit) -> AdoptAll:
    """Adopt every template of a published framework version, skipping the keys
    already adopted and the templates whose code the agency already uses for another
    document (those can be adopted one by one with another code)."""
    require(actor, "documents.edit", unit)
    result = AdoptAll()
    codes = set(Document.objects.filter(unit=unit).values_list("code", flat=True))
    for template in framework_version.templates.order_by("code"):
        _check_for_unit(template, unit)
        if selectors.already_adopted(unit, template) is not None:
            result.already.append(template)
        elif template.code in codes:
            result.code_taken.append(template)
        else:
            result.adopted.append(adopt(actor, template, unit))
            codes.add(template.code)
    return result


@dataclass
class MergeResult:
    version: DocumentVersion
    plan: selectors.MergePlan
    started_revision: bool

    @property
    def taken(self):
        return self.plan.taken

    @property
    def kept(self):
        return self.plan.kept

    @property
    def conflicts(self):
        return self.plan.conflicts


@transaction.atomic
def merge_template_update(actor, document: Document, new_template: TemplateDocument):
    """Bring a newer template's changes into the agency's draft, three-way:
    base = the adopted template, theirs = the new template, ours = the agency's draft.
    A section changed only in the template is taken; one changed only by the agency
    is kept; one changed in both keeps the agency's text and is reported as a
    conflict. The document then points at the new template."""
    require(actor, "documents.edit", document)
    document = Document.objects.select_for_update().get(pk=document.pk)
    old = document.template
    if old is None:
        raise ValidationError(_("This document was not adopted from a framework template."))
    if (
        new_template.key != old.key
        or new_template.framework_version.framework_id != old.framework_version.framework_id
    ):
        raise ValidationError(_("This template is not a newer version of the adopted one."))
    if not new_template.framework_version.is_published:
        raise ValidationError(_("Only a published template can be brought in."))
    if new_template.framework_version.version_no <= old.framework_version.version_no:
        raise ValidationError(_("The document already follows this template version."))
    framework_version = new_template.framework_version
    label = _("Model framework %(framework)s, version %(n)s") % {
        "framework": framework_version.framework.code,
        "n": framework_version.version_no,
    }
    draft = doc_selectors.open_version(document)
    started = False
    if draft is not None and draft.status != VersionStatus.DRAFT:
        raise ValidationError(
            _(
                "Issue %(n)s is in review or approved: finish it, or have it returned to "
                "draft, before bringing in the template's changes."
            )
            % {"n": draft.issue_no}
        )
    base, theirs = old.content, new_template.content
    if draft is None:
        current = (
            doc_selectors.current_version(document)
            or document.versions.order_by("-issue_no").first()
        )
        plan = selectors.merge_plan(base, theirs, current.content if current else {})
        draft = versions.start_revision(
            actor,
            document,
            description=_("Changes of the template brought in: %(sections)s")
            % {"sections": ", ".join(str(s.label) for s in plan.taken) or "-"},
            request=label,
            section=", ".join(s.key for s in plan.taken),
        )
        started = True
    plan = selectors.merge_plan(base, theirs, draft.content)
    merged = selectors.apply_plan(plan, theirs, draft.content)
    if plan.taken:
        draft = versions.edit_draft(actor, draft, content=merged)
    versions.update_document(actor, document, template=new_template)
    audit.record(
        actor=actor,
        action="framework_merge",
        obj=draft,
        unit=document.unit,
        changes={
            "template": [old.pk, new_template.pk],
            "taken": [None, [s.key for s in plan.taken]],
            "kept": [None, [s.key for s in plan.kept]],
            "conflicts": [None, [s.key for s in plan.conflicts]],
        },
        note=label,
    )
    return MergeResult(draft, plan, started)
