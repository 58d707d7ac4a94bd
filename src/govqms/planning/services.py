"""Every write of the planning records, and the daily jobs of the sweep.

Each function checks the actor (`actor` None is the system: the sweep), runs in a
transaction and writes an audit entry. Who may write: the head and the ISO
secretary everything; a process owner the measurements of objectives and the
risks of the processes they own (`selectors.can_*`). Oversight users are read-only."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from govqms.core import audit
from govqms.core.notifications import notify
from govqms.core.text import fold
from govqms.documents.models import Document, DocumentKind
from govqms.organizations.models import Unit

from . import selectors
from .models import (
    Measurement,
    Objective,
    PlanItem,
    PlanKind,
    PlanStatus,
    PolicyLink,
    Risk,
    RiskBands,
    RiskEvent,
    Source,
)


def _require(actor, allowed: bool) -> None:
    if actor is not None and not allowed:
        raise PermissionDenied(_("You may not do this."))


def _decimal(value, label) -> Decimal:
    if isinstance(value, str):
        value = value.strip().replace(",", ".")
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({label: _("Enter a number.")}) from None
    if not number.is_finite():
        raise ValidationError({label: _("Enter a number.")})
    return number.quantize(Decimal("0.01"))


# ---------------------------------------------------------------- policy


@transaction.atomic
def set_policy(actor, unit: Unit, year: int, document: Document) -> PolicyLink:
    _require(actor, selectors.can_write(actor, unit))
    if document.unit_id != unit.pk or document.kind != DocumentKind.QUALITY_POLICY:
        raise ValidationError({"document": _("Choose a quality policy of this agency.")})
    link, created = PolicyLink.objects.update_or_create(
        unit=unit, year=year, defaults={"document": document}
    )
    audit.record(
        actor=actor,
        action="create" if created else "update",
        obj=link,
        unit=unit,
        changes={"year": year, "document": [document.pk, document.code]},
        object_repr=f"{_('Quality policy')} {year}: {document.code}",
    )
    return link


# ---------------------------------------------------------------- objectives


def _objective_search(o: Objective) -> str:
    return fold(f"{o.title} {o.indicator} {o.plan_what}")


@transaction.atomic
def save_objective(
    actor, unit: Unit, data: dict, *, objective: Objective | None = None, procedures=None
) -> Objective:
    """Create (objective None) or change an objective from cleaned `data`."""
    _require(actor, selectors.can_write(actor, unit))
    before = audit.snapshot(objective, Objective.AUDIT_FIELDS) if objective else None
    # A fresh copy: a refused change leaves the caller's object as it was.
    o = Objective.objects.get(pk=objective.pk) if objective else Objective(unit=unit)
    for name in Objective.AUDIT_FIELDS:
        if name in data:
            setattr(o, name, data[name])
    o.target = _decimal(o.target, "target")
    o.tolerance = abs(_decimal(o.tolerance if o.tolerance is not None else 0, "tolerance"))
    if o.source == Source.LINKED and not o.kpi:
        raise ValidationError({"kpi": _("Choose the dossier KPI of a linked indicator.")})
    if o.source == Source.MANUAL:
        o.kpi = ""
    if o.plan_who_id and not selectors.members(unit).filter(pk=o.plan_who_id).exists():
        raise ValidationError({"plan_who": _("Choose a member of this agency.")})
    if procedures is not None:
        procedures = list(procedures)
        allowed = set(selectors.assigned_procedures(unit).values_list("pk", flat=True))
        if any(p.pk not in allowed for p in procedures):
            raise ValidationError(
                {"procedures": _("Choose administrative procedures assigned to this agency.")}
            )
    o.search_text = _objective_search(o)
    o.save()
    if procedures is not None:
        o.procedures.set(procedures)
    if objective is not None and o.last_value is not None:
        # A new target or tolerance: the current status follows; history keeps its own.
        o.last_status = selectors.status_for(o.last_value, o.target, o.direction, o.tolerance)
        o.save(update_fields=["last_status"])
    after = audit.snapshot(o, Objective.AUDIT_FIELDS)
    audit.record(
        actor=actor,
        action="update" if objective else "create",
        obj=o,
        unit=unit,
        changes=audit.diff(before, after) if objective else after,
    )
    return o


def _refresh_last(o: Objective) -> None:
    last = o.measurements.order_by("-measured_on", "-pk").first()
    o.last_value = last.value if last else None
    o.last_status = last.status if last else ""
    o.last_measured_on = last.measured_on if last else None
    o.save(update_fields=["last_value", "last_status", "last_measured_on", "updated_at"])


@transaction.atomic
def record_measurement(
    actor,
    objective: Objective,
    *,
    value,
    measured_on: dt.date | None = None,
    comment: str = "",
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
) -> Measurement:
    """A value entered by hand (any objective, manual or linked: a correction is
    written beside the automatic one, never over it)."""
    _require(actor, selectors.can_measure(actor, objective.unit))
    measured_on = measured_on or timezone.localdate()
    value = _decimal(value, "value")
    start, end = selectors.period_of(objective.schedule, measured_on)
    period_start, period_end = period_start or start, period_end or end
    if period_end < period_start:
        raise ValidationError({"period_end": _("The period ends before it starts.")})
    m = Measurement.objects.create(
        objective=objective,
        period_start=period_start,
        period_end=period_end,
        measured_on=measured_on,
        value=value,
        comment=comment,
        target=objective.target,
        status=selectors.status_for(
            value, objective.target, objective.direction, objective.tolerance
        ),
        automatic=False,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _refresh_last(objective)
    audit.record(
        actor=actor,
        action="measure",
        obj=objective,
        unit=objective.unit,
        changes={"measured_on": measured_on, "value": value, "status": m.status},
    )
    return m


def measure_linked(actor, objective: Objective, day: dt.date | None = None):
    """Measure a LINKED objective from the dossier KPI rollups for the schedule
    period containing `day` (default today), up to that day. One automatic
    measurement per period, updated as the period fills; returns it (None when
    there is nothing to measure yet: no dossier in the period)."""
    if objective.source != Source.LINKED or not objective.kpi:
        raise ValidationError(_("Only an indicator linked to a dossier KPI is measured."))
    _require(actor, selectors.can_measure(actor, objective.unit))
    day = day or timezone.localdate()
    start, end = selectors.period_of(objective.schedule, day)
    end = min(end, day)
    ids = [p.pk for p in objective.procedures.all()]
    value, basis = selectors.dossier_kpi(objective.unit, objective.kpi, ids, start, end)
    if value is None:
        return None
    with transaction.atomic():
        status = selectors.status_for(
            value, objective.target, objective.direction, objective.tolerance
        )
        m = Measurement.objects.filter(
            objective=objective, period_start=start, automatic=True
        ).first()
        if (
            m is not None
            and m.value == value
            and m.period_end == end
            and m.target == objective.target
            and m.status == status
        ):
            return m
        if m is None:
            m = Measurement(objective=objective, period_start=start, automatic=True)
        m.period_end, m.measured_on, m.value, m.status = end, day, value, status
        m.target, m.basis = objective.target, basis
        m.recorded_by = actor if getattr(actor, "is_authenticated", False) else None
        m.save()
        _refresh_last(objective)
        audit.record(
            actor=actor,
            action="measure",
            obj=objective,
            unit=objective.unit,
            changes={"period": [start, end], "value": value, "status": status, **basis},
            note="dossier KPI",
        )
    return m


# ---------------------------------------------------------------- risks


def _risk_search(r: Risk) -> str:
    process = f"{r.process.code} {r.process.title}" if r.process_id else r.process_text
    return fold(f"{r.description} {r.cause} {r.treatment} {process}")


@transaction.atomic
def save_risk(actor, unit: Unit, data: dict, *, risk: Risk | None = None) -> Risk:
    """Create or change a risk or opportunity from cleaned `data`; each change of
    the assessment or of the evaluation is kept in its history."""
    if risk is None:
        _require(actor, selectors.can_add_risk(actor, unit))
    else:
        _require(actor, selectors.can_edit_risk(actor, risk))
    before = audit.snapshot(risk, Risk.AUDIT_FIELDS) if risk else None
    r = Risk.objects.get(pk=risk.pk) if risk else Risk(unit=unit)
    for name in Risk.AUDIT_FIELDS:
        if name in data:
            setattr(r, name, data[name])
    for name in ("likelihood", "impact"):
        value = getattr(r, name)
        if value is None or not 1 <= int(value) <= 5:
            raise ValidationError({name: _("Choose a value from 1 to 5.")})
    if r.process_id and (r.process.unit_id != unit.pk):
        raise ValidationError({"process": _("Choose a procedure of this agency.")})
    if not r.process_id and not r.process_text.strip():
        raise ValidationError({"process": _("Name the process, or choose its procedure.")})
    if r.owner_id and not selectors.members(unit).filter(pk=r.owner_id).exists():
        raise ValidationError({"owner": _("Choose a member of this agency.")})
    if r.effectiveness and not r.evaluated_on:
        r.evaluated_on = timezone.localdate()
    if actor is not None and not selectors.can_write(actor, unit):
        # A process owner records (and keeps) risks of their own processes only.
        if not (r.process_id and r.process.owner_id == actor.pk):
            raise PermissionDenied(_("You may record risks of your own processes only."))
    r.search_text = _risk_search(r)
    r.save()
    after = audit.snapshot(r, Risk.AUDIT_FIELDS)
    changes = audit.diff(before, after) if risk else after
    if changes:
        RiskEvent.objects.create(
            risk=r,
            by=actor if getattr(actor, "is_authenticated", False) else None,
            likelihood=r.likelihood,
            impact=r.impact,
            level=r.level,
            band=selectors.bands(unit).band(r.level),
            effectiveness=r.effectiveness,
            changes=changes,
        )
    audit.record(
        actor=actor, action="update" if risk else "create", obj=r, unit=unit, changes=changes
    )
    return r


@transaction.atomic
def set_risk_bands(actor, unit: Unit | None, *, medium_from: int, high_from: int) -> RiskBands:
    """Set the level thresholds of an agency (its head or ISO secretary) or the
    default of every agency (unit None: a superuser)."""
    if actor is not None:
        allowed = (
            selectors.can_write(actor, unit) if unit is not None else actor.is_superuser
        ) or actor.is_superuser
        _require(actor, allowed)
    medium_from, high_from = int(medium_from), int(high_from)
    if not 1 < medium_from < high_from <= 25:
        raise ValidationError(
            _("The thresholds must satisfy 1 < medium < high ≤ 25 (likelihood × impact).")
        )
    before = RiskBands.objects.filter(unit=unit).first()
    old = audit.snapshot(before, ["medium_from", "high_from"]) if before else None
    bands, _created = RiskBands.objects.update_or_create(
        unit=unit, defaults={"medium_from": medium_from, "high_from": high_from}
    )
    audit.record(
        actor=actor,
        action="update" if before else "create",
        obj=bands,
        unit=unit,
        changes=audit.diff(old, audit.snapshot(bands, ["medium_from", "high_from"])),
    )
    return bands


# ---------------------------------------------------------------- yearly plan


def _plan_search(item: PlanItem) -> str:
    return fold(f"{item.title} {item.evidence} {item.cancel_reason}")


@transaction.atomic
def save_plan_item(actor, unit: Unit, data: dict, *, item: PlanItem | None = None) -> PlanItem:
    _require(actor, selectors.can_write(actor, unit))
    before = audit.snapshot(item, PlanItem.AUDIT_FIELDS) if item else None
    p = PlanItem.objects.get(pk=item.pk) if item else PlanItem(unit=unit)
    for name in PlanItem.AUDIT_FIELDS:
        if name in data:
            setattr(p, name, data[name])
    if p.end < p.start:
        raise ValidationError({"end": _("The activity ends before it starts.")})
    if not p.year:
        p.year = p.start.year
    if p.status == PlanStatus.DONE and not p.done_on:
        raise ValidationError({"done_on": _("Say when it was done.")})
    if p.status == PlanStatus.CANCELLED and not p.cancel_reason.strip():
        raise ValidationError({"cancel_reason": _("Say why it was cancelled.")})
    if p.owner_id and not selectors.members(unit).filter(pk=p.owner_id).exists():
        raise ValidationError({"owner": _("Choose a member of this agency.")})
    p.search_text = _plan_search(p)
    p.save()
    after = audit.snapshot(p, PlanItem.AUDIT_FIELDS)
    audit.record(
        actor=actor,
        action="update" if item else "create",
        obj=p,
        unit=unit,
        changes=audit.diff(before, after) if item else after,
    )
    return p


def complete_plan_item(actor, item: PlanItem, *, done_on, evidence="", evidence_url=""):
    return save_plan_item(
        actor,
        item.unit,
        {
            "status": PlanStatus.DONE,
            "done_on": done_on,
            "evidence": evidence,
            "evidence_url": evidence_url,
        },
        item=item,
    )


def cancel_plan_item(actor, item: PlanItem, *, reason: str):
    return save_plan_item(
        actor, item.unit, {"status": PlanStatus.CANCELLED, "cancel_reason": reason}, item=item
    )


# The usual plan of a year: (kind, title, start (month, day), end (month, day)).
STANDARD_PLAN = [
    (PlanKind.TRAINING, "Đào tạo nhận thức TCVN ISO 9001:2015 cho công chức", (3, 1), (3, 31)),
    (PlanKind.DOCUMENT_REVIEW, "Rà soát, cập nhật hệ thống tài liệu", (4, 1), (5, 31)),
    (PlanKind.INTERNAL_AUDIT, "Đánh giá nội bộ hệ thống quản lý chất lượng", (8, 1), (8, 31)),
    (PlanKind.MANAGEMENT_REVIEW, "Họp xem xét của lãnh đạo", (9, 15), (9, 30)),
    (
        PlanKind.SELF_ASSESSMENT,
        "Tự đánh giá việc áp dụng, duy trì hệ thống quản lý chất lượng",
        (10, 15),
        (11, 15),
    ),
    (
        PlanKind.ANNUAL_REPORT,
        "Báo cáo tình hình áp dụng, duy trì, cải tiến HTQLCL gửi Sở KH&CN",
        (12, 1),
        (12, 15),
    ),
]


@transaction.atomic
def generate_standard_plan(actor, unit: Unit, year: int, owner=None) -> list[PlanItem]:
    """Create the usual activities of a year (those of a kind already planned that
    year are skipped); each is then edited freely."""
    _require(actor, selectors.can_write(actor, unit))
    if owner is None and getattr(actor, "is_authenticated", False):
        owner = actor  # the secretary who plans the year owns it until reassigned
    present = set(PlanItem.objects.filter(unit=unit, year=year).values_list("kind", flat=True))
    created = []
    for kind, title, (sm, sd), (em, ed) in STANDARD_PLAN:
        if kind in present:
            continue
        created.append(
            save_plan_item(
                actor,
                unit,
                {
                    "year": year,
                    "kind": kind,
                    "title": title,
                    "start": dt.date(year, sm, sd),
                    "end": dt.date(year, em, ed),
                    "owner": owner,
                },
            )
        )
    return created


# ---------------------------------------------------------------- the daily sweep


def sweep_linked_objectives(today: dt.date) -> int:
    """Measure every LINKED objective for the period containing yesterday (the last
    full day of data); the first day of a period closes the previous one."""
    day = today - dt.timedelta(days=1)
    done = 0
    for objective in selectors.linked_objectives(day.year):
        before = objective.measurements.filter(automatic=True).values_list(
            "pk", "value", "period_end"
        )
        before = set(before)
        m = measure_linked(None, objective, day)
        if m is not None and (m.pk, m.value, m.period_end) not in before:
            done += 1
    return done


def _plan_url(item: PlanItem) -> str:
    return reverse("planning_plan", args=[item.unit_id]) + f"?year={item.year}#item-{item.pk}"


def _fmt(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def sweep_plan_reminders(today: dt.date) -> int:
    """Remind the owner and the ISO secretaries of each planned activity `remind_days`
    before its start and end, on the day, and once when it is overdue (once per key)."""
    sent = 0
    secretaries: dict[int, list] = {}  # per agency, not per item
    for item in selectors.plan_items_to_remind(today):
        if item.unit_id not in secretaries:
            secretaries[item.unit_id] = selectors.iso_secretaries(item.unit)
        people = [item.owner, *secretaries[item.unit_id]]
        for which, day in (("start", item.start), ("end", item.end)):
            if item.remind_days and day - dt.timedelta(days=item.remind_days) <= today < day:
                key = f"planning:plan:{item.pk}:{which}:{day}:before{item.remind_days}"
                subject = (
                    _("Yearly plan: “%(title)s” starts on %(day)s")
                    if which == "start"
                    else _("Yearly plan: “%(title)s” is due on %(day)s")
                ) % {"title": item.title, "day": _fmt(day)}
            elif today == day:
                key = f"planning:plan:{item.pk}:{which}:{day}:on_the_day"
                subject = (
                    _("Yearly plan: “%(title)s” starts today")
                    if which == "start"
                    else _("Yearly plan: “%(title)s” is due today")
                ) % {"title": item.title}
            else:
                continue
            sent += len(
                notify(
                    people,
                    key=key,
                    subject=subject,
                    url=_plan_url(item),
                    unit=item.unit,
                    kind="planning",
                )
            )
        if item.end < today:
            sent += len(
                notify(
                    people,
                    key=f"planning:plan:{item.pk}:overdue:{item.end}",
                    subject=_("Yearly plan: “%(title)s” is overdue (due %(day)s)")
                    % {"title": item.title, "day": _fmt(item.end)},
                    url=_plan_url(item),
                    unit=item.unit,
                    kind="planning",
                )
            )
    return sent


def sweep_risk_reviews(today: dt.date) -> int:
    """Tell a risk's owner (or the ISO secretaries) when its review date has come."""
    sent = 0
    for risk in selectors.risks_due_for_review(today):
        people = [risk.owner] if risk.owner_id else selectors.iso_secretaries(risk.unit)
        sent += len(
            notify(
                people,
                key=f"planning:risk:{risk.pk}:review:{risk.review_date}",
                subject=_("Risk register: review due on %(day)s: %(risk)s")
                % {"day": _fmt(risk.review_date), "risk": str(risk)},
                url=reverse("planning_risk", args=[risk.unit_id, risk.pk]),
                unit=risk.unit,
                kind="planning",
            )
        )
    return sent
