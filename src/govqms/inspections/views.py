"""Pages of the yearly inspection plan and of each inspection: thin views over
selectors and services.

- The plan pages are the DoST's (oversight roles only, 403 for others): the plan
  list, a new plan (DoST administrators), and a year's plan with every agency, its
  mode, risk and status, where the administrator adjusts the sample and approves.
- An inspection's page is shared: the DoST of the plan's owner runs it (decision,
  minutes, findings, closing); the inspected agency reads it and submits its
  corrective report. Anyone else gets 404. Oversight reads are logged where the
  agency sees them.
"""

import re
import unicodedata
from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, When
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from govqms.assessments import figures
from govqms.core.pages import query_without_page
from govqms.organizations import selectors as org
from govqms.reports.http import DOCX, attachment

from . import documents, risk, selectors, services
from .forms import (
    ApproveForm,
    DecisionForm,
    FindingForm,
    MinutesForm,
    ModeForm,
    PlanCreateForm,
    PlanFilterForm,
    ReportForm,
)
from .models import Inspection, InspectionPlan

PAGE_SIZE = 50
ON_SITE_LIST = 30


def _require_oversight(request):
    if not org.is_oversight_user(request.user):
        raise PermissionDenied


def _errors(request, exc: ValidationError):
    for message in exc.messages:
        messages.error(request, message)


def _with_reasons(rows):
    for row in rows:
        row.reasons = risk.reasons_text(row.risk_reasons)
    return rows


# ---------------------------------------------------------------- plans


def share_text(counts) -> str:
    """The share on site, "33,3 %" in Vietnamese (decimal comma), "33.3 %" in English."""
    value = figures.share(counts["on_site"], counts["total"])
    if value is None:
        return "—"
    if translation.get_language().startswith("vi"):
        return figures.percent(value)
    return f"{value} %"


@login_required
def inspection_plan_list(request):
    _require_oversight(request)
    plans = selectors.plans_with_counts(request.user)
    year = timezone.localdate().year
    # This year's on-site inspections, the open ones first (the plan page has them all).
    on_site = (
        selectors.visible_inspections(request.user)
        .filter(plan__year=year, mode=Inspection.Mode.ON_SITE)
        .order_by(
            Case(When(status=Inspection.Status.CLOSED, then=1), default=0),
            "scheduled_on",
            "planned_month",
            "unit__name",
        )
    )
    on_site_total = on_site.count()
    return render(
        request,
        "inspections/plan_list.html",
        {
            "plans": plans,
            "on_site": on_site[:ON_SITE_LIST],
            "on_site_total": on_site_total,
            "year": year,
            "can_create": bool(org.admin_roots(request.user)),
        },
    )


