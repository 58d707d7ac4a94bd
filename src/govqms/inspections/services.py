"""Every write of inspection plans and inspections (Circular 26/2014/TT-BKHCN).

Each function checks the actor's permission (`actor` None is the system: the demo,
the daily sweep), runs in a transaction and writes an audit entry. `today` (default
the local date) drives the deadline checks and the date of the stamps (10:00 local
on that day when given), so the demo can replay earlier years.

Who may do what (CONTRACTS.md): the DoST administrator of the owner creates and
approves plans and adjusts the on-site sample; DoST officers and administrators of
the owner run the inspections (decision, minutes, findings, closing); the agency's
ISO secretary or head submits its corrective report.
"""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from govqms.core import audit
from govqms.core.calendar import Calendar, CalendarRangeError
from govqms.core.notifications import notify
from govqms.core.permissions import require
from govqms.core.replay import stamp_for, today_or_local, user_or_system
from govqms.organizations import selectors as org
from govqms.organizations.models import Membership, Role, Unit

from . import risk, selectors
from .models import Inspection, InspectionFinding, InspectionPlan
from .rules import REPORT_ROLES, owner_of

PLAN_FIELDS = InspectionPlan.AUDIT_FIELDS
INSPECTION_FIELDS = Inspection.AUDIT_FIELDS
FINDING_FIELDS = InspectionFinding.AUDIT_FIELDS
REPORT_MONTHS = 2  # Circular 26/2014: corrections reported within 2 months
REMIND_DAYS = (14, 3)  # reminders this many days before the report is due
DOST_ESCALATION_WORKING_DAYS = 5  # after the head, the DoST is told this much later
# Months in which inspections are planned: records reviewed before the November
# compilation of results; on-site visits spread over spring to autumn.
FIRST_VISIT_MONTH = 3
LAST_VISIT_MONTH = 10
RECORDS_MONTH = 10


