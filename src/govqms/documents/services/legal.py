"""The register of legal documents, shared by every agency, and the "update needed"
tasks a legal change creates.

Decision 19/2014/QĐ-TTg: an agency folds a legal change into its QMS within 3 months
of the new text taking effect. When a legal document is amended or replaced, each
document whose EFFECTIVE version cites it gets an update task due 3 calendar months
after the new text takes effect; the task is done when a new version of the document
becomes effective.
"""

import datetime as dt

import rules
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from govqms.core import audit
from govqms.core.text import fold
from govqms.organizations import selectors as org

from ..models import (
    DocumentVersion,
    LegalDocument,
    LegalStatus,
    UpdateTask,
    UpdateTaskStatus,
    VersionStatus,
)
from .versions import add_months, require

UPDATE_MONTHS = 3
CHANGES = (LegalStatus.AMENDED, LegalStatus.REPLACED)
EDITABLE_FIELDS = ["number", "title", "issuer", "issued", "effective"]
REPLACED_BY_NEEDED = gettext_noop(
    "Say which legal document replaces it (add it to the register first)."
)


@rules.predicate
def administers_dost(user, obj=None):
    """DoST administrators keep the shared register."""
    return bool(org.admin_roots(user))


if not rules.perm_exists("documents.manage_legal"):
    rules.add_perm("documents.manage_legal", administers_dost)


def update_due(legal: LegalDocument, changed_on: dt.date) -> dt.date:
    """3 months after the new text takes effect (the replacing or amending text's
    effective date when the register knows it, else the day of the change)."""
    replacement = legal.replaced_by
    takes_effect = replacement.effective if replacement and replacement.effective else changed_on
    return add_months(takes_effect, UPDATE_MONTHS)


def _clean(legal: LegalDocument) -> None:
    legal.number = " ".join((legal.number or "").split())
    legal.title = (legal.title or "").strip()
    legal.issuer = (legal.issuer or "").strip()
    if not legal.number:
        raise ValidationError({"number": _("Give the number of the legal document.")})
    # The same number typed with other case or without diacritics is the same text.
    folded = fold(legal.number)
    candidates = LegalDocument.objects.filter(search_text__contains=folded).exclude(pk=legal.pk)
    if any(fold(number) == folded for number in candidates.values_list("number", flat=True)):
        raise ValidationError({"number": _("The register already has %s.") % legal.number})
    if legal.issued and legal.effective and legal.effective < legal.issued:
        raise ValidationError({"effective": _("A text cannot take effect before it is issued.")})
    legal.refresh_search_text()
    legal.full_clean(validate_unique=False, exclude=["replaced_by"])


@transaction.atomic
def create_legal_document(
    actor,
    *,
    number: str,
    title: str,
    issuer: str = "",
    issued: dt.date | None = None,
    effective: dt.date | None = None,
    status: str = LegalStatus.IN_FORCE,
    replaced_by: LegalDocument | None = None,
    changed_on: dt.date | None = None,
) -> LegalDocument:
    """A new legal document in the register (in force, or already amended, replaced or
    expired when an older text is registered: nothing cites it yet, so no task)."""
    require(actor, "documents.manage_legal", None)
    legal = LegalDocument(
        number=number,
        title=title,
        issuer=issuer,
        issued=issued,
        effective=effective,
        status=status,
        replaced_by=None if status == LegalStatus.IN_FORCE else replaced_by,
        status_changed_on=None if status == LegalStatus.IN_FORCE else changed_on,
    )
    if status == LegalStatus.REPLACED and replaced_by is None:
        raise ValidationError({"replaced_by": _(REPLACED_BY_NEEDED)})
    _clean(legal)
    legal.save()
    audit.record(
        actor=actor,
        action="create",
        obj=legal,
        changes=audit.diff(None, audit.snapshot(legal, LegalDocument.AUDIT_FIELDS)),
    )
    return legal


@transaction.atomic
def update_legal_document(
    actor,
    legal: LegalDocument,
    *,
    status: str | None = None,
    replaced_by: LegalDocument | None = None,
    changed_on: dt.date | None = None,
    **fields,
) -> list[UpdateTask]:
    """Correct the register entry; a new status (or a new replacing text) goes through
    `change_legal_status`. Returns the update tasks created."""
    require(actor, "documents.manage_legal", legal)
    legal = LegalDocument.objects.select_for_update().get(pk=legal.pk)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    before = audit.snapshot(legal, LegalDocument.AUDIT_FIELDS)
    for key, value in fields.items():
        setattr(legal, key, value)
    _clean(legal)
    legal.save()
    changes = audit.diff(before, audit.snapshot(legal, LegalDocument.AUDIT_FIELDS))
    if changes:
        audit.record(actor=actor, action="update", obj=legal, changes=changes)
    if status is None or (status == legal.status and replaced_by == legal.replaced_by):
        return []
    return change_legal_status(
        actor,
        legal,
        status=status,
        replaced_by=replaced_by,
        changed_on=changed_on or timezone.localdate(),
    )


