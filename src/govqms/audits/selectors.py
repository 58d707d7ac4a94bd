"""Every read of internal audit, already filtered to what the user may see.

Pages first obtain the agency with `organizations.selectors.get_internal_unit` (404 for
outsiders, oversight reads logged); objects are then looked up inside that agency.
Also the formalism signals read by later helpers (duration vs scope, checklists copied
unchanged, audits with no findings) and the audit report's context."""

import datetime as dt
import hashlib
import re
import unicodedata

from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from govqms.core.text import search_terms
from govqms.documents.models import PROCEDURE_KINDS, Document
from govqms.organizations import selectors as org
from govqms.organizations.models import Membership

from .clauses import CLAUSE_NUMBERS, clause_title
from .models import (
    DONE_STATUSES,
    GRADE_ORDER,
    NC_GRADES,
    Auditor,
    AuditPlan,
    AuditProgramme,
    ChecklistItem,
    Evidence,
    Finding,
    Grade,
    PlanStatus,
)

# ---------------------------------------------------------------- lookups


def _internal(user, unit_pk, what):
    return org.get_internal_unit(user, unit_pk, what=what)


def get_plan(user, pk, *, what="internal audit") -> AuditPlan:
    try:
        unit_pk = AuditPlan.objects.values_list("unit_id", flat=True).get(pk=pk)
    except AuditPlan.DoesNotExist:
        raise Http404("No such audit.") from None
    unit = _internal(user, unit_pk, what)
    return get_object_or_404(
        AuditPlan.objects.select_related("unit", "lead", "programme"), unit=unit, pk=pk
    )


def get_item(user, pk) -> ChecklistItem:
    try:
        plan_pk = ChecklistItem.objects.values_list("plan_id", flat=True).get(pk=pk)
    except ChecklistItem.DoesNotExist:
        raise Http404("No such question.") from None
    plan = get_plan(user, plan_pk, what="internal audit checklist")
    return get_object_or_404(ChecklistItem.objects.select_related("plan"), plan=plan, pk=pk)


def get_evidence(user, pk) -> Evidence:
    try:
        item_pk = Evidence.objects.values_list("item_id", flat=True).get(pk=pk)
    except Evidence.DoesNotExist:
        raise Http404("No such file.") from None
    item = get_item(user, item_pk)
    return get_object_or_404(Evidence, item=item, pk=pk)


def get_auditor(user, pk) -> Auditor:
    try:
        unit_pk = Auditor.objects.values_list("unit_id", flat=True).get(pk=pk)
    except Auditor.DoesNotExist:
        raise Http404("No such auditor.") from None
    unit = _internal(user, unit_pk, "auditor register")
    return get_object_or_404(Auditor.objects.select_related("user", "unit"), unit=unit, pk=pk)


# ---------------------------------------------------------------- lists


def programme(user, unit, year) -> AuditProgramme | None:
    if not org.can_view_internal(user, unit):
        return None
    return AuditProgramme.objects.filter(unit=unit, year=year).first()


def programmes(user, unit):
    """The agency's audit programmes, newest year first."""
    if not org.can_view_internal(user, unit):
        return AuditProgramme.objects.none()
    return AuditProgramme.objects.filter(unit=unit).prefetch_related("processes").order_by("-year")


def programme_years(user, unit) -> list[int]:
    if not org.can_view_internal(user, unit):
        return []
    years = set(AuditProgramme.objects.filter(unit=unit).values_list("year", flat=True))
    years |= set(AuditPlan.objects.filter(unit=unit).values_list("year", flat=True))
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)


def plans(user, unit, *, year=None, status=None, query=None):
    if not org.can_view_internal(user, unit):
        return AuditPlan.objects.none()
    qs = AuditPlan.objects.filter(unit=unit).select_related("lead")
    if year:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    for term in search_terms(query):
        qs = qs.filter(search_text__contains=term)
    return qs.annotate(
        n_findings=Count("findings", distinct=True),
        n_nc=Count("findings", filter=Q(findings__grade__in=NC_GRADES), distinct=True),
    ).order_by("-planned_start", "-pk")


def open_plans(user, unit):
    """The agency's audits planned or in progress, soonest first."""
    if not org.can_view_internal(user, unit):
        return AuditPlan.objects.none()
    return AuditPlan.objects.filter(
        unit=unit, status__in=(PlanStatus.PLANNED, PlanStatus.IN_PROGRESS)
    ).order_by("planned_start")


def page_of(qs, number, per_page=25):
    return Paginator(qs, per_page).get_page(number)


def auditors(user, unit, *, active=None):
    if not org.can_view_internal(user, unit):
        return Auditor.objects.none()
    qs = Auditor.objects.filter(unit=unit).select_related("user")
    if active is not None:
        qs = qs.filter(active=active)
    return qs.order_by("-active", "user__full_name", "user__username")


