"""Every write of internal audit: permission checked, atomic, recorded in the trail."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from govqms.core import audit, permissions
from govqms.documents.models import PROCEDURE_KINDS, Document, VersionStatus
from govqms.organizations import services as org_services
from govqms.organizations.models import Membership, Role

from . import files
from .clauses import CLAUSE_NUMBERS, clause_title
from .models import (
    NC_GRADES,
    Auditor,
    AuditPlan,
    AuditProgramme,
    ChecklistItem,
    Evidence,
    Finding,
    Grade,
    Invitation,
    ItemSource,
    PlanStatus,
    Result,
)


def require(actor, perm: str, obj) -> None:
    permissions.require(actor, perm, obj, message=_("You may not do this here."))


def _actor(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _name(user) -> str:
    return str(user)


def _record(actor, action, obj, unit, before=None, fields=None):
    fields = fields or obj.AUDIT_FIELDS
    audit.record(
        actor=actor,
        action=action,
        obj=obj,
        unit=unit,
        changes=audit.diff(before, audit.snapshot(obj, fields)),
    )


def _clean_clauses(clauses) -> list[str]:
    chosen = {str(c).strip() for c in clauses or [] if str(c).strip()}
    unknown = chosen - set(CLAUSE_NUMBERS)
    if unknown:
        raise ValidationError(
            _("Unknown ISO 9001:2015 clause: %(clauses)s") % {"clauses": ", ".join(sorted(unknown))}
        )
    return [n for n in CLAUSE_NUMBERS if n in chosen]


def _check_processes(unit, processes) -> list[Document]:
    processes = list(processes or [])
    for doc in processes:
        if doc.unit_id != unit.pk or doc.kind not in PROCEDURE_KINDS:
            raise ValidationError(
                _("“%(process)s” is not a procedure of this agency.") % {"process": doc}
            )
    return processes


# ---------------------------------------------------------------- programme


@transaction.atomic
def save_programme(
    actor,
    unit,
    year: int,
    *,
    objectives: str = "",
    criteria: str = "",
    frequency: str = "",
    clauses=(),
    processes=(),
) -> AuditProgramme:
    require(actor, "audits.manage", unit)
    programme = AuditProgramme.objects.filter(unit=unit, year=year).first()
    before = audit.snapshot(programme, AuditProgramme.AUDIT_FIELDS) if programme else None
    if programme is None:
        programme = AuditProgramme(unit=unit, year=year, created_by=_actor(actor))
    programme.objectives = objectives.strip()
    programme.criteria = criteria.strip()
    programme.frequency = frequency.strip()
    programme.clauses = _clean_clauses(clauses)
    processes = _check_processes(unit, processes)
    programme.full_clean()
    programme.save()
    programme.processes.set(processes)
    _record(actor, "update" if before else "create", programme, unit, before)
    return programme


# ---------------------------------------------------------------- auditor register

AUDITOR_FIELDS = (
    "certificate_name",
    "certificate_issuer",
    "certificate_number",
    "certificate_date",
    "certificate_expiry",
    "active",
    "in_pool",
)


def _attach_certificate(auditor, fileobj, name):
    kind = files.check(fileobj, name)
    auditor.certificate_file_name = files.display_name(name)
    auditor.certificate_content_type = kind.content_type
    files.store(auditor.certificate_file, fileobj, kind)


@transaction.atomic
def register_auditor(actor, unit, *, user, file=None, file_name="", **fields) -> Auditor:
    require(actor, "audits.manage", unit)
    if not Membership.objects.active_on().filter(user=user, unit=unit).exists():
        raise ValidationError(_("%(name)s is not a member of this agency.") % {"name": _name(user)})
    if Auditor.objects.filter(unit=unit, user=user).exists():
        raise ValidationError(
            _("%(name)s is already in the auditor register.") % {"name": _name(user)}
        )
    auditor = Auditor(
        unit=unit, user=user, **{k: v for k, v in fields.items() if k in AUDITOR_FIELDS}
    )
    _check_dates(auditor)
    if file is not None:
        _attach_certificate(auditor, file, file_name or getattr(file, "name", ""))
    auditor.full_clean()
    auditor.save()
    _record(actor, "create", auditor, unit)
    return auditor


def _check_dates(auditor):
    if auditor.certificate_expiry and auditor.certificate_expiry < auditor.certificate_date:
        raise ValidationError(_("A certificate cannot expire before it was issued."))


@transaction.atomic
def update_auditor(actor, auditor: Auditor, *, file=None, file_name="", **fields) -> Auditor:
    require(actor, "audits.manage", auditor.unit)
    before = audit.snapshot(auditor, Auditor.AUDIT_FIELDS)
    for key, value in fields.items():
        if key in AUDITOR_FIELDS:
            setattr(auditor, key, value)
    _check_dates(auditor)
    if file is not None:
        _attach_certificate(auditor, file, file_name or getattr(file, "name", ""))
    auditor.full_clean()
    auditor.save()
    _record(actor, "update", auditor, auditor.unit, before)
    return auditor


# ---------------------------------------------------------------- plans: team rules


def _local_day(value) -> dt.date:
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            return timezone.localtime(value).date()
        return value.date()
    return value


def team_problems(unit, *, lead, team, processes, divisions, start, end, plan=None) -> list[str]:
    """Why these people may not audit this scope on these days (empty: they may).

    Each auditor needs a record in the agency's auditor register (or, if invited from
    another agency, in that agency's register) with a certificate valid on the audit's
    days, and must be independent: not of a division in the scope, not the owner of a
    process in the scope."""
    start_day, end_day = _local_day(start), _local_day(end)
    people = [lead] + [u for u in team if u.pk != lead.pk]
    invited = {}
    if plan is not None and plan.pk:
        invited = {
            inv.auditor.user_id: inv.auditor
            for inv in plan.invitations.select_related("auditor__unit")
        }
    wanted = {d.strip().casefold(): d.strip() for d in divisions or [] if d.strip()}
    problems = []
    for person in people:
        record = Auditor.objects.filter(unit=unit, user=person).first() or invited.get(person.pk)
        if record is None or not record.active:
            problems.append(
                _("%(name)s is not in the agency's register of internal auditors.")
                % {"name": _name(person)}
            )
        elif not record.valid_between(start_day, end_day):
            if record.certificate_expiry and record.certificate_expiry < end_day:
                problems.append(
                    _(
                        "%(name)s's auditor training certificate expires on %(date)s, "
                        "before the audit ends: renew it first."
                    )
                    % {
                        "name": _name(person),
                        "date": record.certificate_expiry.strftime("%d/%m/%Y"),
                    }
                )
            else:
                problems.append(
                    _("%(name)s's auditor training certificate is not valid on the audit's days.")
                    % {"name": _name(person)}
                )
        own = (
            Membership.objects.active_on(start_day)
            .filter(user=person, unit=unit)
            .exclude(division="")
            .values_list("division", flat=True)
        )
        for division in sorted(set(own)):
            if division.strip().casefold() in wanted:
                problems.append(
                    _(
                        "Independence: %(name)s may not audit the division “%(division)s”, "
                        "which is their own division."
                    )
                    % {"name": _name(person), "division": division}
                )
        for doc in processes:
            if doc.owner_id == person.pk:
                problems.append(
                    _(
                        "Independence: %(name)s may not audit the process “%(process)s”, "
                        "which they own."
                    )
                    % {"name": _name(person), "process": doc}
                )
    return problems


def _validate_plan(unit, data, plan=None):
    if data["planned_end"] <= data["planned_start"]:
        raise ValidationError(_("The audit must end after it starts."))
    problems = team_problems(
        unit,
        lead=data["lead"],
        team=data["team"],
        processes=data["processes"],
        divisions=data["divisions"],
        start=data["planned_start"],
        end=data["planned_end"],
        plan=plan,
    )
    if problems:
        raise ValidationError(problems)


def _programme_for(unit, year):
    return AuditProgramme.objects.filter(unit=unit, year=year).first()


@transaction.atomic
def create_plan(
    actor,
    unit,
    *,
    title: str,
    planned_start,
    planned_end,
    lead,
    team=(),
    processes=(),
    clauses=(),
    divisions=(),
    objectives: str = "",
    criteria: str = "",
) -> AuditPlan:
    require(actor, "audits.manage", unit)
    data = {
        "planned_start": planned_start,
        "planned_end": planned_end,
        "lead": lead,
        "team": list(team),
        "processes": _check_processes(unit, processes),
        "divisions": [d.strip() for d in divisions or [] if d.strip()],
        "clauses": _clean_clauses(clauses),
    }
    _validate_plan(unit, data)
    year = _local_day(planned_start).year
    plan = AuditPlan(
        unit=unit,
        programme=_programme_for(unit, year),
        year=year,
        title=title.strip(),
        objectives=objectives.strip(),
        criteria=criteria.strip(),
        clauses=data["clauses"],
        divisions=data["divisions"],
        planned_start=planned_start,
        planned_end=planned_end,
        lead=lead,
        created_by=_actor(actor),
    )
    plan.refresh_search_text()
    plan.full_clean()
    plan.save()
    plan.processes.set(data["processes"])
    plan.team.set([u for u in data["team"] if u.pk != lead.pk])
    _record(actor, "create", plan, unit)
    return plan


@transaction.atomic
def update_plan(actor, plan: AuditPlan, **fields) -> AuditPlan:
    require(actor, "audits.manage", plan)
    plan = AuditPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status in (PlanStatus.REPORT_ISSUED, PlanStatus.CANCELLED):
        raise ValidationError(_("This audit is closed: its plan can no longer change."))
    before = audit.snapshot(plan, AuditPlan.AUDIT_FIELDS)
    data = {
        "planned_start": fields.get("planned_start", plan.planned_start),
        "planned_end": fields.get("planned_end", plan.planned_end),
        "lead": fields.get("lead", plan.lead),
        "team": list(fields["team"]) if "team" in fields else list(plan.team.all()),
        "processes": _check_processes(plan.unit, fields["processes"])
        if "processes" in fields
        else list(plan.processes.all()),
        "divisions": [d.strip() for d in fields["divisions"] if d.strip()]
        if "divisions" in fields
        else plan.divisions,
        "clauses": _clean_clauses(fields["clauses"]) if "clauses" in fields else plan.clauses,
    }
    _validate_plan(plan.unit, data, plan=plan)
    for key in ("title", "objectives", "criteria"):
        if key in fields:
            setattr(plan, key, (fields[key] or "").strip())
    for key in ("planned_start", "planned_end", "lead", "divisions", "clauses"):
        setattr(plan, key, data[key])
    plan.year = _local_day(plan.planned_start).year
    plan.programme = _programme_for(plan.unit, plan.year)
    plan.refresh_search_text()
    plan.full_clean()
    plan.save()
    plan.processes.set(data["processes"])
    plan.team.set([u for u in data["team"] if u.pk != plan.lead_id])
    # An invited auditor taken off the audit loses the access the invitation gave.
    _end_invitations(
        actor, plan, timezone.localdate(), keep={plan.lead_id, *(u.pk for u in data["team"])}
    )
    if before["planned_start"] != audit.snapshot(plan, ["planned_start"])["planned_start"] or (
        before["planned_end"] != audit.snapshot(plan, ["planned_end"])["planned_end"]
    ):
        _move_invitations(actor, plan)
    _record(actor, "update", plan, plan.unit, before)
    return plan


# ---------------------------------------------------------------- cross-agency pool


def pool(unit, plan: AuditPlan | None = None):
    """Auditors of other agencies of the same province who agreed to be invited."""
    qs = (
        Auditor.objects.filter(active=True, in_pool=True, unit__province=unit.province)
        .exclude(unit=unit)
        .select_related("user", "unit")
        .order_by("unit__name", "user__full_name")
    )
    if plan is not None:
        qs = [a for a in qs if a.valid_between(plan.start_day, plan.end_day)]
    return qs


@transaction.atomic
def invite_auditor(actor, plan: AuditPlan, auditor: Auditor) -> Invitation:
    """The head invites an auditor of another agency: a dated internal_auditor
    membership on the audited agency, from the audit's first day to its last."""
    require(actor, "audits.invite", plan)
    plan = AuditPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status not in (PlanStatus.PLANNED, PlanStatus.IN_PROGRESS):
        raise ValidationError(_("Auditors can be invited only before the audit ends."))
    if auditor.unit_id == plan.unit_id:
        raise ValidationError(_("This auditor is already in the agency's own register."))
    if not (auditor.active and auditor.in_pool):
        raise ValidationError(
            _("%(name)s is not available to other agencies.") % {"name": _name(auditor.user)}
        )
    if not auditor.valid_between(plan.start_day, plan.end_day):
        raise ValidationError(
            _("%(name)s's auditor training certificate is not valid on the audit's days.")
            % {"name": _name(auditor.user)}
        )
    if plan.invitations.filter(auditor__user=auditor.user).exists():
        raise ValidationError(_("%(name)s is already invited.") % {"name": _name(auditor.user)})
    owned = [doc for doc in plan.processes.all() if doc.owner_id == auditor.user_id]
    if owned:
        raise ValidationError(
            _("Independence: %(name)s may not audit the process “%(process)s”, which they own.")
            % {"name": _name(auditor.user), "process": owned[0]}
        )
    membership = org_services.add_membership(
        actor,
        user=auditor.user,
        unit=plan.unit,
        role=Role.INTERNAL_AUDITOR,
        title=_("Invited auditor (%(agency)s)") % {"agency": auditor.unit.name},
        valid_from=plan.start_day,
        valid_to=plan.end_day,
    )
    invitation = Invitation.objects.create(
        plan=plan, auditor=auditor, membership=membership, invited_by=_actor(actor)
    )
    plan.team.add(auditor.user)
    audit.record(
        actor=actor,
        action="audit_invite",
        obj=plan,
        unit=plan.unit,
        changes={"invited": [None, f"{auditor.user} ({auditor.unit})"]},
    )
    return invitation