# ---------------------------------------------------------------- helpers


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` plus calendar months: the same day of the month, or the last day of a
    shorter month (Civil Code 2015, art. 147: 31/01 + 2 months is 31/03, 30/11 + 2
    months is 30/01, 31/12 + 2 months is 28/02 or 29/02)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = pycalendar.monthrange(year, month)[1]
    return day.replace(year=year, month=month, day=min(day.day, last))


def _require_admin(actor, obj) -> None:
    """A DoST administrator of the owner of `obj` (a plan, an inspection or the owner)."""
    require(
        actor,
        "inspections.manage_plan",
        obj,
        message=_("Only a DoST administrator of %(owner)s may do this.") % {"owner": owner_of(obj)},
    )


def _require_overseer(actor, obj) -> None:
    """A DoST officer or administrator of the owner of `obj`."""
    require(
        actor,
        "inspections.run",
        obj,
        message=_("Only the DoST of %(owner)s may do this.") % {"owner": owner_of(obj)},
    )


def may_report(user, unit_or_inspection) -> bool:
    """The agency's ISO secretary or head (they submit the corrective report)."""
    return user.has_perm("inspections.report", unit_or_inspection)


def inspection_url(inspection: Inspection) -> str:
    return reverse("inspection_detail", args=[inspection.pk])


def _record(actor, action: str, obj, unit, before: dict | None, fields, note: str = ""):
    audit.record(
        actor=actor,
        action=action,
        obj=obj,
        unit=unit,
        changes=audit.diff(before, audit.snapshot(obj, fields)),
        note=note,
    )


def _locked_plan(plan: InspectionPlan) -> InspectionPlan:
    return InspectionPlan.objects.select_for_update().select_related("owner").get(pk=plan.pk)


def _locked(inspection: Inspection) -> Inspection:
    return (
        Inspection.objects.select_for_update()
        .select_related("plan__owner", "unit")
        .get(pk=inspection.pk)
    )


def participants(owner: Unit, day: dt.date):
    """The agencies of the owner's remit on `day`: the same as a campaign's
    (CONTRACTS.md, "Who is who"; a province root takes the agencies of its province
    on that day, whatever merger moved them in today's tree)."""
    from govqms.assessments.services import participants as remit

    return remit(owner, day)


def _visit_months(count: int, year: int, today: dt.date) -> list[int]:
    first = FIRST_VISIT_MONTH
    if today.year == year:
        first = max(first, today.month + 1)
    elif today.year > year:
        first = LAST_VISIT_MONTH
    first = min(first, LAST_VISIT_MONTH)
    months = list(range(first, LAST_VISIT_MONTH + 1))
    return [months[i * len(months) // count] for i in range(count)] if count else []


# ---------------------------------------------------------------- the plan (form 19)


def create_plan(
    actor,
    *,
    owner: Unit,
    year: int,
    title: str = "",
    number: str = "",
    on_site_share=None,
    today: dt.date | None = None,
) -> InspectionPlan:
    """The yearly plan: every agency of the owner's remit inspected by its records,
    and the riskiest proposed on site, at least the minimum share (risk.py)."""
    _require_admin(actor, owner)
    today = today_or_local(today)
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationError({"year": _("Enter a year.")}) from None
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("Enter a year between 2000 and 2100.")})
    title = (title or "").strip() or _("Inspection plan %(year)d") % {"year": year}
    with transaction.atomic():
        Unit.objects.select_for_update().filter(pk=owner.pk).first()
        if InspectionPlan.objects.filter(owner=owner, year=year).exists():
            raise ValidationError(
                {
                    "year": _("%(owner)s already has an inspection plan for %(year)d.")
                    % {"owner": owner, "year": year}
                }
            )
        plan = InspectionPlan(
            owner=owner,
            year=year,
            title=title[:300],
            number=(number or "").strip()[:100],
            created_by=user_or_system(actor),
        )
        if on_site_share is not None:
            plan.on_site_share = on_site_share
        plan.save()
        reference = dt.date(year, 1, 1) if today.year < year else min(today, dt.date(year, 12, 31))
        units = list(participants(owner, reference))
        risks = risk.assess(owner, units, year, today)
        sample = risk.propose(units, risks, plan.on_site_share)
        ranked = sorted(
            (u for u in units if u.pk in sample), key=lambda u: (-risks[u.pk].score, u.name)
        )
        months = dict(
            zip((u.pk for u in ranked), _visit_months(len(ranked), year, today), strict=True)
        )
        Inspection.objects.bulk_create(
            [
                Inspection(
                    plan=plan,
                    unit=u,
                    mode=Inspection.Mode.ON_SITE if u.pk in sample else Inspection.Mode.RECORDS,
                    proposed_on_site=u.pk in sample,
                    risk_score=min(risks[u.pk].score, 32767),
                    risk_reasons=risks[u.pk].reasons,
                    planned_month=months.get(u.pk, RECORDS_MONTH),
                )
                for u in units
            ]
        )
        audit.record(
            actor=actor,
            action="inspection_plan_create",
            obj=plan,
            unit=owner,
            changes=audit.diff(None, audit.snapshot(plan, PLAN_FIELDS)),
            note=_("%(total)d agencies, %(on_site)d proposed on site")
            % {"total": len(units), "on_site": len(sample)},
        )
    return plan


def _require_draft(plan: InspectionPlan) -> None:
    if plan.status != InspectionPlan.Status.DRAFT:
        raise ValidationError(_("This plan is approved: its agencies and modes are fixed."))


def set_mode(
    actor,
    inspection: Inspection,
    mode: str,
    *,
    planned_month: int | None = None,
    today: dt.date | None = None,
) -> Inspection:
    """The DoST adjusts the sample: an agency on site or by its records (and the
    month it is planned for)."""
    _require_admin(actor, inspection)
    if mode not in Inspection.Mode.values:
        raise ValidationError({"mode": _("Choose on site or by records.")})
    if planned_month is not None and not 1 <= int(planned_month) <= 12:
        raise ValidationError({"planned_month": _("Choose a month from 1 to 12.")})
    with transaction.atomic():
        plan = _locked_plan(inspection.plan)
        _require_draft(plan)
        inspection = _locked(inspection)
        before = audit.snapshot(inspection, INSPECTION_FIELDS)
        inspection.mode = mode
        if planned_month is not None:
            inspection.planned_month = int(planned_month)
        inspection.save(update_fields=["mode", "planned_month"])
        if audit.diff(before, audit.snapshot(inspection, INSPECTION_FIELDS)):
            _record(
                actor,
                "inspection_mode",
                inspection,
                plan.owner,
                before,
                INSPECTION_FIELDS,
                note=str(inspection.unit),
            )
    return inspection


def approve_plan(
    actor, plan: InspectionPlan, *, number: str = "", today: dt.date | None = None
) -> InspectionPlan:
    """Approve the plan; refused while fewer agencies than the minimum share are on
    site (naming the shortfall)."""
    _require_admin(actor, plan)
    with transaction.atomic():
        plan = _locked_plan(plan)
        _require_draft(plan)
        counts = selectors.plan_counts(plan)
        if counts["shortfall"]:
            raise ValidationError(
                _(
                    "At least %(minimum)d of the %(total)d agencies must be inspected on "
                    "site; the plan has %(on_site)d: add %(short)d more."
                )
                % {
                    "minimum": counts["minimum"],
                    "total": counts["total"],
                    "on_site": counts["on_site"],
                    "short": counts["shortfall"],
                }
            )
        before = audit.snapshot(plan, PLAN_FIELDS)
        plan.status = InspectionPlan.Status.APPROVED
        if number.strip():
            plan.number = number.strip()[:100]
        plan.approved_at = stamp_for(today)
        plan.approved_by = user_or_system(actor)
        plan.save()
        _record(actor, "inspection_plan_approve", plan, plan.owner, before, PLAN_FIELDS)
    return plan


# ---------------------------------------------------------------- one inspection


def _require_approved(inspection: Inspection) -> None:
    if inspection.plan.status != InspectionPlan.Status.APPROVED:
        raise ValidationError(_("Approve the plan first."))


def _require_open(inspection: Inspection) -> None:
    if inspection.status == Inspection.Status.CLOSED:
        raise ValidationError(_("This inspection is closed."))


def issue_decision(
    actor,
    inspection: Inspection,
    *,
    number: str,
    date: dt.date,
    lead,
    team: str = "",
    scheduled_on: dt.date,
    today: dt.date | None = None,
) -> Inspection:
    """The inspection decision (form 20): number, date, the team lead (a DoST officer
    of the owner), the team and the day of the visit."""
    owner = inspection.plan.owner
    _require_overseer(actor, inspection)
    errors = {}
    number = (number or "").strip()
    if not number:
        errors["number"] = _("Enter the decision number.")
    if date is None:
        errors["date"] = _("Enter the decision date.")
    elif date > today_or_local(today):
        errors["date"] = _("The decision date cannot be in the future.")
    if scheduled_on is None:
        errors["scheduled_on"] = _("Enter the inspection date.")
    elif date is not None and scheduled_on < date:
        errors["scheduled_on"] = _("The inspection cannot take place before its decision.")
    if lead is None or not org.is_overseer_of(lead, owner):
        errors["lead"] = _("The team lead must be a DoST officer of %(owner)s.") % {"owner": owner}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        inspection = _locked(inspection)
        _require_approved(inspection)
        _require_open(inspection)
        before = audit.snapshot(inspection, INSPECTION_FIELDS)
        inspection.decision_number = number[:100]
        inspection.decision_date = date
        inspection.lead = lead
        inspection.team = (team or "").strip()
        inspection.scheduled_on = scheduled_on
        if inspection.status == Inspection.Status.PLANNED:
            inspection.status = Inspection.Status.DECIDED
        inspection.save()
        _record(
            actor, "inspection_decision", inspection, inspection.unit, before, INSPECTION_FIELDS
        )
    notify(
        _agency_people(inspection.unit_id).get(inspection.unit_id, []),
        key=f"inspections:decision:{inspection.pk}:{number}",
        subject=_("Inspection decision %(number)s: on-site inspection on %(date)s")
        % {"number": number, "date": scheduled_on.strftime("%d/%m/%Y")},
        body=str(inspection.plan),
        url=inspection_url(inspection),
        unit=inspection.unit,
        kind="inspections",
    )
    return inspection


def record_minutes(
    actor,
    inspection: Inspection,
    *,
    inspected_on: dt.date,
    representatives: str = "",
    summary: str = "",
    conclusion: str,
    today: dt.date | None = None,
) -> Inspection:
    """The minutes (form 21): when, who represented the agency, what was seen and the
    conclusion. The corrective report is due 2 months after the inspection."""
    _require_overseer(actor, inspection)
    errors = {}
    if inspected_on is None:
        errors["inspected_on"] = _("Enter the day of the inspection.")
    elif inspected_on > today_or_local(today):
        errors["inspected_on"] = _("The inspection day cannot be in the future.")
    conclusion = (conclusion or "").strip()
    if not conclusion:
        errors["conclusion"] = _("Write the conclusion of the inspection.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        inspection = _locked(inspection)
        _require_approved(inspection)
        _require_open(inspection)
        if inspection.is_on_site and not inspection.decision_number:
            raise ValidationError(_("An on-site inspection needs its decision first."))
        before = audit.snapshot(inspection, INSPECTION_FIELDS)
        previous_due = inspection.corrective_report_due
        inspection.inspected_on = inspected_on
        inspection.agency_representatives = (representatives or "").strip()
        inspection.summary = (summary or "").strip()
        inspection.conclusion = conclusion
        inspection.corrective_report_due = add_months(inspected_on, REPORT_MONTHS)
        inspection.status = Inspection.Status.DONE
        inspection.save()
        _record(actor, "inspection_minutes", inspection, inspection.unit, before, INSPECTION_FIELDS)
        if previous_due and previous_due != inspection.corrective_report_due:
            _move_nonconformity_dues(inspection, previous_due)
    return inspection


def _move_nonconformity_dues(inspection: Inspection, previous_due: dt.date) -> None:
    """The minutes' date changed: the open nonconformities of the findings that were
    due with the corrective report follow its new due date (by the system, audited
    in the agency's register)."""
    from govqms.improvement.models import Nonconformity, Status
    from govqms.improvement.services import update_nonconformity

    ids = inspection.findings.filter(nonconformity_id__isnull=False).values_list(
        "nonconformity_id", flat=True
    )
    for nc in Nonconformity.objects.filter(
        pk__in=list(ids), unit=inspection.unit, due_date=previous_due
    ).exclude(status=Status.CLOSED):
        update_nonconformity(None, nc, due_date=inspection.corrective_report_due)


def _open_nonconformity(finding: InspectionFinding):
    """The finding's nonconformity in the agency's register (once: the improvement
    service is idempotent on the finding's id)."""
    from govqms.improvement.services import open_nonconformity

    inspection = finding.inspection
    day = inspection.inspected_on or inspection.scheduled_on
    from .documents import issuer

    # Stored on the nonconformity: written in the site's language, not the reader's.
    with translation.override(settings.LANGUAGE_CODE):
        label = _("Inspection %(year)d by %(owner)s") % {
            "year": inspection.plan.year,
            "owner": issuer(inspection.plan.owner),
        }
    if inspection.decision_number:
        label = f"{label} ({inspection.decision_number})"
    # The DoST's right to record the finding was checked by the caller; the
    # nonconformity is raised by the system in the agency's register.
    nc = open_nonconformity(
        None,
        unit=inspection.unit,
        source_kind="inspection",
        source_id=str(finding.pk),
        source_label=label,
        source_url=inspection_url(inspection) + f"#finding-{finding.pk}",
        title=finding.text.strip().splitlines()[0][:200],
        description=finding.text,
        clause=finding.clause,
        due_date=inspection.corrective_report_due,
        detected_on=day,
    )
    if finding.nonconformity_id != nc.pk:
        finding.nonconformity_id = nc.pk
        finding.save(update_fields=["nonconformity_id"])
    return nc


def add_finding(
    actor,
    inspection: Inspection,
    *,
    clause: str = "",
    text: str,
    grade: str = InspectionFinding.Grade.NONCONFORMITY,
    today: dt.date | None = None,
) -> InspectionFinding:
    """A finding of the inspection; a nonconformity becomes a nonconformity of the
    agency (improvement app, source "inspection")."""
    _require_overseer(actor, inspection)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Describe the finding.")})
    if grade not in InspectionFinding.Grade.values:
        raise ValidationError({"grade": _("Choose the grade of the finding.")})
    with transaction.atomic():
        inspection = _locked(inspection)
        _require_approved(inspection)
        _require_open(inspection)
        # The findings are part of the minutes, whose date sets the nonconformities'
        # due date (the corrective report's).
        if inspection.status != Inspection.Status.DONE:
            raise ValidationError(_("Record the minutes of the inspection first."))
        last = inspection.findings.order_by("-order").values_list("order", flat=True).first()
        finding = InspectionFinding.objects.create(
            inspection=inspection,
            order=(last or 0) + 1,
            clause=(clause or "").strip()[:20],
            text=text,
            grade=grade,
            created_at=stamp_for(today),
            created_by=user_or_system(actor),
        )
        if grade == InspectionFinding.Grade.NONCONFORMITY:
            _open_nonconformity(finding)
        _record(actor, "inspection_finding", finding, inspection.unit, None, FINDING_FIELDS)
    return finding


def raise_nonconformities(inspection: Inspection) -> int:
    """Open the nonconformity of every nonconformity finding that has none yet
    (repairs an interrupted run; idempotent). Returns how many were opened."""
    opened = 0
    findings = inspection.findings.filter(
        grade=InspectionFinding.Grade.NONCONFORMITY, nonconformity_id__isnull=True
    ).select_related("inspection__plan__owner", "inspection__unit")
    for finding in findings:
        with transaction.atomic():
            before = audit.snapshot(finding, FINDING_FIELDS)
            _open_nonconformity(finding)
            _record(None, "inspection_finding", finding, inspection.unit, before, FINDING_FIELDS)
        opened += 1
    return opened


def submit_corrective_report(
    actor,
    inspection: Inspection,
    *,
    text: str,
    file=None,
    today: dt.date | None = None,
) -> Inspection:
    """The agency's report of its corrections (ISO secretary or head), with an
    optional file (PDF, DOCX or XLSX, checked by content)."""
    from govqms.core import files
    from govqms.documents.services.attachments import check_file, display_name

    require(
        actor,
        "inspections.report",
        inspection,
        message=_("Only the agency's ISO secretary or head submits this report."),
    )
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Describe the corrections made.")})
    kind = None
    if file is not None:
        try:
            kind = check_file(file, getattr(file, "name", ""))
        except ValidationError as exc:
            raise ValidationError({"file": exc.messages}) from None
    with transaction.atomic():
        inspection = _locked(inspection)
        _require_open(inspection)
        if inspection.status != Inspection.Status.DONE:
            raise ValidationError(_("The corrective report follows the inspection's minutes."))
        before = audit.snapshot(inspection, INSPECTION_FIELDS)
        inspection.corrective_report_text = text
        inspection.corrective_report_at = stamp_for(today)
        inspection.corrective_report_by = user_or_system(actor)
        if file is not None:
            inspection.corrective_report_file_name = display_name(getattr(file, "name", ""))
            inspection.corrective_report_sha256 = files.sha256(file)
            files.store(inspection.corrective_report_file, file, kind)
        inspection.save()
        _record(actor, "inspection_report", inspection, inspection.unit, before, INSPECTION_FIELDS)
    notify(
        _dost_people([inspection.plan.owner_id]).get(inspection.plan.owner_id, []),
        key=f"inspections:report_received:{inspection.pk}:{inspection.corrective_report_at:%Y%m%d%H%M%S}",
        subject=_("Corrective report received: %(unit)s") % {"unit": inspection.unit},
        body=text[:500],
        url=inspection_url(inspection),
        unit=inspection.plan.owner,
        kind="inspections",
    )
    return inspection


def needs_report(inspection: Inspection) -> bool:
    """A corrective report is expected when a finding is a nonconformity."""
    return any(f.grade == InspectionFinding.Grade.NONCONFORMITY for f in inspection.findings.all())


def close_inspection(actor, inspection: Inspection, *, today: dt.date | None = None) -> Inspection:
    """Close the inspection (the DoST), once the minutes are recorded and, when it
    found nonconformities, the agency's corrective report was received."""
    _require_overseer(actor, inspection)
    with transaction.atomic():
        inspection = _locked(inspection)
        _require_open(inspection)
        if inspection.status != Inspection.Status.DONE:
            raise ValidationError(_("Record the minutes of the inspection first."))
        if needs_report(inspection) and not inspection.report_received:
            raise ValidationError(
                _("The agency's corrective report has not been received yet (due %(due)s).")
                % {"due": inspection.corrective_report_due.strftime("%d/%m/%Y")}
            )
        before = audit.snapshot(inspection, INSPECTION_FIELDS)
        inspection.status = Inspection.Status.CLOSED
        inspection.closed_at = stamp_for(today)
        inspection.closed_by = user_or_system(actor)
        inspection.save()
        _record(actor, "inspection_close", inspection, inspection.unit, before, INSPECTION_FIELDS)
    return inspection


# ---------------------------------------------------------------- the daily chase


def _agency_people(*unit_ids, roles=REPORT_ROLES) -> dict[int, list]:
    people: dict[int, list] = {}
    for m in (
        Membership.objects.active_on()
        .filter(unit_id__in=unit_ids, role__in=roles)
        .select_related("user")
        .order_by("unit_id", "role", "user_id")
    ):
        if m.user.is_active and m.user not in people.setdefault(m.unit_id, []):
            people[m.unit_id].append(m.user)
    return people


def _dost_people(owner_ids) -> dict[int, list]:
    return _agency_people(*owner_ids, roles={Role.DOST_OFFICER, Role.DOST_ADMIN})


def chase(today: dt.date | None = None) -> int:
    """The daily job: remind the agency (ISO secretary, head) 14 and 3 days before its
    corrective report is due; once overdue tell the head, and 5 working days later the
    DoST officers of the plan's owner. Idempotent (keys per inspection and due date)."""
    today = today_or_local(today)
    horizon = today + dt.timedelta(days=max(REMIND_DAYS))
    pending = list(
        Inspection.objects.filter(
            status=Inspection.Status.DONE,
            corrective_report_at__isnull=True,
            corrective_report_due__isnull=False,
            corrective_report_due__lte=horizon,
            findings__grade=InspectionFinding.Grade.NONCONFORMITY,
        )
        .distinct()
        .select_related("unit", "plan__owner")
    )
    if not pending:
        return 0
    agency = _agency_people(*{i.unit_id for i in pending})
    heads = _agency_people(*{i.unit_id for i in pending}, roles={Role.HEAD})
    dost = _dost_people({i.plan.owner_id for i in pending})
    calendars: dict[str, Calendar] = {}
    count = 0
    for inspection in pending:
        due = inspection.corrective_report_due
        unit = inspection.unit
        url = inspection_url(inspection)
        due_text = due.strftime("%d/%m/%Y")
        if due >= today:
            # The nearest reminder only: a day the job did not run is not made up by
            # sending the earlier reminder together with the later one.
            left = (due - today).days
            days = min(d for d in REMIND_DAYS if left <= d)
            count += len(
                notify(
                    agency.get(unit.pk, []),
                    key=f"inspections:report_due:{inspection.pk}:{due.isoformat()}:{days}",
                    subject=_("Corrective report to the DoST due on %(due)s") % {"due": due_text},
                    body=_("Report the corrections of the findings of the inspection of %(date)s.")
                    % {"date": inspection.inspected_on.strftime("%d/%m/%Y")},
                    url=url,
                    unit=unit,
                    kind="inspections",
                )
            )
            continue
        subject = _("Overdue corrective report: %(unit)s, due %(due)s") % {
            "unit": unit,
            "due": due_text,
        }
        count += len(
            notify(
                heads.get(unit.pk, []),
                key=f"inspections:report_overdue_head:{inspection.pk}:{due.isoformat()}",
                subject=subject,
                body=_("The corrective report of the inspection is overdue."),
                url=url,
                unit=unit,
                kind="inspections",
            )
        )
        scope = unit.province or ""
        if scope not in calendars:
            calendars[scope] = Calendar.for_scope(scope)
        try:
            dost_day = calendars[scope].next_working_day(due, DOST_ESCALATION_WORKING_DAYS)
        except CalendarRangeError:
            dost_day = due + dt.timedelta(days=7)
        if today >= dost_day:
            count += len(
                notify(
                    dost.get(inspection.plan.owner_id, []),
                    key=f"inspections:report_overdue_dost:{inspection.pk}:{due.isoformat()}",
                    subject=subject,
                    body=_("The agency's head was told on the due date; no report since."),
                    url=url,
                    unit=inspection.plan.owner,
                    kind="inspections",
                )
            )
    return count
