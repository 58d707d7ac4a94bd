"""Reads of the model framework (mô hình khung, Decision 101/QĐ-BKHCN), filtered to
what the user may see, and the comparisons behind the drift report and template
updates (made by `documents.diff`).

Who sees a framework: the DoST's people (the overseers whose subtree holds the
publisher) and every agency under the publisher's province root (the topmost
ancestor of the publishing unit). Agencies of another province get 404. Only DoST
administrators over the publisher manage a framework; agencies see published
versions only.
"""

import json
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet, prefetch_related_objects
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from govqms.organizations import selectors as org
from govqms.organizations.models import Unit

from ..diff import (
    SECTION_LABELS,
    SectionDiff,
    changed_sections,
    compare_contents,
    section_keys,
    section_value,
)
from ..models import (
    Document,
    DocumentKind,
    DocumentVersion,
    Framework,
    FrameworkVersion,
    TemplateDocument,
    VersionStatus,
)
from . import documents as doc_selectors

# ---------------------------------------------------------------- who sees what


def province_root_path(unit: Unit) -> str:
    """The path of the topmost ancestor of `unit` (its province root)."""
    first = unit.path.strip("/").split("/")[0]
    return f"/{first}/"


def frameworks_for_unit(unit: Unit) -> QuerySet[Framework]:
    """Frameworks published for the agencies of `unit`'s province."""
    return Framework.objects.filter(publisher__path__startswith=province_root_path(unit))


def _published_under(roots: list[Unit]) -> QuerySet[Framework]:
    if not roots:
        return Framework.objects.none()
    subtrees = doc_selectors.under((root.path for root in roots), "publisher__path")
    return Framework.objects.filter(subtrees).select_related("publisher")


def overseen_frameworks(user) -> QuerySet[Framework]:
    """Frameworks published inside the user's oversight subtrees (the DoST's view)."""
    return _published_under(org.oversight_roots(user))


def managed_frameworks(user) -> QuerySet[Framework]:
    """Frameworks the user administers (DoST administrators over the publisher)."""
    return _published_under(org.admin_roots(user))


def require_framework_admin(user) -> None:
    """403 for anyone who administers no subtree (agency people, DoST officers)."""
    if not org.admin_roots(user):
        raise PermissionDenied


def publisher_choices(user) -> QuerySet[Unit]:
    """Units that may publish a framework: the DoST units (or, failing that, the
    roots) under the user's administration."""
    roots = org.admin_roots(user)
    subtrees = doc_selectors.under(root.path for root in roots)
    dosts = Unit.objects.filter(subtrees, kind="dost").active_on().order_by("path")
    if dosts.exists():
        return dosts
    return Unit.objects.filter(pk__in=[r.pk for r in roots]).order_by("path")


def get_managed_framework(user, pk) -> Framework:
    require_framework_admin(user)
    try:
        return managed_frameworks(user).get(pk=pk)
    except (Framework.DoesNotExist, ValueError, TypeError):
        raise Http404("No such framework.") from None


def get_managed_version(user, pk) -> FrameworkVersion:
    require_framework_admin(user)
    try:
        return FrameworkVersion.objects.select_related("framework__publisher").get(
            pk=pk, framework__in=managed_frameworks(user)
        )
    except (FrameworkVersion.DoesNotExist, ValueError, TypeError):
        raise Http404("No such framework version.") from None


def get_managed_template(user, pk) -> TemplateDocument:
    require_framework_admin(user)
    try:
        return TemplateDocument.objects.select_related(
            "framework_version__framework__publisher"
        ).get(pk=pk, framework_version__framework__in=managed_frameworks(user))
    except (TemplateDocument.DoesNotExist, ValueError, TypeError):
        raise Http404("No such template.") from None


# ---------------------------------------------------------------- versions and templates


def published_versions(framework: Framework) -> QuerySet[FrameworkVersion]:
    return framework.versions.exclude(published_at=None).order_by("-version_no")


def latest_published(framework: Framework) -> FrameworkVersion | None:
    return published_versions(framework).first()


def draft_version(framework: Framework) -> FrameworkVersion | None:
    return framework.versions.filter(published_at=None).order_by("-version_no").first()