def _set_membership_end(
    actor, membership: Membership, *, valid_from=None, valid_to=None, unit=None
):
    before = audit.snapshot(membership, Membership.AUDIT_FIELDS)
    if valid_from is not None:
        membership.valid_from = valid_from
    membership.valid_to = valid_to
    membership.save(update_fields=["valid_from", "valid_to"])
    audit.record(
        actor=actor,
        action="update",
        obj=membership,
        unit=membership.unit,
        changes=audit.diff(before, audit.snapshot(membership, Membership.AUDIT_FIELDS)),
        note="audit invitation",
    )


def _move_invitations(actor, plan):
    if plan.status not in (PlanStatus.PLANNED, PlanStatus.IN_PROGRESS):
        # The audit is over: its invited auditors' access ended with it and is not
        # given back by moving the dates afterwards.
        return
    for invitation in plan.invitations.select_related("membership"):
        if invitation.membership:
            _set_membership_end(
                actor, invitation.membership, valid_from=plan.start_day, valid_to=plan.end_day
            )


def _end_invitations(actor, plan, day: dt.date, *, keep=None):
    """The audit ended early (completed or cancelled): invited auditors leave today.
    With `keep` (user ids): only the invited auditors no longer on the audit leave."""
    for invitation in plan.invitations.select_related("membership__unit", "membership__user"):
        if keep is not None and invitation.membership and invitation.membership.user_id in keep:
            continue
        membership = invitation.membership
        if membership is None:
            continue
        if membership.valid_to is not None and membership.valid_to <= day:
            continue
        if day < membership.valid_from:
            # It never started: the membership is withdrawn altogether.
            audit.record(
                actor=actor,
                action="delete",
                obj=membership,
                unit=membership.unit,
                changes=audit.diff(audit.snapshot(membership, Membership.AUDIT_FIELDS), None),
                note="audit invitation",
            )
            invitation.membership = None
            invitation.save(update_fields=["membership"])
            membership.delete()
        else:
            _set_membership_end(actor, membership, valid_to=day)


