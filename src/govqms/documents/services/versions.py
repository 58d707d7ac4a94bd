"""The document register and the life of a version (ISO 9001:2015, 7.5.2-7.5.3).

draft -> in review -> approved -> effective (from its date) -> superseded / obsolete.
One effective version at a time; a change to an approved document starts a new
version with the next issue number and an automatic change-log entry. Sign-offs
sign the SHA-256 of the exact content; if the content changes, they stop counting.
"""

import calendar
import copy
import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from govqms.core import audit
from govqms.core.permissions import require
from govqms.core.text import fold
from govqms.organizations import selectors as org
from govqms.organizations.models import Role, Unit

from ..models import (
    Approval,
    ApprovalStep,
    ChangeLogEntry,
    Decision,
    Document,
    DocumentVersion,
    VersionStatus,
    content_sha256,
    empty_content,
)
from ..selectors.documents import IN_PROGRESS

# ---------------------------------------------------------------- sign-off steps


@dataclass(frozen=True)
class Step:
    order: int
    label: str
    role: str

    def get_role_display(self) -> str:
        return Role(self.role).label


# Labels are stored as these English message ids and translated when shown, so a
# sign-off reads in the reader's language; agencies' own labels show as typed.
DEFAULT_STEPS = [
    Step(1, gettext_noop("Review"), Role.ISO_SECRETARY),
    Step(2, gettext_noop("Approval"), Role.HEAD),
]
DRAFTED = gettext_noop("Drafting")


def steps_for(unit: Unit) -> list[Step]:
    """The agency's sign-off steps after the author's, in order."""
    configured = [Step(s.order, s.label, s.role) for s in ApprovalStep.objects.filter(unit=unit)]
    return configured or DEFAULT_STEPS


@transaction.atomic
def configure_steps(actor, unit: Unit, steps: list[tuple[str, str]]) -> None:
    """Replace the agency's steps with [(label, role), ...]."""
    require(actor, "documents.publish", unit)
    if not steps:
        raise ValidationError(_("At least one sign-off step is needed."))
    before = [f"{s.label}:{s.role}" for s in steps_for(unit)]
    ApprovalStep.objects.filter(unit=unit).delete()
    for order, (label, role) in enumerate(steps, start=1):
        ApprovalStep.objects.create(unit=unit, order=order, label=label, role=role)
    audit.record(
        actor=actor,
        action="update",
        unit=unit,
        object_type="documents.approvalstep",
        object_id=str(unit.pk),
        object_repr=_("Sign-off steps"),
        changes={"steps": [before, [f"{label}:{role}" for label, role in steps]]},
    )


def step_state(version: DocumentVersion) -> list[dict]:
    """Each step with its latest counting decision: what the sign-off block shows."""
    approvals = list(version.approvals.order_by("at", "pk"))
    for approval in approvals:
        approval.version = version  # `counts` compares with this version's hash
    state = []
    for step in steps_for(version.document.unit):
        latest = None
        for approval in approvals:
            if approval.step_order == step.order and approval.counts:
                latest = approval
        state.append(
            {
                "step": step,
                "approval": latest,
                "done": bool(latest) and latest.decision == Decision.APPROVED,
            }
        )
    return state


def current_step(version: DocumentVersion) -> Step | None:
    if version.status != VersionStatus.IN_REVIEW:
        return None
    for item in step_state(version):
        if not item["done"]:
            return item["step"]
    return None


def can_sign(user, version: DocumentVersion) -> bool:
    step = current_step(version)
    return step is not None and step.role in org.roles_in(user, version.document.unit)


# ---------------------------------------------------------------- register


def _refresh_version_search(version: DocumentVersion) -> None:
    parts = [version.document.code, version.document.title, version.change_note]
    for value in version.content.values():
        if isinstance(value, str):
            parts.append(value)
        elif isinstance(value, list):
            for row in value:
                parts.extend(str(v) for v in (row.values() if isinstance(row, dict) else [row]))
    version.search_text = fold(" ".join(parts))


def _set_content(version: DocumentVersion, content: dict) -> None:
    merged = empty_content()
    merged.update(content or {})
    version.content = merged
    version.content_sha256 = content_sha256(merged)
    _refresh_version_search(version)


@transaction.atomic
def create_document(
    actor,
    *,
    unit: Unit,
    code: str,
    title: str,
    kind: str,
    division: str = "",
    owner=None,
    review_interval_months: int = 12,
    audience_roles: list | None = None,
    audience_divisions: list | None = None,
    content: dict | None = None,
    template=None,
) -> Document:
    """A new document with its first draft (issue 1)."""
    require(actor, "documents.edit", unit)
    if not unit.is_active:
        raise ValidationError(_("%s has ended: it cannot have new documents.") % unit)
    document = Document(
        unit=unit,
        code=code.strip(),
        title=title.strip(),
        kind=kind,
        division=division,
        owner=owner,
        review_interval_months=review_interval_months,
        audience_roles=audience_roles or [],
        audience_divisions=audience_divisions or [],
        template=template,
    )
    if Document.objects.filter(unit=unit, code=document.code).exists():
        raise ValidationError({"code": _("This agency already has a document with this code.")})
    document.refresh_search_text()
    document.full_clean()
    document.save()
    version = DocumentVersion(document=document, issue_no=1, created_by=_user(actor))
    _set_content(version, content or {})
    version.save()
    audit.record(
        actor=actor,
        action="create",
        obj=document,
        unit=unit,
        changes=audit.diff(None, audit.snapshot(document, Document.AUDIT_FIELDS)),
    )
    return document


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