def newest_versions(
    framework: Framework,
) -> tuple[FrameworkVersion | None, FrameworkVersion | None]:
    """(`latest_published`, `draft_version`) read from `framework.versions.all()`: no
    query per framework of a list that prefetches "versions"."""
    versions = sorted(framework.versions.all(), key=lambda v: v.version_no, reverse=True)
    published = next((v for v in versions if v.published_at is not None), None)
    draft = next((v for v in versions if v.published_at is None), None)
    return published, draft


def previous_published(version: FrameworkVersion) -> FrameworkVersion | None:
    return published_versions(version.framework).filter(version_no__lt=version.version_no).first()


def ordered_templates(version: FrameworkVersion) -> list[TemplateDocument]:
    """System procedures first, then the others, each by code."""
    return sorted(
        version.templates.all(), key=lambda t: (t.kind != DocumentKind.SYSTEM_PROCEDURE, t.code)
    )


def unit_catalogue(unit: Unit) -> list[dict]:
    """Per framework visible to the agency: its newest published version, its
    templates, and which of them the agency has adopted (and as which document)."""
    adopted = {
        (d.template.framework_version.framework_id, d.template.key): d
        for d in adopted_documents_of(unit).select_related("template__framework_version")
    }
    frameworks = (
        frameworks_for_unit(unit)
        .select_related("publisher")
        .prefetch_related("versions")
        .order_by("code")
    )
    latest = [(f, newest_versions(f)[0]) for f in frameworks]
    latest = [(f, v) for f, v in latest if v is not None]
    prefetch_related_objects([v for _f, v in latest], "templates")
    catalogue = []
    for framework, version in latest:
        rows = [
            {"template": t, "document": adopted.get((framework.pk, t.key))}
            for t in ordered_templates(version)
        ]
        catalogue.append(
            {
                "framework": framework,
                "version": version,
                "rows": rows,
                "pending": sum(1 for r in rows if r["document"] is None),
            }
        )
    return catalogue


def get_unit_template(user, unit: Unit, pk) -> TemplateDocument:
    """A published template the agency may read and adopt (404 otherwise). Callers
    obtain `unit` through `organizations.selectors.get_internal_unit`."""
    try:
        return TemplateDocument.objects.select_related(
            "framework_version__framework__publisher"
        ).get(
            pk=pk,
            framework_version__published_at__isnull=False,
            framework_version__framework__in=frameworks_for_unit(unit),
        )
    except (TemplateDocument.DoesNotExist, ValueError, TypeError):
        raise Http404("No such template.") from None


def get_unit_version(user, unit: Unit, pk) -> FrameworkVersion:
    try:
        return FrameworkVersion.objects.select_related("framework__publisher").get(
            pk=pk, published_at__isnull=False, framework__in=frameworks_for_unit(unit)
        )
    except (FrameworkVersion.DoesNotExist, ValueError, TypeError):
        raise Http404("No such framework version.") from None


def adopted_documents_of(unit: Unit) -> QuerySet[Document]:
    """The agency's documents adopted from a framework (callers have checked the
    user may see inside `unit`)."""
    return Document.objects.filter(unit=unit, template__isnull=False)


def adopted_documents(user, unit: Unit) -> QuerySet[Document]:
    return (
        doc_selectors.visible_documents(user)
        .filter(unit=unit, template__isnull=False)
        .select_related("template__framework_version__framework")
        .order_by("code")
    )


def get_adopted_document(user, unit: Unit, pk) -> Document:
    document = doc_selectors.get_document(user, pk, what="framework drift")
    if document.unit_id != unit.pk or document.template_id is None:
        raise Http404("No such document.")
    return document


def already_adopted(unit: Unit, template: TemplateDocument) -> Document | None:
    return Document.objects.filter(
        unit=unit,
        template__key=template.key,
        template__framework_version__framework_id=template.framework_version.framework_id,
    ).first()


# ---------------------------------------------------------------- drift


def compared_version(document: Document) -> DocumentVersion | None:
    """The version a drift report reads: the effective one, else the latest."""
    return (
        doc_selectors.current_version(document) or document.versions.order_by("-issue_no").first()
    )