# ---------------------------------------------------------------- status


def _transition(actor, plan, perm, allowed, target, **values) -> AuditPlan:
    require(actor, perm, plan)
    plan = AuditPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status not in allowed:
        raise ValidationError(
            _("An audit that is “%(status)s” cannot become “%(target)s”.")
            % {"status": plan.get_status_display(), "target": PlanStatus(target).label}
        )
    before = audit.snapshot(plan, AuditPlan.AUDIT_FIELDS)
    plan.status = target
    for key, value in values.items():
        setattr(plan, key, value)
    plan.save()
    _record(actor, "audit_" + target, plan, plan.unit, before)
    return plan


@transaction.atomic
def start_audit(actor, plan: AuditPlan, *, at=None) -> AuditPlan:
    return _transition(
        actor,
        plan,
        "audits.conduct",
        (PlanStatus.PLANNED,),
        PlanStatus.IN_PROGRESS,
        actual_start=at or timezone.now(),
    )


@transaction.atomic
def complete_audit(actor, plan: AuditPlan, *, at=None, summary=None, conclusion=None) -> AuditPlan:
    at = at or timezone.now()
    if plan.actual_start and at < plan.actual_start:
        raise ValidationError(_("The audit must end after it starts."))
    values = {"actual_end": at}
    if summary is not None:
        values["summary"] = summary.strip()
    if conclusion is not None:
        values["conclusion"] = conclusion.strip()
    plan = _transition(
        actor, plan, "audits.conduct", (PlanStatus.IN_PROGRESS,), PlanStatus.COMPLETED, **values
    )
    today = timezone.localdate()
    if _local_day(at) <= plan.end_day:
        _end_invitations(actor, plan, min(today, plan.end_day))
    return plan