def agency_procedures(unit):
    """The agency's procedures that can be in an audit's scope (callers checked the unit)."""
    return Document.objects.filter(unit=unit, kind__in=PROCEDURE_KINDS).order_by("code")


def agency_divisions(unit) -> list[str]:
    divisions = (
        Membership.objects.active_on()
        .filter(unit=unit)
        .exclude(division="")
        .values_list("division", flat=True)
    )
    return sorted(set(divisions))


def checklist(plan):
    return (
        plan.items.select_related("process")
        .prefetch_related("evidence", "findings")
        .order_by("order", "pk")
    )


def findings(plan):
    return plan.findings.select_related("process", "item").order_by("pk")


def findings_with_nonconformities(plan) -> list[dict]:
    """Each finding with the nonconformity it raised (status and link), if any."""
    rows = list(findings(plan))
    from govqms.improvement.selectors import nonconformities_for_source

    ncs = {}
    if rows:
        ncs = nonconformities_for_source(plan.unit, "audit_finding", [str(f.pk) for f in rows])
    out = []
    for f in rows:
        nc = ncs.get(str(f.pk))
        out.append(
            {
                "finding": f,
                "nc": nc,
                "nc_status": nc.get_status_display() if nc is not None else "",
                "nc_url": _nc_url(nc),
            }
        )
    return out


def _nc_url(nc) -> str:
    if nc is None:
        return ""
    from django.urls import reverse

    return reverse("nc_detail", kwargs={"unit_pk": nc.unit_id, "pk": nc.pk})


def findings_by_grade(plan) -> list[dict]:
    counts = dict(plan.findings.values_list("grade").annotate(n=Count("pk")))
    return [{"grade": g, "label": g.label, "count": counts.get(g.value, 0)} for g in Grade]


def checklist_progress(plan) -> dict:
    total = plan.items.count()
    answered = plan.items.exclude(result="").count()
    return {"total": total, "answered": answered}


# ---------------------------------------------------------------- KPIs of a process


def on_time_figures(plan, document) -> dict | None:
    """Resolved, late and on-time rate of the TTHC a procedure covers, over the 12
    months before the audit (monthly rollups of the kpis app)."""
    from govqms.kpis.models import MonthlyRollup
    from govqms.procedures.models import Assignment

    procedures = list(
        Assignment.objects.filter(unit=plan.unit, document=document).values_list(
            "procedure_id", flat=True
        )
    )
    if not procedures:
        return None
    start_day = plan.start_day
    end = dt.date(start_day.year, start_day.month, 1)
    first = dt.date(end.year - 1, end.month, 1)
    sums = MonthlyRollup.objects.filter(
        unit=plan.unit,
        procedure_id__in=procedures,
        total=False,
        month__gte=first,
        month__lt=end,
    ).aggregate(
        resolved=Sum("resolved"), early=Sum("early"), on_time=Sum("on_time"), late=Sum("late")
    )
    resolved = sums["resolved"] or 0
    if not resolved:
        return {"resolved": 0, "late": 0, "rate": None}
    in_time = (sums["early"] or 0) + (sums["on_time"] or 0)
    return {
        "resolved": resolved,
        "late": sums["late"] or 0,
        "rate": round(100.0 * in_time / resolved, 1),
    }


# ---------------------------------------------------------------- formalism signals

_PUNCT = re.compile(r"[^\w\s]", re.UNICODE)


def normalise_question(text: str) -> str:
    text = unicodedata.normalize("NFC", str(text or "")).casefold()
    text = _PUNCT.sub(" ", text)
    return " ".join(text.split())


def fingerprint_of(questions) -> str:
    """SHA-256 of the normalised question texts, order-insensitive (moving questions
    around does not make a checklist new)."""
    normalised = sorted(q for q in (normalise_question(t) for t in questions) if q)
    return hashlib.sha256("\n".join(normalised).encode("utf-8")).hexdigest()


def checklist_fingerprint(plan) -> str:
    texts = list(plan.items.values_list("question", flat=True))
    return fingerprint_of(texts) if texts else ""


def previous_year_checklist_same(plan) -> bool:
    """True when an audit of the same agency the year before had exactly the same
    checklist questions (copied unchanged)."""
    fingerprint = checklist_fingerprint(plan)
    if not fingerprint:
        return False
    previous = AuditPlan.objects.filter(unit=plan.unit, year=plan.year - 1).exclude(
        status=PlanStatus.CANCELLED
    )
    return any(checklist_fingerprint(p) == fingerprint for p in previous)


