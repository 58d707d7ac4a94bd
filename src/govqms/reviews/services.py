"""Every write of management reviews: plan, edit, hold (which freezes the inputs),
comment, issue the minutes, record decisions and update their actions; the daily
sweep that reminds owners and heads of overdue actions.

Each function checks the actor's permission (`actor` None is the system), runs in
a transaction and writes an audit entry."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from govqms.core import audit
from govqms.core.notifications import notify
from govqms.core.permissions import require
from govqms.organizations.models import Membership, Role, Unit

from . import (
    inputs,
    rules,  # noqa: F401  (registers the permissions)
)
from .models import (
    ActionStatus,
    DecisionKind,
    ManagementReview,
    ReviewDecision,
    ReviewStatus,
)

EDIT_FIELDS = [
    "title",
    "planned_date",
    "place",
    "chair",
    "secretary",
    "guests",
    "period_start",
    "period_end",
    "number",
    "external_providers",
    "resources",
]


def _members(unit: Unit):
    return Membership.objects.active_on().filter(unit=unit)


def _check_people(unit: Unit, chair=None, secretary=None, attendees=()) -> None:
    member_ids = set(_members(unit).values_list("user_id", flat=True))
    errors = {}
    if chair is not None and chair.pk not in member_ids:
        errors["chair"] = _("The chair must be a member of the agency.")
    if secretary is not None and secretary.pk not in member_ids:
        errors["secretary"] = _("The secretary must be a member of the agency.")
    if any(u.pk not in member_ids for u in attendees):
        errors["attendees"] = _("Attendees must be members of the agency; add others as guests.")
    if errors:
        raise ValidationError(errors)


def default_period(unit: Unit, planned_date: dt.date) -> tuple[dt.date, dt.date]:
    """Since the day after the previous held review, or else the last 12 months."""
    previous = (
        ManagementReview.objects.filter(unit=unit, held_at__isnull=False)
        .filter(held_at__date__lt=planned_date)
        .order_by("-held_at")
        .first()
    )
    end = planned_date
    if previous is not None:
        start = timezone.localtime(previous.held_at).date() + dt.timedelta(days=1)
    else:
        try:
            start = planned_date.replace(year=planned_date.year - 1) + dt.timedelta(days=1)
        except ValueError:  # 29 February
            start = planned_date.replace(year=planned_date.year - 1, day=28) + dt.timedelta(days=1)
    return start, end


def _check_period(start, end) -> None:
    if start and end and start > end:
        raise ValidationError({"period_end": _("The period must end after it starts.")})


@transaction.atomic
def plan_review(
    actor,
    unit: Unit,
    *,
    title: str,
    planned_date: dt.date,
    chair=None,
    secretary=None,
    attendees=(),
    place: str = "",
    guests: str = "",
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    number: str = "",
    external_providers: str = "",
    resources: str = "",
) -> ManagementReview:
    require(actor, "reviews.manage", unit)
    if not (title or "").strip():
        raise ValidationError({"title": _("A review needs a title.")})
    attendees = list(attendees or [])
    _check_people(unit, chair, secretary, attendees)
    if period_start is None or period_end is None:
        default_start, default_end = default_period(unit, planned_date)
        period_start = period_start or default_start
        period_end = period_end or default_end
    _check_period(period_start, period_end)
    review = ManagementReview(
        unit=unit,
        title=title.strip(),
        planned_date=planned_date,
        chair=chair,
        secretary=secretary if secretary is not None else actor,
        place=place,
        guests=guests,
        period_start=period_start,
        period_end=period_end,
        number=number,
        external_providers=external_providers,
        resources=resources,
        created_by=actor,
    )
    review.refresh_search_text()
    review.save()
    review.attendees.set(attendees)
    audit.record(
        actor=actor,
        action="review_planned",
        obj=review,
        unit=unit,
        changes=audit.diff(None, audit.snapshot(review, ManagementReview.AUDIT_FIELDS)),
    )
    return review


@transaction.atomic
def update_review(actor, review: ManagementReview, *, attendees=None, **fields) -> ManagementReview:
    require(actor, "reviews.manage", review)
    review = ManagementReview.objects.select_for_update().get(pk=review.pk)
    if review.status == ReviewStatus.MINUTES_ISSUED:
        raise ValidationError(_("The minutes are issued: the review can no longer be changed."))
    unknown = set(fields) - set(EDIT_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {unknown}")
    if review.is_frozen:
        # The period and the manual inputs are part of the frozen inputs.
        locked = {"period_start", "period_end", "external_providers", "resources"}
        for name in locked & set(fields):
            if fields[name] != getattr(review, name):
                raise ValidationError(
                    {name: _("The inputs are frozen since the meeting was held.")}
                )
    _check_people(
        review.unit,
        fields.get("chair"),
        fields.get("secretary"),
        attendees if attendees is not None else (),
    )
    before = audit.snapshot(review, ManagementReview.AUDIT_FIELDS)
    for name, value in fields.items():
        setattr(review, name, value)
    if not (review.title or "").strip():
        raise ValidationError({"title": _("A review needs a title.")})
    _check_period(review.period_start, review.period_end)
    review.refresh_search_text()
    review.save()
    changes = audit.diff(before, audit.snapshot(review, ManagementReview.AUDIT_FIELDS))
    if attendees is not None:
        old = sorted(review.attendees.values_list("pk", flat=True))
        review.attendees.set(attendees)
        new = sorted(u.pk for u in attendees)
        if old != new:
            changes["attendees"] = [old, new]
    audit.record(
        actor=actor, action="review_updated", obj=review, unit=review.unit, changes=changes
    )
    return review


@transaction.atomic
def hold_review(
    actor, review: ManagementReview, *, held_at: dt.datetime | None = None
) -> ManagementReview:
    """The meeting took place: its inputs are compiled one last time and frozen."""
    require(actor, "reviews.manage", review)
    review = ManagementReview.objects.select_for_update().get(pk=review.pk)
    if review.status != ReviewStatus.PLANNED:
        raise ValidationError(_("This review has already been held."))
    if review.chair_id is None:
        raise ValidationError({"chair": _("Name the chair before holding the meeting.")})
    before = audit.snapshot(review, ManagementReview.AUDIT_FIELDS)
    review.held_at = held_at or timezone.now()
    review.frozen_inputs = inputs.compile_inputs(
        review.unit, review.period_start, review.period_end, review=review, reader=actor
    )
    review.frozen_at = timezone.now()
    review.status = ReviewStatus.HELD
    review.save()
    audit.record(
        actor=actor,
        action="review_held",
        obj=review,
        unit=review.unit,
        changes=audit.diff(before, audit.snapshot(review, ManagementReview.AUDIT_FIELDS)),
        note=_("Inputs frozen."),
    )
    return review


@transaction.atomic
def set_comment(actor, review: ManagementReview, key: str, text: str) -> ManagementReview:
    """The chair's comment or conclusion on one input."""
    require(actor, "reviews.manage", review)
    if key not in inputs.KEYS:
        raise ValidationError(_("Unknown input."))
    review = ManagementReview.objects.select_for_update().get(pk=review.pk)
    if review.status == ReviewStatus.MINUTES_ISSUED:
        raise ValidationError(_("The minutes are issued: the review can no longer be changed."))
    comments = dict(review.comments or {})
    old = comments.get(key, "")
    text = (text or "").strip()
    if text:
        comments[key] = text
    else:
        comments.pop(key, None)
    review.comments = comments
    review.save(update_fields=["comments", "updated_at"])
    audit.record(
        actor=actor,
        action="review_commented",
        obj=review,
        unit=review.unit,
        changes={f"comment:{key}": [old, text]},
    )
    return review