@dataclass
class Drift:
    document: Document
    template: TemplateDocument
    version: DocumentVersion | None
    sections: list[SectionDiff]

    @property
    def changed(self) -> list[SectionDiff]:
        return [s for s in self.sections if s.changed]

    @property
    def changed_count(self) -> int:
        return len(self.changed)

    @property
    def unchanged(self) -> bool:
        return not self.changed


def document_drift(document: Document, version: DocumentVersion | None = None) -> Drift | None:
    """What differs between the agency's document and the template it came from."""
    template = document.template
    if template is None:
        return None
    version = version or compared_version(document)
    content = version.content if version else {}
    sections = compare_contents(template.content, content, (_("template"), _("agency")))
    return Drift(document, template, version, sections)


def _compared_versions(documents) -> dict:
    """{document id: the version a drift report reads}, in one query."""
    chosen = {}
    versions = (
        DocumentVersion.objects.filter(document__in=[d.pk for d in documents])
        .exclude(status=VersionStatus.OBSOLETE)
        .order_by("document_id", "-issue_no")
    )
    for version in versions:
        current = chosen.get(version.document_id)
        if current is None or (
            version.status == VersionStatus.EFFECTIVE and current.status != VersionStatus.EFFECTIVE
        ):
            chosen[version.document_id] = version
    return chosen


def unit_drift(user, unit: Unit) -> list[Drift]:
    """The drift of every adopted document of the agency (callers obtain `unit`
    through `get_internal_unit`)."""
    documents = list(adopted_documents(user, unit))
    chosen = _compared_versions(documents)
    return [document_drift(d, chosen.get(d.pk)) for d in documents]


# ---------------------------------------------------------------- template updates


def _newest_templates(pairs) -> dict:
    """{(framework id, key): newest published template} for the given pairs."""
    pairs = set(pairs)
    if not pairs:
        return {}
    q = Q(pk__in=[])
    for framework_id in {f for f, _k in pairs}:
        keys = [k for f, k in pairs if f == framework_id]
        q |= Q(framework_version__framework_id=framework_id, key__in=keys)
    newest = {}
    templates = (
        TemplateDocument.objects.filter(q, framework_version__published_at__isnull=False)
        .select_related("framework_version__framework")
        .order_by("-framework_version__version_no")
    )
    for t in templates:
        newest.setdefault((t.framework_version.framework_id, t.key), t)
    return newest


def newest_template(template: TemplateDocument) -> TemplateDocument | None:
    key = (template.framework_version.framework_id, template.key)
    return _newest_templates([key]).get(key)


@dataclass
class TemplateUpdate:
    document: Document
    old: TemplateDocument
    new: TemplateDocument
    sections: list[SectionDiff]

    @property
    def changed(self) -> list[SectionDiff]:
        return [s for s in self.sections if s.changed]


def _is_update(old: TemplateDocument, new: TemplateDocument | None) -> bool:
    return (
        new is not None
        and new.framework_version.version_no > old.framework_version.version_no
        and any(
            section_value(old.content, k) != section_value(new.content, k)
            for k in section_keys(old.content, new.content)
        )
    )


def template_update(document: Document) -> TemplateUpdate | None:
    """The newer template of the adopted one, with what changed, if its content differs."""
    old = document.template
    if old is None:
        return None
    new = newest_template(old)
    if not _is_update(old, new):
        return None
    names = (f"v{old.framework_version.version_no}", f"v{new.framework_version.version_no}")
    return TemplateUpdate(document, old, new, compare_contents(old.content, new.content, names))


def updates_for_documents(documents) -> list[tuple[Document, TemplateDocument]]:
    """(document, newer template) for those whose template changed in a newer
    published framework version."""
    documents = [d for d in documents if d.template_id]
    newest = _newest_templates(
        (d.template.framework_version.framework_id, d.template.key) for d in documents
    )
    result = []
    for d in documents:
        new = newest.get((d.template.framework_version.framework_id, d.template.key))
        if _is_update(d.template, new):
            result.append((d, new))
    return result


def template_updates(user, unit: Unit) -> list[tuple[Document, TemplateDocument]]:
    """The "template updated" notices of an agency (withdrawn documents left out)."""
    live = adopted_documents(user, unit).filter(versions__status__in=doc_selectors.LIVE).distinct()
    return updates_for_documents(live)