@transaction.atomic
def issue_report(actor, plan: AuditPlan, *, summary=None, conclusion=None) -> AuditPlan:
    values = {"report_issued_on": timezone.localdate()}
    if summary is not None:
        values["summary"] = summary.strip()
    if conclusion is not None:
        values["conclusion"] = conclusion.strip()
    return _transition(
        actor, plan, "audits.manage", (PlanStatus.COMPLETED,), PlanStatus.REPORT_ISSUED, **values
    )


@transaction.atomic
def cancel_plan(actor, plan: AuditPlan) -> AuditPlan:
    plan = _transition(
        actor,
        plan,
        "audits.manage",
        (PlanStatus.PLANNED, PlanStatus.IN_PROGRESS),
        PlanStatus.CANCELLED,
    )
    _end_invitations(actor, plan, timezone.localdate())
    return plan


@transaction.atomic
def save_report_text(actor, plan: AuditPlan, *, summary: str, conclusion: str) -> AuditPlan:
    require(actor, "audits.conduct", plan)
    plan = AuditPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status in (PlanStatus.REPORT_ISSUED, PlanStatus.CANCELLED):
        raise ValidationError(_("The report is issued: its text can no longer change."))
    before = audit.snapshot(plan, AuditPlan.AUDIT_FIELDS)
    plan.summary = summary.strip()
    plan.conclusion = conclusion.strip()
    plan.save(update_fields=["summary", "conclusion", "updated_at"])
    _record(actor, "update", plan, plan.unit, before)
    return plan


