"""Every write of nonconformities and corrective actions (ISO 9001:2015, 10.2).

Each function checks the actor's permission (`actor` None is the system), runs in a
transaction and writes an audit entry.

Dates (done_on, created_on, analysed_on, evaluated_on, closed_on) default to today;
a caller recording what happened earlier (entry after the fact, the demo) may pass them.

Status flow: open -> analysed (root cause recorded) -> actions in progress (an
action added) -> awaiting effectiveness (every action done) -> closed. An
evaluation "not effective" sends the nonconformity back to analysed, where the
analysis is revisited and new actions are added. Closing is refused until every
action is done and the effectiveness was evaluated effective.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from govqms.core import audit
from govqms.core.calendar import Calendar, CalendarRangeError
from govqms.core.notifications import notify
from govqms.core.permissions import require
from govqms.organizations.models import Membership, Role, Unit

from .models import (
    ActionStatus,
    CorrectiveAction,
    Grade,
    Nonconformity,
    Source,
    Status,
)

MAX_WHYS = 5
REMIND_WORKING_DAYS = 3
ACTION_FIELDS = CorrectiveAction.AUDIT_FIELDS
NC_FIELDS = Nonconformity.AUDIT_FIELDS


def _today() -> dt.date:
    return timezone.localdate()


def _record(actor, action: str, obj, before: dict | None, note: str = ""):
    fields = ACTION_FIELDS if isinstance(obj, CorrectiveAction) else NC_FIELDS
    unit = obj.nonconformity.unit if isinstance(obj, CorrectiveAction) else obj.unit
    audit.record(
        actor=actor,
        action=action,
        obj=obj,
        unit=unit,
        changes=audit.diff(before, audit.snapshot(obj, fields)),
        note=note,
    )
    if isinstance(obj, CorrectiveAction):
        # The nonconformity's history shows its actions too.
        audit.record(
            actor=actor,
            action=action,
            obj=obj.nonconformity,
            unit=unit,
            changes=audit.diff(before, audit.snapshot(obj, fields)),
            note=note or obj.text[:200],
        )


def nc_url(nc: Nonconformity) -> str:
    return reverse("nc_detail", args=[nc.unit_id, nc.pk])


def _locked(nc: Nonconformity) -> Nonconformity:
    return Nonconformity.objects.select_for_update().select_related("unit").get(pk=nc.pk)


def _not_closed(nc: Nonconformity) -> None:
    if nc.status == Status.CLOSED:
        raise ValidationError(_("This nonconformity is closed."))


# ---------------------------------------------------------------- opening


def _next_seq(unit: Unit, year: int) -> int:
    last = (
        Nonconformity.objects.filter(unit=unit, year=year)
        .order_by("-seq")
        .values_list("seq", flat=True)
        .first()
    )
    return (last or 0) + 1


def _local_url(url) -> str:
    """The link to the source record: a page of this site (a path), never a
    `javascript:`, `data:` or other site's address (it is rendered as a link)."""
    url = str(url or "")
    if not url:
        return ""
    if (
        url != url.strip()
        or not url.startswith("/")
        or url.startswith("//")
        or "\\" in url
        or any(ord(ch) < 32 for ch in url)
    ):
        raise ValidationError(_("The link to the source must be a page of this site."))
    return url