@transaction.atomic
def issue_minutes(actor, review: ManagementReview, *, number: str = "") -> ManagementReview:
    require(actor, "reviews.manage", review)
    review = ManagementReview.objects.select_for_update().get(pk=review.pk)
    if review.status != ReviewStatus.HELD:
        raise ValidationError(_("Minutes are issued once the meeting has been held."))
    before = audit.snapshot(review, ManagementReview.AUDIT_FIELDS)
    if number:
        review.number = number
    review.status = ReviewStatus.MINUTES_ISSUED
    review.minutes_issued_at = timezone.now()
    review.refresh_search_text()
    review.save()
    audit.record(
        actor=actor,
        action="review_minutes_issued",
        obj=review,
        unit=review.unit,
        changes=audit.diff(before, audit.snapshot(review, ManagementReview.AUDIT_FIELDS)),
    )
    return review


# ---------------------------------------------------------------- outputs


@transaction.atomic
def add_decision(
    actor,
    review: ManagementReview,
    *,
    kind: str,
    text: str,
    owner=None,
    due_date: dt.date | None = None,
    raise_nonconformity: bool = False,
) -> ReviewDecision:
    """A decision of the meeting (9.3.3), tracked as an action of `owner`."""
    require(actor, "reviews.manage", review)
    review = ManagementReview.objects.select_for_update().get(pk=review.pk)
    if review.status != ReviewStatus.HELD:
        raise ValidationError(
            _("Decisions are recorded once the meeting is held, before the minutes are issued.")
        )
    if kind not in DecisionKind.values:
        raise ValidationError({"kind": _("Choose the kind of decision.")})
    if not (text or "").strip():
        raise ValidationError({"text": _("Write the decision.")})
    if owner is not None and not _members(review.unit).filter(user=owner).exists():
        raise ValidationError({"owner": _("The owner must be a member of the agency.")})
    decision = ReviewDecision.objects.create(
        review=review,
        unit=review.unit,
        kind=kind,
        text=text.strip(),
        owner=owner,
        due_date=due_date,
        created_by=actor,
    )
    audit.record(
        actor=actor,
        action="review_decision_added",
        obj=decision,
        unit=review.unit,
        changes=audit.diff(None, audit.snapshot(decision, ReviewDecision.AUDIT_FIELDS)),
    )
    if owner is not None:
        notify(
            [owner],
            key=f"review_action:{decision.pk}",
            subject=_("Action from the management review: %s") % decision.text[:120],
            body=_("Due %s") % (due_date.strftime("%d/%m/%Y") if due_date else "—"),
            url=reverse("review_detail", args=[review.unit_id, review.pk]),
            unit=review.unit,
            kind="review_action",
        )
    if raise_nonconformity:
        raise_nonconformity_for(actor, decision)
    return decision