# ---------------------------------------------------------------- checklist


def _require_open(plan):
    if plan.status in (PlanStatus.REPORT_ISSUED, PlanStatus.CANCELLED):
        raise ValidationError(_("This audit is closed: its checklist can no longer change."))


def refresh_fingerprint(plan: AuditPlan) -> None:
    from .selectors import fingerprint_of

    texts = list(plan.items.values_list("question", flat=True))
    plan.checklist_fingerprint = fingerprint_of(texts) if texts else ""
    AuditPlan.objects.filter(pk=plan.pk).update(checklist_fingerprint=plan.checklist_fingerprint)


def _effective_steps(document: Document) -> list[dict]:
    version = document.versions.filter(status=VersionStatus.EFFECTIVE).order_by("-issue_no").first()
    if version is None:
        return []
    return [s for s in (version.content or {}).get("steps") or [] if isinstance(s, dict)]


def _text(value) -> str:
    return " ".join(str(value or "").split())


def generated_questions(plan: AuditPlan) -> list[dict]:
    """Questions from the scope's clauses, the steps of each procedure in scope and the
    procedures' on-time rate over the 12 months before the audit."""
    from .selectors import on_time_figures

    out = []
    for number in plan.clauses:
        out.append(
            {
                "source": ItemSource.CLAUSE,
                "clause": number,
                "process": None,
                "question": _(
                    "%(number)s %(title)s: how does the agency meet this requirement, "
                    "and which records show it?"
                )
                % {"number": number, "title": clause_title(number)},
            }
        )
    for doc in plan.processes.order_by("code"):
        for step in _effective_steps(doc):
            name = _text(step.get("name"))
            if not name:
                continue
            responsible = _text(step.get("responsible"))
            form = _text(step.get("form"))
            hours = _text(step.get("hours"))
            parts = [
                _("%(code)s, step %(step)s “%(name)s”")
                % {
                    "code": doc.code,
                    "step": _text(step.get("step")) or "?",
                    "name": name,
                }
            ]
            if responsible:
                parts.append(_("responsible: %(who)s") % {"who": responsible})
            if hours:
                parts.append(_("time allowed: %(hours)s h") % {"hours": hours})
            question = (
                "; ".join(parts)
                + ". "
                + _(
                    "Is the step carried out as written, within its time, "
                    "by the person responsible?"
                )
            )
            if form:
                question += " " + _("Do the records (%(form)s) show it?") % {"form": form}
            out.append(
                {
                    "source": ItemSource.PROCEDURE,
                    "clause": "8.5.1",
                    "process": doc,
                    "question": question,
                }
            )
        figures = on_time_figures(plan, doc)
        if figures and figures["resolved"]:
            out.append(
                {
                    "source": ItemSource.KPI,
                    "clause": "9.1.3",
                    "process": doc,
                    "question": _(
                        "%(code)s: the on-time rate over the last 12 months is %(rate)s%% "
                        "(%(late)s late of %(resolved)s resolved dossiers): why are the late "
                        "ones late, and what was done about it?"
                    )
                    % {
                        "code": doc.code,
                        "rate": figures["rate"],
                        "late": figures["late"],
                        "resolved": figures["resolved"],
                    },
                }
            )
    return out