@transaction.atomic
def update_document(actor, document: Document, **fields) -> Document:
    require(actor, "documents.edit", document)
    before = audit.snapshot(document, Document.AUDIT_FIELDS)
    for key, value in fields.items():
        setattr(document, key, value)
    document.refresh_search_text()
    document.full_clean(validate_unique=False)
    if (
        Document.objects.filter(unit=document.unit, code=document.code)
        .exclude(pk=document.pk)
        .exists()
    ):
        raise ValidationError({"code": _("This agency already has a document with this code.")})
    document.save()
    changes = audit.diff(before, audit.snapshot(document, Document.AUDIT_FIELDS))
    if changes:
        audit.record(
            actor=actor, action="update", obj=document, unit=document.unit, changes=changes
        )
    return document


# ---------------------------------------------------------------- a version's life


def _transition(actor, version: DocumentVersion, status: str, note: str = "", **extra) -> None:
    before = version.status
    version.status = status
    for key, value in extra.items():
        setattr(version, key, value)
    version.save()
    audit.record(
        actor=actor,
        action=f"version_{status}",
        obj=version,
        unit=version.document.unit,
        changes={"status": [before, status], **{k: [None, v] for k, v in extra.items()}},
        note=note,
    )


@transaction.atomic
def edit_draft(
    actor,
    version: DocumentVersion,
    *,
    content: dict | None = None,
    change_note: str | None = None,
    legal_references=None,
) -> DocumentVersion:
    """Change a draft. Sign-offs made on other content stop counting by themselves."""
    require(actor, "documents.edit", version)
    version = DocumentVersion.objects.select_for_update().get(pk=version.pk)
    if not version.is_editable:
        raise ValidationError(_("Only a draft can be changed. Start a new issue instead."))
    before_hash = version.content_sha256
    if content is not None:
        _set_content(version, content)
    if change_note is not None:
        version.change_note = change_note
        _refresh_version_search(version)
    version.save()
    if legal_references is not None:
        version.legal_references.set(legal_references)
    audit.record(
        actor=actor,
        action="version_edit",
        obj=version,
        unit=version.document.unit,
        changes={"content_sha256": [before_hash, version.content_sha256]}
        if before_hash != version.content_sha256
        else {},
        note=change_note or "",
    )
    return version


def _signer_title(user, unit: Unit, role: str | None = None) -> str:
    memberships = org.active_memberships(user).filter(unit=unit)
    if role:
        memberships = memberships.filter(role=role)
    membership = memberships.exclude(title="").first() or memberships.first()
    if membership is None:
        return ""
    return membership.title or membership.get_role_display()


def _sign(
    actor,
    version: DocumentVersion,
    step_order: int,
    label: str,
    decision: str,
    comment: str,
    role=None,
):
    return Approval.objects.create(
        version=version,
        step_order=step_order,
        step_label=str(label),
        user=actor,
        user_name=actor.display_name,
        user_title=_signer_title(actor, version.document.unit, role),
        decision=decision,
        comment=comment,
        at=timezone.now(),
        content_sha256=version.content_sha256,
    )


@transaction.atomic
def submit_for_review(actor, version: DocumentVersion, *, comment: str = "") -> DocumentVersion:
    """The author signs "drafted" and sends the draft to the first step."""
    require(actor, "documents.edit", version)
    version = DocumentVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != VersionStatus.DRAFT:
        raise ValidationError(_("Only a draft can be sent for review."))
    if actor is not None:
        _sign(actor, version, 0, DRAFTED, Decision.DRAFTED, comment)
    _transition(actor, version, VersionStatus.IN_REVIEW, comment, submitted_at=timezone.now())
    return _advance(actor, version)


def _advance(actor, version: DocumentVersion) -> DocumentVersion:
    if current_step(version) is None and version.status == VersionStatus.IN_REVIEW:
        _transition(actor, version, VersionStatus.APPROVED, approved_at=timezone.now())
    return version


@transaction.atomic
def decide(actor, version: DocumentVersion, *, approve: bool, comment: str = "") -> DocumentVersion:
    """The holder of the current step's role approves, or returns the draft with comments."""
    version = DocumentVersion.objects.select_for_update().get(pk=version.pk)
    step = current_step(version)
    if step is None:
        raise ValidationError(_("This version is not waiting for a sign-off."))
    if actor is None or step.role not in org.roles_in(actor, version.document.unit):
        raise PermissionDenied(
            _("This step is for the %(role)s.") % {"role": Role(step.role).label}
        )
    if not approve and not comment.strip():
        raise ValidationError(_("Say what must change when returning a draft."))
    _sign(
        actor,
        version,
        step.order,
        step.label,
        Decision.APPROVED if approve else Decision.REJECTED,
        comment,
        step.role,
    )
    if not approve:
        _transition(actor, version, VersionStatus.DRAFT, comment)
        return version
    return _advance(actor, version)