def open_nonconformity(
    actor,
    *,
    unit: Unit,
    source_kind: str,
    source_id: str = "",
    source_label: str = "",
    source_url: str = "",
    title: str,
    description: str = "",
    clause: str = "",
    process=None,
    grade: str = "",
    due_date=None,
    detected_on=None,
) -> Nonconformity:
    """Open a nonconformity of `unit` (see CONTRACTS.md). Idempotent per
    (unit, source_kind, source_id) when `source_id` is given."""
    require(actor, "improvement.open", unit)
    source_id = str(source_id or "").strip()
    if source_kind not in Source.values:
        raise ValidationError(_("Unknown source of nonconformity: %s") % source_kind)
    if grade not in ("", *Grade.values):
        raise ValidationError(_("Unknown grade: %s") % grade)
    title = (title or "").strip()
    if not title:
        raise ValidationError(_("A nonconformity needs a title."))
    if process is not None and process.unit_id != unit.pk:
        raise ValidationError(_("The process must be a document of the same agency."))
    source_url = _local_url(source_url)
    if source_id:
        existing = Nonconformity.objects.filter(
            unit=unit, source_kind=source_kind, source_id=source_id
        ).first()
        if existing is not None:
            return existing
    detected_on = detected_on or _today()
    try:
        with transaction.atomic():
            Unit.objects.select_for_update().filter(pk=unit.pk).first()
            year = detected_on.year
            seq = _next_seq(unit, year)
            nc = Nonconformity.objects.create(
                unit=unit,
                year=year,
                seq=seq,
                number=f"NC-{year}-{seq:03d}",
                source_kind=source_kind,
                source_id=source_id,
                source_label=(source_label or "")[:300],
                source_url=(source_url or "")[:500],
                title=title[:300],
                description=description or "",
                clause=(clause or "").strip()[:20],
                process=process,
                grade=grade or "",
                detected_on=detected_on,
                due_date=due_date,
                raised_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            _record(actor, "nc_open", nc, None)
    except IntegrityError:
        if source_id:
            existing = Nonconformity.objects.filter(
                unit=unit, source_kind=source_kind, source_id=source_id
            ).first()
            if existing is not None:
                return existing
        raise
    return nc


def update_nonconformity(actor, nc: Nonconformity, **fields) -> Nonconformity:
    """Edit the description fields (title, description, clause, process, grade,
    due date) of an open nonconformity."""
    allowed = {"title", "description", "clause", "process", "grade", "due_date"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(_("These fields cannot be changed here: %s") % ", ".join(unknown))
    require(actor, "improvement.manage", nc)
    with transaction.atomic():
        nc = _locked(nc)
        _not_closed(nc)
        before = audit.snapshot(nc, NC_FIELDS)
        if "title" in fields and not (fields["title"] or "").strip():
            raise ValidationError(_("A nonconformity needs a title."))
        process = fields.get("process")
        if process is not None and process.unit_id != nc.unit_id:
            raise ValidationError(_("The process must be a document of the same agency."))
        for name, value in fields.items():
            setattr(nc, name, value if value is not None or name in ("process", "due_date") else "")
        nc.save()
        _record(actor, "nc_update", nc, before)
    return nc


# ---------------------------------------------------------------- correction and analysis


def record_correction(actor, nc: Nonconformity, *, text: str, done_on=None) -> Nonconformity:
    """The correction done at once (containment), by the actor."""
    require(actor, "improvement.manage", nc)
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Describe the correction."))
    with transaction.atomic():
        nc = _locked(nc)
        _not_closed(nc)
        before = audit.snapshot(nc, NC_FIELDS)
        nc.correction = text
        nc.correction_by = actor
        nc.correction_on = done_on or _today()
        nc.save()
        _record(actor, "nc_correction", nc, before)
    return nc


def clean_whys(whys) -> list[dict]:
    """Up to five why/because pairs; empty pairs dropped."""
    cleaned = []
    for pair in whys or []:
        why = str((pair or {}).get("why", "") or "").strip()
        because = str((pair or {}).get("because", "") or "").strip()
        if why or because:
            cleaned.append({"why": why[:500], "because": because[:500]})
    if len(cleaned) > MAX_WHYS:
        raise ValidationError(_("At most five whys."))
    return cleaned


def record_analysis(
    actor, nc: Nonconformity, *, whys, root_cause: str, analysed_on=None
) -> Nonconformity:
    """The root cause analysis: the five whys and the root cause statement."""
    require(actor, "improvement.manage", nc)
    root_cause = (root_cause or "").strip()
    if not root_cause:
        raise ValidationError(_("State the root cause."))
    whys = clean_whys(whys)
    with transaction.atomic():
        nc = _locked(nc)
        _not_closed(nc)
        before = audit.snapshot(nc, NC_FIELDS)
        if root_cause != nc.root_cause and nc.effective is not None:
            # The evaluation judged the actions against the old root cause.
            nc.effective = None
        nc.whys = whys
        nc.root_cause = root_cause
        nc.analysed_by = actor
        nc.analysed_on = analysed_on or _today()
        if nc.status == Status.OPEN:
            nc.status = Status.ANALYSED
        nc.save()
        _record(actor, "nc_analysis", nc, before)
    return nc


# ---------------------------------------------------------------- actions


def _check_owner(unit: Unit, owner) -> None:
    if owner is None or not Membership.objects.active_on().filter(unit=unit, user=owner).exists():
        raise ValidationError(_("The owner of an action must be a member of the agency."))


def _sync_status(nc: Nonconformity) -> None:
    """Actions in progress while any is open; awaiting effectiveness when all are done."""
    if nc.status in (Status.OPEN, Status.CLOSED):
        return
    actions = list(nc.actions.all())
    if not actions:
        nc.status = Status.ANALYSED
    elif any(a.status == ActionStatus.OPEN for a in actions):
        nc.status = Status.IN_PROGRESS
    else:
        nc.status = Status.AWAITING_EFFECTIVENESS


def add_action(
    actor, nc: Nonconformity, *, text: str, owner, due_date, created_on=None
) -> CorrectiveAction:
    """A corrective action with its owner and due date. The root cause must be
    known first (the action addresses it)."""
    require(actor, "improvement.manage", nc)
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Describe the action."))
    if due_date is None:
        raise ValidationError(_("An action needs a due date."))
    with transaction.atomic():
        nc = _locked(nc)
        _not_closed(nc)
        if nc.status == Status.OPEN or not nc.root_cause:
            raise ValidationError(
                _("Record the root cause analysis before adding corrective actions.")
            )
        _check_owner(nc.unit, owner)
        action = CorrectiveAction.objects.create(
            nonconformity=nc,
            text=text,
            owner=owner,
            due_date=due_date,
            created_on=created_on or _today(),
        )
        before_nc = audit.snapshot(nc, NC_FIELDS)
        # A new action after an evaluation needs a new evaluation.
        nc.effective = None
        _sync_status(nc)
        nc.save()
        _record(actor, "nc_action_add", action, None)
        if audit.diff(before_nc, audit.snapshot(nc, NC_FIELDS)):
            _record(actor, "nc_update", nc, before_nc)
    if owner != actor:
        notify(
            [owner],
            key=f"improvement:action_assigned:{action.pk}",
            subject=_("Corrective action assigned to you: %(number)s") % {"number": nc.number},
            body=f"{text}\n{_('Due')}: {due_date:%d/%m/%Y}",
            url=nc_url(nc),
            unit=nc.unit,
            kind="improvement",
        )
    return action


def complete_action(
    actor, action: CorrectiveAction, *, evidence: str = "", done_on=None
) -> CorrectiveAction:
    """Mark an action done (its owner, or a manager of the agency)."""
    require(actor, "improvement.complete_action", action)
    with transaction.atomic():
        nc = _locked(action.nonconformity)
        _not_closed(nc)
        action = CorrectiveAction.objects.select_for_update().get(pk=action.pk)
        if action.status == ActionStatus.DONE:
            raise ValidationError(_("This action is already done."))
        before = audit.snapshot(action, ACTION_FIELDS)
        action.status = ActionStatus.DONE
        action.done_on = done_on or _today()
        action.evidence = (evidence or "").strip()
        action.save()
        _record(actor, "nc_action_done", action, before)
        before_nc = audit.snapshot(nc, NC_FIELDS)
        _sync_status(nc)
        nc.save()
        if audit.diff(before_nc, audit.snapshot(nc, NC_FIELDS)):
            _record(actor, "nc_update", nc, before_nc)
    return action


# ---------------------------------------------------------------- effectiveness and closing


def evaluate(
    actor,
    nc: Nonconformity,
    *,
    effective: bool,
    comment: str = "",
    improvements: str = "",
    evaluated_on=None,
) -> Nonconformity:
    """Evaluate the effectiveness of the actions taken. Not effective sends the
    nonconformity back to analysis (new root cause, new actions)."""
    require(actor, "improvement.manage", nc)
    with transaction.atomic():
        nc = _locked(nc)
        _not_closed(nc)
        actions = list(nc.actions.all())
        if not actions or any(a.status != ActionStatus.DONE for a in actions):
            raise ValidationError(
                _("Effectiveness can be evaluated only when every corrective action is done.")
            )
        before = audit.snapshot(nc, NC_FIELDS)
        nc.effective = bool(effective)
        nc.evaluated_by = actor
        nc.evaluated_on = evaluated_on or _today()
        nc.evaluation_comment = (comment or "").strip()
        nc.improvements = (improvements or "").strip()
        nc.status = Status.AWAITING_EFFECTIVENESS if effective else Status.ANALYSED
        nc.save()
        _record(actor, "nc_evaluate", nc, before)
    return nc


def close_problems(nc: Nonconformity) -> list[str]:
    """Why this nonconformity cannot be closed yet (empty: it can)."""
    problems = []
    actions = list(nc.actions.all())
    if not nc.root_cause:
        problems.append(_("The root cause has not been analysed."))
    if not actions:
        problems.append(_("No corrective action has been recorded."))
    open_count = sum(1 for a in actions if a.status != ActionStatus.DONE)
    if open_count:
        problems.append(
            ngettext(
                "%(count)d corrective action is not done yet.",
                "%(count)d corrective actions are not done yet.",
                open_count,
            )
            % {"count": open_count}
        )
    if nc.effective is None:
        problems.append(_("The effectiveness of the actions has not been evaluated."))
    elif nc.effective is False:
        problems.append(
            _("The actions were evaluated as not effective: revise the analysis and actions.")
        )
    return problems


def close(actor, nc: Nonconformity, *, closed_on=None) -> Nonconformity:
    """Close the nonconformity: refused until every action is done and the
    effectiveness was evaluated effective."""
    require(actor, "improvement.manage", nc)
    with transaction.atomic():
        nc = _locked(nc)
        _not_closed(nc)
        problems = close_problems(nc)
        if problems:
            raise ValidationError(
                _("This nonconformity cannot be closed yet: %(reasons)s")
                % {"reasons": " ".join(problems)}
            )
        before = audit.snapshot(nc, NC_FIELDS)
        nc.status = Status.CLOSED
        nc.closed_on = closed_on or _today()
        nc.closed_by = actor
        nc.save()
        _record(actor, "nc_close", nc, before)
    return nc


# ---------------------------------------------------------------- daily escalation


def _heads(unit: Unit):
    return [
        m.user
        for m in Membership.objects.active_on()
        .filter(unit=unit, role=Role.HEAD)
        .select_related("user")
    ]


def escalate_actions(today: dt.date) -> int:
    """The daily sweep: remind each open action's owner within 3 working days before
    its due date, and tell the agency's head (and the owner) once it is overdue.
    Idempotent: each notification has a key per action and due date."""
    count = 0
    calendars: dict[str, Calendar] = {}
    heads: dict[int, list] = {}  # per agency, not per action
    actions = (
        CorrectiveAction.objects.filter(status=ActionStatus.OPEN)
        .exclude(nonconformity__status=Status.CLOSED)
        .select_related("nonconformity__unit", "owner")
    )
    for action in actions.iterator(chunk_size=500):
        nc = action.nonconformity
        unit = nc.unit
        due = action.due_date
        url = nc_url(nc)
        if due < today:
            subject = _("Overdue corrective action: %(number)s, due %(due)s") % {
                "number": nc.number,
                "due": due.strftime("%d/%m/%Y"),
            }
            body = f"{nc.title}\n{action.text}\n{_('Owner')}: {action.owner}"
            if unit.pk not in heads:
                heads[unit.pk] = _heads(unit)
            count += len(
                notify(
                    heads[unit.pk],
                    key=f"improvement:action_overdue:{action.pk}:{due.isoformat()}",
                    subject=subject,
                    body=body,
                    url=url,
                    unit=unit,
                    kind="improvement",
                )
            )
            count += len(
                notify(
                    [action.owner],
                    key=f"improvement:action_overdue_owner:{action.pk}:{due.isoformat()}",
                    subject=subject,
                    body=body,
                    url=url,
                    unit=unit,
                    kind="improvement",
                )
            )
            continue
        scope = unit.province or ""
        if scope not in calendars:
            calendars[scope] = Calendar.for_scope(scope)
        try:
            left = calendars[scope].working_days_between(today, due)
        except CalendarRangeError:
            left = (due - today).days
        if left <= REMIND_WORKING_DAYS:
            count += len(
                notify(
                    [action.owner],
                    key=f"improvement:action_due:{action.pk}:{due.isoformat()}",
                    subject=_("Corrective action due on %(due)s: %(number)s")
                    % {"number": nc.number, "due": due.strftime("%d/%m/%Y")},
                    body=f"{nc.title}\n{action.text}",
                    url=url,
                    unit=unit,
                    kind="improvement",
                )
            )
    return count