@transaction.atomic
def generate_checklist(actor, plan: AuditPlan, *, replace: bool = False) -> list[ChecklistItem]:
    """Fill the checklist from the scope. With `replace`, unanswered questions are
    removed first (answered ones and their findings stay)."""
    require(actor, "audits.conduct", plan)
    _require_open(plan)
    if replace:
        plan.items.filter(result="", evidence__isnull=True, findings__isnull=True).delete()
    existing = set(plan.items.values_list("question", flat=True))
    start = (plan.items.aggregate(m=Max("order"))["m"] or 0) + 1
    created = []
    for row in generated_questions(plan):
        if row["question"] in existing:
            continue
        created.append(ChecklistItem(plan=plan, order=start + len(created), **row))
    ChecklistItem.objects.bulk_create(created)
    refresh_fingerprint(plan)
    audit.record(
        actor=actor,
        action="audit_checklist_generate",
        obj=plan,
        unit=plan.unit,
        changes={"questions": [len(existing), len(existing) + len(created)]},
    )
    return created


@transaction.atomic
def add_item(actor, plan: AuditPlan, *, question: str, clause: str = "", process=None):
    require(actor, "audits.conduct", plan)
    _require_open(plan)
    question = question.strip()
    if not question:
        raise ValidationError(_("Write the question."))
    if clause:
        _clean_clauses([clause])
    if process is not None:
        _check_processes(plan.unit, [process])
    order = (plan.items.aggregate(m=Max("order"))["m"] or 0) + 1
    item = ChecklistItem.objects.create(
        plan=plan,
        order=order,
        source=ItemSource.MANUAL,
        clause=clause,
        process=process,
        question=question,
    )
    refresh_fingerprint(plan)
    _record(actor, "create", item, plan.unit)
    return item


@transaction.atomic
def edit_item(actor, item: ChecklistItem, **fields) -> ChecklistItem:
    """Change a question's text, clause or process, and/or record its result."""
    plan = item.plan
    require(actor, "audits.conduct", plan)
    _require_open(plan)
    before = audit.snapshot(item, ChecklistItem.AUDIT_FIELDS)
    if "question" in fields:
        question = (fields["question"] or "").strip()
        if not question:
            raise ValidationError(_("Write the question."))
        item.question = question
    if "clause" in fields:
        clause = (fields["clause"] or "").strip()
        if clause:
            _clean_clauses([clause])
        item.clause = clause
    if "process" in fields:
        if fields["process"] is not None:
            _check_processes(plan.unit, [fields["process"]])
        item.process = fields["process"]
    if "result" in fields:
        result = fields["result"] or ""
        if result and result not in Result.values:
            raise ValidationError(_("Unknown result."))
        if result != item.result:
            item.answered_by = _actor(actor)
            item.answered_at = timezone.now()
        item.result = result
    if "notes" in fields:
        item.notes = (fields["notes"] or "").strip()
    item.save()
    refresh_fingerprint(plan)
    _record(actor, "update", item, plan.unit, before)
    return item


def record_result(actor, item: ChecklistItem, *, result: str, notes: str = "") -> ChecklistItem:
    return edit_item(actor, item, result=result, notes=notes)


@transaction.atomic
def delete_item(actor, item: ChecklistItem) -> None:
    plan = item.plan
    require(actor, "audits.conduct", plan)
    _require_open(plan)
    if item.findings.exists():
        raise ValidationError(_("This question has findings: it cannot be deleted."))
    audit.record(
        actor=actor,
        action="delete",
        obj=item,
        unit=plan.unit,
        changes=audit.diff(audit.snapshot(item, ChecklistItem.AUDIT_FIELDS), None),
    )
    item.delete()
    refresh_fingerprint(plan)