@transaction.atomic
def make_effective(
    actor, version: DocumentVersion, *, effective_from: dt.date | None = None
) -> DocumentVersion:
    """Set the date an approved version takes effect; it becomes effective on that day
    (now if the date is today or past, else by `activate_due_versions`)."""
    require(actor, "documents.publish", version)
    version = DocumentVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != VersionStatus.APPROVED:
        raise ValidationError(_("Only an approved version can take effect."))
    invalid = [s for s in step_state(version) if not s["done"]]
    if invalid:
        raise ValidationError(
            _("The content changed after it was signed: it must be signed again.")
        )
    version.effective_from = effective_from or timezone.localdate()
    version.save(update_fields=["effective_from"])
    if version.effective_from <= timezone.localdate():
        _activate(actor, version)
    else:
        audit.record(
            actor=actor,
            action="version_scheduled",
            obj=version,
            unit=version.document.unit,
            changes={"effective_from": [None, version.effective_from]},
        )
    return version


def _activate(actor, version: DocumentVersion) -> None:
    from . import awareness, legal

    document = version.document
    now = timezone.now()
    for previous in document.versions.filter(status=VersionStatus.EFFECTIVE).exclude(pk=version.pk):
        _transition(actor, previous, VersionStatus.SUPERSEDED, ended_at=now)
    _transition(actor, version, VersionStatus.EFFECTIVE)
    document.next_review_due = add_months(version.effective_from, document.review_interval_months)
    document.save(update_fields=["next_review_due", "updated_at"])
    awareness.assign_read_tasks(version)
    legal.close_update_tasks_for(version, actor=actor)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months later, or the last day of that month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


_add_months = add_months  # the name the review-date tests know it by


def activate_due_versions(today: dt.date | None = None) -> int:
    """Daily: approved versions whose effective date has come become effective."""
    today = today or timezone.localdate()
    count = 0
    due = DocumentVersion.objects.filter(status=VersionStatus.APPROVED, effective_from__lte=today)
    for version in due.select_related("document__unit"):
        with transaction.atomic():
            _activate(None, version)
        count += 1
    return count


@transaction.atomic
def start_revision(
    actor,
    document: Document,
    *,
    description: str,
    request: str = "",
    section: str = "",
) -> DocumentVersion:
    """A new draft with the next issue number, copied from the current version, and
    its change-log entry."""
    require(actor, "documents.edit", document)
    if not description.strip():
        raise ValidationError(_("Describe the change."))
    if document.versions.filter(status__in=IN_PROGRESS).exists():
        raise ValidationError(_("This document already has a version in progress."))
    base = (
        document.versions.filter(status=VersionStatus.EFFECTIVE).first()
        or document.versions.order_by("-issue_no").first()
    )
    issue_no = (
        document.versions.order_by("-issue_no").values_list("issue_no", flat=True).first() or 0
    ) + 1
    version = DocumentVersion(
        document=document,
        issue_no=issue_no,
        based_on=base,
        created_by=_user(actor),
        change_note=description,
    )
    _set_content(version, copy.deepcopy(base.content) if base else {})
    version.save()
    if base is not None:
        version.legal_references.set(base.legal_references.all())
    ChangeLogEntry.objects.create(
        version=version,
        request=request,
        section=section,
        description=description,
        issue_no=issue_no,
        date=timezone.localdate(),
    )
    audit.record(
        actor=actor,
        action="version_create",
        obj=version,
        unit=document.unit,
        changes={"issue_no": [None, issue_no]},
        note=description,
    )
    return version


@transaction.atomic
def withdraw(actor, document: Document, *, reason: str) -> None:
    """Withdraw a document: its effective version becomes obsolete ("hết hiệu lực")."""
    from . import legal

    require(actor, "documents.publish", document)
    if not reason.strip():
        raise ValidationError(_("Give the reason for withdrawing the document."))
    now = timezone.now()
    for version in document.versions.filter(status=VersionStatus.EFFECTIVE):
        _transition(actor, version, VersionStatus.OBSOLETE, reason, ended_at=now)
    for version in document.versions.filter(status__in=IN_PROGRESS):
        _transition(actor, version, VersionStatus.OBSOLETE, reason, ended_at=now)
    document.next_review_due = None
    document.save(update_fields=["next_review_due", "updated_at"])
    legal.close_update_tasks_of_withdrawn(document, actor=actor)


def change_log(version: DocumentVersion):
    """Every change-log entry up to this version's issue (what the document prints)."""
    return ChangeLogEntry.objects.filter(
        version__document=version.document, issue_no__lte=version.issue_no
    ).order_by("issue_no", "pk")