def nonconformity_available() -> bool:
    try:
        from govqms.improvement.services import open_nonconformity  # noqa: F401
    except ImportError:
        return False
    return True


@transaction.atomic
def raise_nonconformity_for(actor, decision: ReviewDecision) -> ReviewDecision:
    """Open a nonconformity (improvement app) from a decision; idempotent there."""
    require(actor, "reviews.manage", decision)
    try:
        from govqms.improvement.services import open_nonconformity
    except ImportError:
        raise ValidationError(_("Nonconformities are not available yet.")) from None
    review = decision.review
    nc = open_nonconformity(
        actor,
        unit=decision.unit,
        source_kind="management_review",
        source_id=str(decision.pk),
        source_label=f"{review.title}: {decision.text[:200]}",
        source_url=reverse("review_detail", args=[decision.unit_id, review.pk]),
        title=decision.text[:300],
        description=decision.text,
        clause="9.3.3",
        due_date=decision.due_date,
    )
    decision.nonconformity_id = str(nc.pk)
    decision.nonconformity_label = str(nc)[:300]
    try:
        decision.nonconformity_url = reverse("nc_detail", args=[decision.unit_id, nc.pk])
    except NoReverseMatch:
        decision.nonconformity_url = ""
    decision.save(update_fields=["nonconformity_id", "nonconformity_label", "nonconformity_url"])
    audit.record(
        actor=actor,
        action="review_nonconformity_raised",
        obj=decision,
        unit=decision.unit,
        changes={"nonconformity": [None, str(nc.pk)]},
    )
    return decision


@transaction.atomic
def update_action(
    actor,
    decision: ReviewDecision,
    *,
    status: str | None = None,
    done_on: dt.date | None = None,
    evidence: str | None = None,
    owner=None,
    due_date=None,
    text: str | None = None,
) -> ReviewDecision:
    """The owner (or a manager) reports progress; managers may also reassign or move
    the due date."""
    require(actor, "reviews.update_action", decision)
    decision = (
        ReviewDecision.objects.select_for_update().select_related("review").get(pk=decision.pk)
    )
    manager = actor is None or actor.has_perm("reviews.manage", decision)
    before = audit.snapshot(decision, ReviewDecision.AUDIT_FIELDS)
    if owner is not None or due_date is not None or text is not None:
        if not manager:
            raise PermissionDenied(_("Only the head or the ISO secretary may change this."))
        if owner is not None:
            if not _members(decision.unit).filter(user=owner).exists():
                raise ValidationError({"owner": _("The owner must be a member of the agency.")})
            decision.owner = owner
        if due_date is not None:
            decision.due_date = due_date
        if text is not None and text.strip():
            decision.text = text.strip()
    if evidence is not None:
        decision.evidence = evidence
    if status is not None:
        if status not in ActionStatus.values:
            raise ValidationError({"status": _("Unknown status.")})
        decision.status = status
        if status == ActionStatus.DONE:
            if not (decision.evidence or "").strip():
                raise ValidationError({"evidence": _("Say what shows the action is done.")})
            decision.done_on = done_on or decision.done_on or timezone.localdate()
        else:
            decision.done_on = None
    decision.save()
    audit.record(
        actor=actor,
        action="review_action_updated",
        obj=decision,
        unit=decision.unit,
        changes=audit.diff(before, audit.snapshot(decision, ReviewDecision.AUDIT_FIELDS)),
    )
    return decision


# ---------------------------------------------------------------- daily sweep


def remind_overdue_actions(today: dt.date) -> int:
    """Tell the owner and the head of each open action past its due date, once per
    action (idempotent key)."""
    count = 0
    overdue = ReviewDecision.objects.filter(
        status=ActionStatus.OPEN, due_date__lt=today
    ).select_related("review", "owner", "unit")
    heads_by_unit: dict[int, list] = {}
    for decision in overdue:
        if decision.unit_id not in heads_by_unit:
            heads_by_unit[decision.unit_id] = [
                m.user
                for m in Membership.objects.active_on(today)
                .filter(unit_id=decision.unit_id, role=Role.HEAD)
                .select_related("user")
            ]
        users = [decision.owner, *heads_by_unit[decision.unit_id]]
        created = notify(
            users,
            key=f"review_action_overdue:{decision.pk}",
            subject=_("Overdue action from the management review: %s") % decision.text[:120],
            body=_("Was due %(due)s (%(review)s).")
            % {"due": decision.due_date.strftime("%d/%m/%Y"), "review": decision.review.title},
            url=reverse("review_detail", args=[decision.unit_id, decision.review_id]),
            unit=decision.unit,
            kind="review_action_overdue",
        )
        count += len(created)
    return count
