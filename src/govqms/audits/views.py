"""Pages of internal audit: thin (parse, call a service or selector, render)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govqms.core.pages import add_service_errors as _form_errors
from govqms.organizations import selectors as org
from govqms.reports.http import DOCX, PDF, attachment

from . import report, selectors, services
from .clauses import clause_label
from .forms import (
    AuditorForm,
    EvidenceForm,
    FindingForm,
    InviteForm,
    ItemForm,
    PlanForm,
    ProgrammeForm,
    ReportTextForm,
    ResultForm,
    StatusForm,
)
from .models import Grade, PlanStatus, Result


def _need(user, perm, obj):
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def _year(value, default):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


# ---------------------------------------------------------------- plans list and programme


@login_required
def plan_list(request, unit_pk):
    unit = org.get_internal_unit(request.user, unit_pk, what="internal audits")
    params = request.GET
    year = _year(params.get("year"), None)
    status = params.get("status") if params.get("status") in PlanStatus.values else ""
    query = (params.get("q") or "").strip()
    qs = selectors.plans(request.user, unit, year=year, status=status, query=query)
    page = selectors.page_of(qs, params.get("page"))
    keep = request.GET.copy()
    keep.pop("page", None)
    shown_year = year or timezone.localdate().year
    return render(
        request,
        "audits/plan_list.html",
        {
            "unit": unit,
            "page": page,
            "query_string": keep.urlencode(),
            "year": year,
            "status": status,
            "q": query,
            "years": selectors.programme_years(request.user, unit),
            "statuses": PlanStatus.choices,
            "programme": selectors.programme(request.user, unit, shown_year),
            "shown_year": shown_year,
            "completed_this_year": selectors.audit_completed_in_year(unit, shown_year),
            "can_manage": request.user.has_perm("audits.manage", unit),
        },
    )


@login_required
def programme_detail(request, unit_pk, year):
    unit = org.get_internal_unit(request.user, unit_pk, what="internal audit programme")
    programme = selectors.programme(request.user, unit, year)
    plans = selectors.plans(request.user, unit, year=year).prefetch_related("processes")
    covered_clauses = {c for p in plans for c in p.clauses}
    covered_processes = {d.pk for p in plans for d in p.processes.all()}
    return render(
        request,
        "audits/programme.html",
        {
            "unit": unit,
            "year": year,
            "programme": programme,
            "plans": plans,
            "clauses": [
                (c, clause_label(c), c in covered_clauses)
                for c in (programme.clauses if programme else [])
            ],
            "processes": [
                (d, d.pk in covered_processes)
                for d in (programme.processes.all() if programme else [])
            ],
            "can_manage": request.user.has_perm("audits.manage", unit),
        },
    )


@login_required
def programme_edit(request, unit_pk, year):
    unit = org.get_internal_unit(request.user, unit_pk, what="internal audit programme")
    _need(request.user, "audits.manage", unit)
    programme = selectors.programme(request.user, unit, year)
    initial = {}
    if programme:
        initial = {
            "objectives": programme.objectives,
            "criteria": programme.criteria,
            "frequency": programme.frequency,
            "clauses": programme.clauses,
            "processes": list(programme.processes.all()),
        }
    form = ProgrammeForm(request.POST or None, unit=unit, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_programme(request.user, unit, year, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Audit programme saved."))
            return redirect("audit_programme", unit_pk=unit.pk, year=year)
    return render(request, "audits/programme_form.html", {"unit": unit, "year": year, "form": form})


# ---------------------------------------------------------------- plans


@login_required
def plan_create(request, unit_pk):
    unit = org.get_internal_unit(request.user, unit_pk, what="internal audit plan")
    _need(request.user, "audits.manage", unit)
    form = PlanForm(request.POST or None, unit=unit)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.create_plan(request.user, unit, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Audit planned."))
            return redirect("audit_plan_detail", pk=plan.pk)
    return render(request, "audits/plan_form.html", {"unit": unit, "form": form, "plan": None})


@login_required
def plan_edit(request, pk):
    plan = selectors.get_plan(request.user, pk)
    _need(request.user, "audits.manage", plan)
    initial = {
        "title": plan.title,
        "planned_start": timezone.localtime(plan.planned_start),
        "planned_end": timezone.localtime(plan.planned_end),
        "lead": plan.lead,
        "team": list(plan.team.all()),
        "processes": list(plan.processes.all()),
        "clauses": plan.clauses,
        "divisions": plan.divisions,
        "objectives": plan.objectives,
        "criteria": plan.criteria,
    }
    form = PlanForm(request.POST or None, unit=plan.unit, plan=plan, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_plan(request.user, plan, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Audit plan updated."))
            return redirect("audit_plan_detail", pk=plan.pk)
    return render(request, "audits/plan_form.html", {"unit": plan.unit, "form": form, "plan": plan})


@login_required
def plan_detail(request, pk):
    plan = selectors.get_plan(request.user, pk)
    user = request.user
    items = list(selectors.checklist(plan))
    can_conduct = user.has_perm("audits.conduct", plan) and plan.status not in (
        PlanStatus.REPORT_ISSUED,
        PlanStatus.CANCELLED,
    )
    return render(
        request,
        "audits/plan_detail.html",
        {
            "unit": plan.unit,
            "plan": plan,
            "processes": list(plan.processes.order_by("code")),
            "clauses": [clause_label(c) for c in plan.clauses],
            "team": plan.auditors(),
            "invitations": list(
                plan.invitations.select_related("auditor__user", "auditor__unit", "membership")
            ),
            "items": items,
            "progress": selectors.checklist_progress(plan),
            "findings": selectors.findings_with_nonconformities(plan),
            "by_grade": selectors.findings_by_grade(plan),
            "results": Result.choices,
            "duration": selectors.audit_duration_hours(plan),
            "scope_size": selectors.scope_size(plan),
            "short": selectors.implausibly_short(plan),
            "copied": selectors.previous_year_checklist_same(plan),
            "can_manage": user.has_perm("audits.manage", plan)
            and plan.status != PlanStatus.CANCELLED,
            "can_conduct": can_conduct,
            "can_invite": user.has_perm("audits.invite", plan)
            and plan.status in (PlanStatus.PLANNED, PlanStatus.IN_PROGRESS),
            "item_form": ItemForm(unit=plan.unit),
            "finding_form": FindingForm(plan=plan),
            "text_form": ReportTextForm(
                initial={"summary": plan.summary, "conclusion": plan.conclusion}
            ),
            "grades": Grade.choices,
        },
    )


@login_required
@require_POST
def plan_status(request, pk):
    plan = selectors.get_plan(request.user, pk)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Unknown action."))
        return redirect("audit_plan_detail", pk=plan.pk)
    action, at = form.cleaned_data["action"], form.cleaned_data["at"]
    perm = "audits.conduct" if action in ("start", "complete") else "audits.manage"
    _need(request.user, perm, plan)
    try:
        if action == "start":
            services.start_audit(request.user, plan, at=at)
            messages.success(request, _("Audit started."))
        elif action == "complete":
            services.complete_audit(request.user, plan, at=at)
            messages.success(request, _("Audit completed."))
        elif action == "issue":
            services.issue_report(request.user, plan)
            messages.success(request, _("Audit report issued."))
        else:
            services.cancel_plan(request.user, plan)
            messages.success(request, _("Audit cancelled."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("audit_plan_detail", pk=plan.pk)


@login_required
@require_POST
def plan_report_text(request, pk):
    plan = selectors.get_plan(request.user, pk)
    _need(request.user, "audits.conduct", plan)
    form = ReportTextForm(request.POST)
    if form.is_valid():
        try:
            services.save_report_text(request.user, plan, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Summary and conclusion saved."))
    return redirect(reverse("audit_plan_detail", args=[plan.pk]) + "#report")


@login_required
def plan_invite(request, pk):
    plan = selectors.get_plan(request.user, pk)
    _need(request.user, "audits.invite", plan)
    pool = services.pool(plan.unit, plan)
    form = InviteForm(request.POST or None, pool=pool)
    if request.method == "POST" and form.is_valid():
        try:
            services.invite_auditor(request.user, plan, form.cleaned_data["auditor"])
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Auditor invited for the audit's days."))
            return redirect("audit_plan_detail", pk=plan.pk)
    return render(
        request, "audits/invite.html", {"unit": plan.unit, "plan": plan, "form": form, "pool": pool}
    )


@login_required
def report_docx(request, pk):
    plan = selectors.get_plan(request.user, pk, what="internal audit report")
    return attachment(report.render_docx(plan), f"bao-cao-danh-gia-noi-bo-{plan.pk}.docx", DOCX)


@login_required
def report_pdf(request, pk):
    plan = selectors.get_plan(request.user, pk, what="internal audit report")
    return attachment(report.render_pdf(plan), f"bao-cao-danh-gia-noi-bo-{plan.pk}.pdf", PDF)


# ---------------------------------------------------------------- checklist


def _back(item_or_plan, anchor=""):
    plan = getattr(item_or_plan, "plan", item_or_plan)
    return redirect(reverse("audit_plan_detail", args=[plan.pk]) + anchor)


@login_required
@require_POST
def checklist_generate(request, pk):
    plan = selectors.get_plan(request.user, pk)
    _need(request.user, "audits.conduct", plan)
    try:
        created = services.generate_checklist(
            request.user, plan, replace=request.POST.get("replace") == "1"
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("%(n)s questions added to the checklist.") % {"n": len(created)}
        )
    return _back(plan, "#checklist")


@login_required
@require_POST
def item_add(request, pk):
    plan = selectors.get_plan(request.user, pk)
    _need(request.user, "audits.conduct", plan)
    form = ItemForm(request.POST, unit=plan.unit)
    if form.is_valid():
        try:
            services.add_item(request.user, plan, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Question added."))
    else:
        messages.error(request, _("Write the question."))
    return _back(plan, "#checklist")


@login_required
def item_edit(request, pk):
    item = selectors.get_item(request.user, pk)
    plan = item.plan
    if request.method == "POST":
        _need(request.user, "audits.conduct", plan)
        what = request.POST.get("what")
        form = (
            ResultForm(request.POST) if what == "result" else ItemForm(request.POST, unit=plan.unit)
        )
        if form.is_valid():
            try:
                services.edit_item(request.user, item, **form.cleaned_data)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("Checklist updated."))
                return _back(plan, f"#item-{item.pk}")
    return render(
        request,
        "audits/item.html",
        {
            "unit": plan.unit,
            "plan": plan,
            "item": item,
            "form": ItemForm(
                unit=plan.unit,
                initial={"question": item.question, "clause": item.clause, "process": item.process},
            ),
            "result_form": ResultForm(initial={"result": item.result, "notes": item.notes}),
            "evidence_form": EvidenceForm(),
            "evidence": list(item.evidence.all()),
            "can_conduct": request.user.has_perm("audits.conduct", plan)
            and plan.status not in (PlanStatus.REPORT_ISSUED, PlanStatus.CANCELLED),
        },
    )


@login_required
@require_POST
def item_delete(request, pk):
    item = selectors.get_item(request.user, pk)
    _need(request.user, "audits.conduct", item.plan)
    try:
        services.delete_item(request.user, item)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Question deleted."))
    return _back(item.plan, "#checklist")


@login_required
@require_POST
def item_move(request, pk):
    item = selectors.get_item(request.user, pk)
    _need(request.user, "audits.conduct", item.plan)
    try:
        services.move_item(request.user, item, -1 if request.POST.get("direction") == "up" else 1)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return _back(item.plan, f"#item-{item.pk}")


@login_required
@require_POST
def evidence_add(request, pk):
    item = selectors.get_item(request.user, pk)
    _need(request.user, "audits.conduct", item.plan)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.add_evidence(request.user, item, upload, name=upload.name)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Evidence file added."))
    else:
        messages.error(request, _("Choose a file."))
    return redirect("audit_item", pk=item.pk)


def _file_response(field, name, content_type):
    response = FileResponse(
        field.open("rb"), as_attachment=True, filename=name, content_type=content_type
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def evidence_download(request, pk):
    evidence = selectors.get_evidence(request.user, pk)
    return _file_response(evidence.file, evidence.original_name, evidence.content_type)


# ---------------------------------------------------------------- findings


@login_required
def finding_add(request, pk):
    plan = selectors.get_plan(request.user, pk)
    _need(request.user, "audits.conduct", plan)
    initial = {}
    item_pk = request.GET.get("item")
    if item_pk:
        item = plan.items.filter(pk=_year(item_pk, 0)).first()
        if item:
            initial = {"item": item, "clause": item.clause, "process": item.process}
    form = FindingForm(request.POST or None, plan=plan, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            finding = services.record_finding(request.user, plan, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Finding recorded."))
            return _back(plan, f"#finding-{finding.pk}")
    return render(
        request, "audits/finding_form.html", {"unit": plan.unit, "plan": plan, "form": form}
    )


# ---------------------------------------------------------------- auditor register


@login_required
def auditor_list(request, unit_pk):
    unit = org.get_internal_unit(request.user, unit_pk, what="auditor register")
    today = timezone.localdate()
    rows = [
        {"auditor": a, "valid": a.valid_on(today)} for a in selectors.auditors(request.user, unit)
    ]
    return render(
        request,
        "audits/auditors.html",
        {
            "unit": unit,
            "rows": rows,
            "today": today,
            "can_manage": request.user.has_perm("audits.manage", unit),
        },
    )


@login_required
def auditor_add(request, unit_pk):
    unit = org.get_internal_unit(request.user, unit_pk, what="auditor register")
    _need(request.user, "audits.manage", unit)
    form = AuditorForm(request.POST or None, request.FILES or None, unit=unit)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        upload = data.pop("file")
        try:
            services.register_auditor(
                request.user, unit, file=upload, file_name=getattr(upload, "name", ""), **data
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Auditor registered."))
            return redirect("audit_auditors", unit_pk=unit.pk)
    return render(
        request, "audits/auditor_form.html", {"unit": unit, "form": form, "auditor": None}
    )


@login_required
def auditor_edit(request, pk):
    auditor = selectors.get_auditor(request.user, pk)
    _need(request.user, "audits.manage", auditor.unit)
    initial = {
        "user": auditor.user,
        **{k: getattr(auditor, k) for k in services.AUDITOR_FIELDS},
    }
    form = AuditorForm(
        request.POST or None,
        request.FILES or None,
        unit=auditor.unit,
        auditor=auditor,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("user", None)
        upload = data.pop("file")
        try:
            services.update_auditor(
                request.user, auditor, file=upload, file_name=getattr(upload, "name", ""), **data
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Auditor updated."))
            return redirect("audit_auditors", unit_pk=auditor.unit_id)
    return render(
        request,
        "audits/auditor_form.html",
        {"unit": auditor.unit, "form": form, "auditor": auditor},
    )


@login_required
def auditor_certificate(request, pk):
    auditor = selectors.get_auditor(request.user, pk)
    if not auditor.certificate_file:
        from django.http import Http404

        raise Http404("No file.")
    return _file_response(
        auditor.certificate_file, auditor.certificate_file_name, auditor.certificate_content_type
    )