def audit_duration_hours(plan) -> float:
    """Hours the audit took (actual times if recorded, else planned)."""
    start = plan.actual_start or plan.planned_start
    end = plan.actual_end or plan.planned_end
    if not start or not end or end < start:
        return 0.0
    return round((end - start).total_seconds() / 3600, 2)


def scope_size(plan) -> int:
    """Processes plus clauses in the scope."""
    return plan.processes.count() + len(plan.clauses or [])


def implausibly_short(plan, *, hours_per_item: float = 1.0) -> bool:
    """Fewer than `hours_per_item` hours per process/clause in the scope."""
    size = scope_size(plan)
    return size > 0 and audit_duration_hours(plan) < hours_per_item * size


def completed_audits(unit, year=None):
    qs = AuditPlan.objects.filter(unit=unit, status__in=DONE_STATUSES)
    if year:
        qs = qs.filter(year=year)
    return qs


def audit_completed_in_year(unit, year: int) -> bool:
    return completed_audits(unit, year).exists()


def audits_without_findings(unit, year: int | None = None):
    """Completed audits that recorded no finding at all (formalism signal)."""
    return completed_audits(unit, year).annotate(n=Count("findings")).filter(n=0)


def years_without_findings(unit) -> list[int]:
    """Years in which the agency completed audits and none had any finding."""
    years = sorted(set(completed_audits(unit).values_list("year", flat=True)))
    return [
        y for y in years if not Finding.objects.filter(plan__in=completed_audits(unit, y)).exists()
    ]


# ---------------------------------------------------------------- the report


def _fmt_dt(value) -> str:
    if not value:
        return ""
    return timezone.localtime(value).strftime("%H:%M %d/%m/%Y")


def report_context(plan) -> dict:
    unit = plan.unit
    rows = findings_with_nonconformities(plan)
    by_grade = []
    for grade in Grade:
        items = [r for r in rows if r["finding"].grade == grade.value]
        by_grade.append({"grade": grade.value, "label": REPORT_GRADES[grade.value], "rows": items})
    team = [
        {
            "name": str(u),
            "role": "Trưởng đoàn" if u.pk == plan.lead_id else "Thành viên",
            "agency": _auditor_agency(plan, u),
        }
        for u in plan.auditors()
    ]
    return {
        "plan": plan,
        "agency": unit.name,
        "parent": unit.parent.name if unit.parent_id else "",
        "title": plan.title,
        "planned": f"{_fmt_dt(plan.planned_start)} – {_fmt_dt(plan.planned_end)}",
        "actual": (
            f"{_fmt_dt(plan.actual_start)} – {_fmt_dt(plan.actual_end)}"
            if plan.actual_start
            else ""
        ),
        "issued": plan.report_issued_on.strftime("%d/%m/%Y") if plan.report_issued_on else "",
        "objectives": plan.objectives,
        "criteria": plan.criteria,
        "processes": [str(d) for d in plan.processes.order_by("code")],
        "clauses": [f"{n} {clause_title(n)}" for n in plan.clauses],
        "divisions": list(plan.divisions),
        "team": team,
        "counts": [
            (REPORT_GRADES[g], sum(1 for r in rows if r["finding"].grade == g)) for g in GRADE_ORDER
        ],
        "by_grade": by_grade,
        "n_findings": len(rows),
        "summary": plan.summary,
        "conclusion": plan.conclusion,
        "lead": str(plan.lead),
        "place_date": _place_date(plan),
    }


# Fixed labels of the Vietnamese official report.
REPORT_GRADES = {
    "major": "Không phù hợp nặng",
    "minor": "Không phù hợp nhẹ",
    "observation": "Điểm lưu ý (quan sát)",
    "ofi": "Cơ hội cải tiến",
    "good_practice": "Thực hành tốt",
}


def _auditor_agency(plan, user) -> str:
    invitation = plan.invitations.filter(auditor__user=user).select_related("auditor__unit").first()
    return invitation.auditor.unit.name if invitation else plan.unit.name


def _place_date(plan) -> str:
    day = plan.report_issued_on or (
        timezone.localtime(plan.actual_end).date() if plan.actual_end else timezone.localdate()
    )
    return f"Ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


# ---------------------------------------------------------------- review inputs


def audits_in_period(unit, start: dt.date, end: dt.date):
    """Audits completed in the period (by their actual end, else planned end)."""
    qs = AuditPlan.objects.filter(unit=unit, status__in=DONE_STATUSES)
    return [
        p
        for p in qs.select_related("lead").order_by("planned_start")
        if start <= timezone.localtime(p.actual_end or p.planned_end).date() <= end
    ]


__all__ = [
    "CLAUSE_NUMBERS",
    "audit_completed_in_year",
    "audit_duration_hours",
    "audits_without_findings",
    "checklist_fingerprint",
    "implausibly_short",
    "previous_year_checklist_same",
]