@transaction.atomic
def move_item(actor, item: ChecklistItem, direction: int) -> None:
    """Move a question one place up (-1) or down (+1)."""
    plan = item.plan
    require(actor, "audits.conduct", plan)
    _require_open(plan)
    items = list(plan.items.order_by("order", "pk"))
    index = next(i for i, it in enumerate(items) if it.pk == item.pk)
    other = index + (1 if direction > 0 else -1)
    if not 0 <= other < len(items):
        return
    items[index], items[other] = items[other], items[index]
    for position, it in enumerate(items, start=1):
        if it.order != position:
            ChecklistItem.objects.filter(pk=it.pk).update(order=position)
    audit.record(
        actor=actor,
        action="audit_checklist_reorder",
        obj=item,
        unit=plan.unit,
        changes={"position": [index + 1, other + 1]},
    )


@transaction.atomic
def add_evidence(actor, item: ChecklistItem, fileobj, *, name: str) -> Evidence:
    plan = item.plan
    require(actor, "audits.conduct", plan)
    _require_open(plan)
    original = files.display_name(name)
    kind = files.check(fileobj, original)
    evidence = Evidence(
        item=item,
        original_name=original,
        content_type=kind.content_type,
        size=files.size_of(fileobj),
        sha256=files.sha256(fileobj),
        uploaded_by=_actor(actor),
    )
    files.store(evidence.file, fileobj, kind)
    evidence.save()
    audit.record(
        actor=actor,
        action="attachment_add",
        obj=evidence,
        unit=plan.unit,
        changes={
            "item": [None, item.pk],
            "original_name": [None, original],
            "sha256": [None, evidence.sha256],
        },
    )
    return evidence


# ---------------------------------------------------------------- findings


def _open_nonconformity(actor, finding: Finding):
    """Raise (once) the nonconformity of a major or minor finding in the improvement app."""
    from govqms.improvement.services import open_nonconformity

    plan = finding.plan
    kwargs = {
        "unit": plan.unit,
        "source_kind": "audit_finding",
        "source_id": str(finding.pk),
        "source_label": f"{plan.title}: {finding.get_grade_display()} ({finding.clause})",
        "source_url": reverse("audit_plan_detail", args=[plan.pk]) + f"#finding-{finding.pk}",
        "title": finding.description.strip().splitlines()[0][:200],
        "description": finding.description
        + (f"\n\n{finding.evidence}" if finding.evidence else ""),
        "clause": finding.clause,
        "process": finding.process,
        "grade": finding.grade,
    }
    try:
        nc = open_nonconformity(actor, **kwargs)
    except PermissionDenied:
        # The auditor's right to record findings was checked here; the system raises it.
        nc = open_nonconformity(None, **kwargs)
    finding.nonconformity_id = str(nc.pk)
    finding.save(update_fields=["nonconformity_id"])
    return nc


@transaction.atomic
def record_finding(
    actor,
    plan: AuditPlan,
    *,
    grade: str,
    clause: str,
    description: str,
    process=None,
    evidence: str = "",
    item: ChecklistItem | None = None,
) -> Finding:
    require(actor, "audits.conduct", plan)
    _require_open(plan)
    if grade not in Grade.values:
        raise ValidationError(_("Choose the grade of the finding."))
    if not clause:
        raise ValidationError(_("Each finding is tied to a clause of ISO 9001:2015."))
    _clean_clauses([clause])
    if process is not None:
        _check_processes(plan.unit, [process])
    if item is not None and item.plan_id != plan.pk:
        raise ValidationError(_("This question belongs to another audit."))
    if not description.strip():
        raise ValidationError(_("Describe the finding."))
    finding = Finding.objects.create(
        plan=plan,
        item=item,
        grade=grade,
        clause=clause,
        process=process,
        description=description.strip(),
        evidence=evidence.strip(),
        created_by=_actor(actor),
    )
    if item is not None and grade in NC_GRADES and item.result != Result.FINDING:
        item.result = Result.FINDING
        item.answered_by = _actor(actor)
        item.answered_at = timezone.now()
        item.save(update_fields=["result", "answered_by", "answered_at"])
    _record(actor, "create", finding, plan.unit)
    if finding.raises_nonconformity:
        _open_nonconformity(actor, finding)
    return finding