def _reason(legal: LegalDocument, status: str, replaced_by: LegalDocument | None) -> str:
    # Stored in the system's first language (Vietnamese), like all data.
    with translation.override(settings.LANGUAGE_CODE):
        if status == LegalStatus.REPLACED and replaced_by:
            text = _("%(old)s was replaced by %(new)s") % {
                "old": legal.number,
                "new": replaced_by.number,
            }
        elif replaced_by:
            text = _("%(old)s was amended by %(new)s") % {
                "old": legal.number,
                "new": replaced_by.number,
            }
        else:
            text = _("%(old)s was amended") % {"old": legal.number}
    return text[:500]


@transaction.atomic
def change_legal_status(
    actor,
    legal_document: LegalDocument,
    *,
    status: str,
    replaced_by: LegalDocument | None = None,
    changed_on: dt.date,
) -> list[UpdateTask]:
    """Record that a legal document is amended, replaced, expired or in force again.

    Amended or replaced: each document whose effective version cites it gets one open
    update task (never two for the same legal document), due 3 months after the new
    text takes effect, with an audit entry the agency sees. Returns the tasks created.
    """
    require(actor, "documents.manage_legal", legal_document)
    legal = LegalDocument.objects.select_for_update().get(pk=legal_document.pk)
    if status not in LegalStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    if replaced_by is not None and replaced_by.pk == legal.pk:
        raise ValidationError({"replaced_by": _("A legal document cannot replace itself.")})
    if status == LegalStatus.REPLACED and replaced_by is None:
        raise ValidationError({"replaced_by": _(REPLACED_BY_NEEDED)})
    if status == LegalStatus.IN_FORCE:
        replaced_by = None
    if changed_on is None:
        raise ValidationError({"changed_on": _("Give the date of the change.")})
    before = audit.snapshot(legal, LegalDocument.AUDIT_FIELDS)
    legal.status = status
    legal.replaced_by = replaced_by
    legal.status_changed_on = changed_on
    legal.save(update_fields=["status", "replaced_by", "status_changed_on"])
    audit.record(
        actor=actor,
        action="legal_status",
        obj=legal,
        changes=audit.diff(before, audit.snapshot(legal, LegalDocument.AUDIT_FIELDS)),
        note=str(changed_on),
    )
    if status not in CHANGES:
        return []
    due = update_due(legal, changed_on)
    reason = _reason(legal, status, replaced_by)
    citing = (
        DocumentVersion.objects.filter(status=VersionStatus.EFFECTIVE, legal_references=legal)
        .select_related("document__unit")
        .order_by("document__unit_id", "document__code")
    )
    open_for = set(
        UpdateTask.objects.filter(legal_document=legal, status=UpdateTaskStatus.OPEN).values_list(
            "document_id", flat=True
        )
    )
    created = []
    for version in citing:
        document = version.document
        if document.pk in open_for:
            continue
        open_for.add(document.pk)
        task = UpdateTask.objects.create(
            document=document, legal_document=legal, reason=reason, due=due
        )
        audit.record(
            actor=actor,
            action="update_task_create",
            obj=task,
            unit=document.unit,
            changes={
                "document": [None, document.code],
                "legal_document": [None, legal.number],
                "status": [None, status],
                "replaced_by": [None, replaced_by.number if replaced_by else None],
                "due": [None, due],
            },
            note=reason,
        )
        created.append(task)
    return created


def _close_tasks(tasks, *, actor, now, version: DocumentVersion | None = None, note="") -> int:
    """The open tasks are done at `now` (by `version` when one took effect), each with
    an audit entry the agency sees."""
    for task in tasks:
        task.status = UpdateTaskStatus.DONE
        task.done_at = now
        fields = ["status", "done_at"]
        changes = {"status": [UpdateTaskStatus.OPEN, UpdateTaskStatus.DONE]}
        if version is not None:
            task.done_by_version = version
            fields.append("done_by_version")
            changes["done_by_version"] = [None, version.issue_no]
        task.save(update_fields=fields)
        audit.record(
            actor=actor,
            action="update_task_done",
            obj=task,
            unit=task.document.unit,
            changes=changes,
            note=note,
        )
    return len(tasks)


@transaction.atomic
def close_update_tasks_for(version: DocumentVersion, *, actor=None) -> int:
    """A version just became effective: the open update tasks of its document that were
    created before now are done. Call from `versions._activate`."""
    now = timezone.now()
    tasks = list(
        UpdateTask.objects.select_for_update()
        .filter(document_id=version.document_id, status=UpdateTaskStatus.OPEN, created_at__lte=now)
        .select_related("document__unit")
    )
    return _close_tasks(tasks, actor=actor, now=now, version=version)


@transaction.atomic
def close_update_tasks_of_withdrawn(document, *, actor=None) -> int:
    """A withdrawn document has nothing left to update: its open tasks end (done, with
    no version). Call from `versions.withdraw`."""
    now = timezone.now()
    tasks = list(
        UpdateTask.objects.select_for_update()
        .filter(document_id=document.pk, status=UpdateTaskStatus.OPEN)
        .select_related("document__unit")
    )
    return _close_tasks(tasks, actor=actor, now=now, note="document withdrawn")