@login_required
def inspection_plan_create(request):
    owners = org.admin_roots(request.user)
    if not owners:
        raise PermissionDenied
    form = PlanCreateForm(
        request.POST or None,
        owners=owners,
        initial={"year": timezone.localdate().year, "owner": str(owners[0].pk)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.create_plan(
                request.user,
                owner=form.cleaned_data["owner"],
                year=form.cleaned_data["year"],
                title=form.cleaned_data["title"],
                number=form.cleaned_data["number"],
            )
        except ValidationError as exc:
            from govqms.core.pages import add_service_errors

            add_service_errors(form, exc)
        else:
            messages.success(request, _("The plan was created with the proposed on-site sample."))
            return redirect("inspection_plan_detail", plan.year)
    return render(request, "inspections/plan_form.html", {"form": form})


def _plan_context(request, plan: InspectionPlan):
    form = PlanFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = selectors.plan_inspections(
        request.user,
        plan,
        mode=data.get("mode") or None,
        status=data.get("status") or None,
        kind=data.get("kind") or None,
        query=data.get("q"),
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    _with_reasons(page.object_list)
    counts = selectors.plan_counts(plan)
    return {
        "plan": plan,
        "form": form,
        "page": page,
        "query_string": query_without_page(request),
        "counts": counts,
        "share_text": share_text(counts),
        "mode_choices": Inspection.Mode.choices,
        "is_admin": selectors.is_admin(request.user, plan),
        "is_draft": plan.status == InspectionPlan.Status.DRAFT,
        "months": range(1, 13),
        "approve_form": ApproveForm(initial={"number": plan.number}),
    }


@login_required
def inspection_plan_detail(request, year):
    _require_oversight(request)
    plan = selectors.get_plan_for_year(request.user, year)
    if request.method == "POST":
        return _plan_action(request, plan)
    if request.GET.get("export") == "docx":
        content = documents.plan_docx(plan)
        return attachment(content, f"ke-hoach-kiem-tra-{plan.year}.docx", DOCX)
    return render(request, "inspections/plan_detail.html", _plan_context(request, plan))


def _plan_action(request, plan: InspectionPlan):
    if not selectors.is_admin(request.user, plan):
        raise PermissionDenied
    action = request.POST.get("action")
    if action == "mode":
        form = ModeForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose on site or by records."))
            return redirect(reverse("inspection_plan_detail", args=[plan.year]) + _back(request))
        inspection = (
            selectors.plan_inspections(request.user, plan)
            .filter(pk=form.cleaned_data["inspection"])
            .first()
        )
        if inspection is None:
            raise Http404
        try:
            services.set_mode(
                request.user,
                inspection,
                form.cleaned_data["mode"],
                planned_month=form.cleaned_data["planned_month"],
            )
        except ValidationError as exc:
            _errors(request, exc)
    elif action == "approve":
        form = ApproveForm(request.POST)
        number = form.cleaned_data["number"] if form.is_valid() else ""
        try:
            services.approve_plan(request.user, plan, number=number)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("The inspection plan is approved."))
    else:
        raise Http404
    return redirect(reverse("inspection_plan_detail", args=[plan.year]) + _back(request))


def _back(request) -> str:
    query = request.POST.get("query", "")
    return f"?{query}" if query and "\n" not in query else ""


# ---------------------------------------------------------------- one inspection


def _inspection(request, pk, what) -> Inspection:
    inspection = selectors.get_inspection(request.user, pk)
    if not org.is_member_of(request.user, inspection.unit):
        org.log_oversight_read(request.user, inspection.unit, what)
    return inspection


def _detail_context(request, inspection, **forms):
    overseer = selectors.is_overseer(request.user, inspection)
    approved = inspection.plan.status == InspectionPlan.Status.APPROVED
    is_open = inspection.status != Inspection.Status.CLOSED
    leads = selectors.lead_choices(inspection.plan)
    context = {
        "inspection": inspection,
        "plan": inspection.plan,
        "findings": selectors.findings(inspection),
        "overseer": overseer,
        "may_report": services.may_report(request.user, inspection.unit),
        "needs_report": services.needs_report(inspection),
        "can_run": overseer and approved and is_open,
        "today": timezone.localdate(),
        "reasons": risk.reasons_text(inspection.risk_reasons) if overseer else [],
    }
    context["decision_form"] = forms.get("decision_form") or DecisionForm(
        leads=leads,
        initial={
            "number": inspection.decision_number,
            "date": inspection.decision_date or timezone.localdate(),
            "lead": inspection.lead_id or (request.user.pk if overseer else None),
            "team": inspection.team,
            "scheduled_on": inspection.scheduled_on,
        },
    )
    context["minutes_form"] = forms.get("minutes_form") or MinutesForm(
        initial={
            "inspected_on": inspection.inspected_on or inspection.scheduled_on,
            "representatives": inspection.agency_representatives,
            "summary": inspection.summary,
            "conclusion": inspection.conclusion,
        }
    )
    context["finding_form"] = forms.get("finding_form") or FindingForm()
    context["report_form"] = forms.get("report_form") or ReportForm(
        initial={"text": inspection.corrective_report_text}
    )
    return context


@login_required
def inspection_detail(request, pk):
    inspection = _inspection(request, pk, _("Inspection"))
    forms = {}
    if request.method == "POST":
        result = _inspection_action(request, inspection, forms)
        if result is not None:
            return result
        inspection = selectors.get_inspection(request.user, pk)
    return render(
        request, "inspections/inspection_detail.html", _detail_context(request, inspection, **forms)
    )


def _inspection_action(request, inspection: Inspection, forms: dict):
    """Handle one of the page's forms; a redirect when it succeeded, None to show
    the page again with the form's errors."""
    from govqms.core.pages import add_service_errors

    action = request.POST.get("action")
    user = request.user
    overseer = selectors.is_overseer(user, inspection)
    anchor = ""
    if action == "report":
        if not services.may_report(user, inspection.unit):
            raise PermissionDenied
        form = ReportForm(request.POST, request.FILES)
        forms["report_form"] = form
        call = lambda d: services.submit_corrective_report(  # noqa: E731
            user, inspection, text=d["text"], file=d["file"]
        )
        done = _("Your corrective report was sent to the DoST.")
        anchor = "#report"
    elif not overseer:
        raise PermissionDenied
    elif action == "decision":
        form = DecisionForm(request.POST, leads=selectors.lead_choices(inspection.plan))
        forms["decision_form"] = form
        call = lambda d: services.issue_decision(user, inspection, **d)  # noqa: E731
        done = _("The inspection decision was recorded.")
        anchor = "#decision"
    elif action == "minutes":
        form = MinutesForm(request.POST)
        forms["minutes_form"] = form
        call = lambda d: services.record_minutes(user, inspection, **d)  # noqa: E731
        done = _("The minutes were recorded; the corrective report is due in 2 months.")
        anchor = "#minutes"
    elif action == "finding":
        form = FindingForm(request.POST)
        forms["finding_form"] = form
        call = lambda d: services.add_finding(user, inspection, **d)  # noqa: E731
        done = _("The finding was recorded.")
        anchor = "#findings"
    elif action == "close":
        try:
            services.close_inspection(user, inspection)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("The inspection is closed."))
        return redirect("inspection_detail", inspection.pk)
    else:
        raise Http404
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect(reverse("inspection_detail", args=[inspection.pk]) + anchor)
    return None


@login_required
def inspection_decision_docx(request, pk):
    inspection = _inspection(request, pk, _("Inspection decision (DOCX)"))
    name = f"quyet-dinh-kiem-tra-{inspection.plan.year}-{inspection.unit.code}.docx"
    return attachment(documents.decision_docx(inspection), name, DOCX)


@login_required
def inspection_minutes_docx(request, pk):
    inspection = _inspection(request, pk, _("Inspection minutes (DOCX)"))
    name = f"bien-ban-kiem-tra-{inspection.plan.year}-{inspection.unit.code}.docx"
    return attachment(documents.minutes_docx(inspection), name, DOCX)


def report_download_name(inspection: Inspection) -> str:
    """The agency's file name reduced to letters, digits and a few signs, with the
    extension of the type its content was checked as (the stored file's)."""
    stem = PurePath(inspection.corrective_report_file_name).stem
    stem = re.sub(r"[^\w\-. ()]+", "_", unicodedata.normalize("NFC", stem)).strip(" ._")
    extension = PurePath(inspection.corrective_report_file.name).suffix.lower()
    return f"{stem[:100] or 'bao-cao-khac-phuc'}{extension}"


@login_required
def inspection_report_file(request, pk):
    inspection = _inspection(request, pk, _("Corrective report file"))
    if not inspection.corrective_report_file:
        raise Http404
    response = FileResponse(
        inspection.corrective_report_file.open("rb"),
        as_attachment=True,
        filename=report_download_name(inspection),
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ---------------------------------------------------------------- the agency's side


@login_required
def agency_inspections(request, unit_pk):
    unit = org.get_internal_unit(request.user, unit_pk, what=_("Inspections"))
    items = list(selectors.unit_inspections(request.user, unit).select_related("plan__owner"))
    return render(
        request,
        "inspections/agency_inspections.html",
        {
            "unit": unit,
            "items": items,
            "may_report": services.may_report(request.user, unit),
            "today": timezone.localdate(),
        },
    )