# ---------------------------------------------------------------- three-way merge

TAKE, KEEP, SAME, CONFLICT = "take", "keep", "same", "conflict"


@dataclass
class SectionMerge:
    key: str
    label: str
    outcome: str  # take: changed in the template only; keep: by the agency only;
    # same: untouched, or changed alike; conflict: changed in both, differently


@dataclass
class MergePlan:
    sections: list[SectionMerge]

    def of(self, outcome: str) -> list[SectionMerge]:
        return [s for s in self.sections if s.outcome == outcome]

    @property
    def taken(self):
        return self.of(TAKE)

    @property
    def kept(self):
        return self.of(KEEP)

    @property
    def conflicts(self):
        return self.of(CONFLICT)


def merge_plan(base: dict, theirs: dict, ours: dict) -> MergePlan:
    """Section by section: base = the adopted template, theirs = the new template,
    ours = the agency's content."""
    sections = []
    for key in section_keys(base, theirs, ours):
        b, t, o = (section_value(c, key) for c in (base, theirs, ours))
        if t == b or t == o:
            outcome = KEEP if o != b and t != o else SAME
        elif o == b:
            outcome = TAKE
        else:
            outcome = CONFLICT
        sections.append(SectionMerge(key, SECTION_LABELS.get(key, key), outcome))
    return MergePlan(sections)


def apply_plan(plan: MergePlan, theirs: dict, ours: dict) -> dict:
    """Our content with the template's changes taken where only the template changed."""
    merged = dict(ours)
    for section in plan.taken:
        if section.key in theirs:
            merged[section.key] = json.loads(json.dumps(theirs[section.key]))
        else:
            merged.pop(section.key, None)
    return merged


# ---------------------------------------------------------------- the DoST's view


def version_changes(old: FrameworkVersion | None, new: FrameworkVersion) -> dict:
    """Templates added, removed and changed between two framework versions."""
    before = {t.key: t for t in old.templates.all()} if old else {}
    after = {t.key: t for t in new.templates.all()}
    changed = []
    for key in sorted(set(before) & set(after)):
        b, a = before[key], after[key]
        sections = changed_sections(b.content, a.content)
        meta = [f for f in ("code", "title", "kind") if getattr(b, f) != getattr(a, f)]
        if sections or meta:
            changed.append({"old": b, "new": a, "sections": sections, "meta": meta})
    return {
        "added": [after[k] for k in sorted(set(after) - set(before))],
        "removed": [before[k] for k in sorted(set(before) - set(after))],
        "changed": changed,
    }


def framework_agencies(user, framework: Framework) -> QuerySet[Unit]:
    """The agencies in the user's oversight subtree that the framework is for."""
    return (
        doc_selectors.overseen_units(user)
        .filter(path__startswith=province_root_path(framework.publisher), in_dost_remit=True)
        .exclude(kind="dost")
        .active_on()
        .order_by("path")
    )


def adopter_count(user, framework: Framework) -> int:
    """How many agencies (of the user's oversight subtree) adopted any template."""
    return (
        Document.objects.filter(
            unit__in=framework_agencies(user, framework),
            template__framework_version__framework=framework,
        )
        .values("unit")
        .distinct()
        .count()
    )


def adoption_rows(framework: Framework, units) -> list[dict]:
    """Per agency: documents adopted from the framework, how many drift from their
    template, and how many have a newer template waiting (counts only)."""
    units = list(units)
    documents = list(
        Document.objects.filter(
            unit__in=[u.pk for u in units],
            template__framework_version__framework=framework,
        ).select_related("template__framework_version")
    )
    chosen = _compared_versions(documents)
    updates = {d.pk for d, _new in updates_for_documents(documents)}
    by_unit = {u.pk: {"unit": u, "adopted": 0, "drifted": 0, "updates": 0} for u in units}
    for d in documents:
        row = by_unit[d.unit_id]
        row["adopted"] += 1
        drift = document_drift(d, chosen.get(d.pk))
        if drift and not drift.unchanged:
            row["drifted"] += 1
        if d.pk in updates:
            row["updates"] += 1
    return [by_unit[u.pk] for u in units]
