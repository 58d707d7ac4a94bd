"""Pages of satisfaction and complaints: thin (parse, call a selector or a service,
render). The public pages (`public_*`) need no sign-in."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govqms.core.pages import query_without_page as _query_without_page
from govqms.organizations import selectors as org
from govqms.reports.http import attachment

from . import exports, protection, selectors, services
from .forms import AnswerForm, ComplaintForm, PublicComplaintForm, SettingsForm
from .models import Channel, Status
from .protection import Refused


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _survey_url(request, unit) -> str:
    return request.build_absolute_uri(reverse("public_survey", args=[unit.code]))


def _nc_link(unit, complaint):
    from govqms.improvement.selectors import nonconformities_for_source

    nc = nonconformities_for_source(unit, "complaint", [complaint.pk]).get(str(complaint.pk))
    if nc is None:
        return None
    try:
        url = reverse("nc_detail", kwargs={"unit_pk": unit.pk, "pk": nc.pk})
    except NoReverseMatch:
        url = ""
    return {"nc": nc, "url": url}


# ---------------------------------------------------------------- public survey


def _qr(url: str):
    import segno

    return segno.make(url, error="m")


def public_survey(request, code):
    unit = selectors.public_unit(code)
    year = timezone.localdate().year
    questions = services.ensure_questions(unit, year)
    procedures = selectors.public_procedures(unit)
    context = {"unit": unit, "questions": questions, "procedures": procedures, "values": {}}
    if request.method == "POST":
        post = request.POST
        scores = {}
        for q in questions:
            value = post.get(f"q{q.pk}")
            if value in {"1", "2", "3", "4", "5"}:
                scores[q.pk] = int(value)
        choice = post.get("procedure", "")
        context["values"] = {
            "procedure": choice,
            "dossier_code": post.get("dossier_code", "")[:100],
            "comment": post.get("comment", "")[:4000],
            "scores": {str(k): v for k, v in scores.items()},
        }
        try:
            services.submit_survey(
                unit,
                token=post.get("token", ""),
                data=post,
                ip=protection.client_ip(request),
                procedure=selectors.public_procedure(unit, choice),
                dossier_code=post.get("dossier_code", "")[:100],
                scores=scores,
                comment=post.get("comment", ""),
            )
        except Refused as exc:
            context["refused"] = str(exc)
        except ValidationError as exc:
            context["error"] = _error_text(exc)
        else:
            return redirect("public_survey_thanks", code=unit.code)
    context["token"] = protection.issue_token(services.SURVEY_FORM, unit.pk)
    context["honeypot"] = protection.HONEYPOT_FIELD
    return render(request, "feedback/public_survey.html", context)


def public_survey_thanks(request, code):
    unit = selectors.public_unit(code)
    return render(request, "feedback/public_thanks.html", {"unit": unit, "kind": "survey"})


def public_survey_qr_svg(request, code):
    unit = selectors.public_unit(code)
    buffer = io.BytesIO()
    _qr(_survey_url(request, unit)).save(buffer, kind="svg", scale=8, border=2, xmldecl=True)
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


def public_survey_qr_png(request, code):
    unit = selectors.public_unit(code)
    buffer = io.BytesIO()
    _qr(_survey_url(request, unit)).save(buffer, kind="png", scale=12, border=2)
    return HttpResponse(buffer.getvalue(), content_type="image/png")


def public_complaint(request, code):
    unit = selectors.public_unit(code)
    procedures = selectors.public_procedures(unit)
    form = PublicComplaintForm(request.POST or None)
    context = {"unit": unit, "procedures": procedures, "form": form}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.submit_public_complaint(
                unit,
                token=request.POST.get("token", ""),
                data=request.POST,
                ip=protection.client_ip(request),
                subject=data["subject"],
                content=data["content"],
                procedure=selectors.public_procedure(unit, data["procedure"]),
                dossier_code=data["dossier_code"],
                complainant_name=data["complainant_name"],
                complainant_contact=data["complainant_contact"],
            )
        except Refused as exc:
            context["refused"] = str(exc)
        except ValidationError as exc:
            context["error"] = _error_text(exc)
        else:
            return redirect("public_complaint_thanks", code=unit.code)
    context["token"] = protection.issue_token(services.COMPLAINT_FORM, unit.pk)
    context["honeypot"] = protection.HONEYPOT_FIELD
    return render(request, "feedback/public_complaint.html", context)


def public_complaint_thanks(request, code):
    unit = selectors.public_unit(code)
    return render(request, "feedback/public_thanks.html", {"unit": unit, "kind": "complaint"})


# ---------------------------------------------------------------- agency: survey


@login_required
def satisfaction(request, unit_pk):
    unit = org.get_internal_unit(request.user, unit_pk, what="Satisfaction index")
    period = selectors.parse_period(request.GET)
    index = selectors.satisfaction_index(unit, period.start, period.end)
    trend = selectors.monthly_index(unit, period.start, period.end)
    figures = selectors.complaint_figures(unit, period.start, period.end)
    chart = {
        "questions": [r.label for r in index.by_question],
        "question_index": [r.index for r in index.by_question],
        "question_satisfied": [r.satisfied_share for r in index.by_question],
        "months": [r["month"] for r in trend],
        "month_index": [r["index"] for r in trend],
        "month_responses": [r["responses"] for r in trend],
    }
    return render(
        request,
        "feedback/satisfaction.html",
        {
            "unit": unit,
            "period": period,
            "index": index,
            "figures": figures,
            "chart": chart,
            "years": range(timezone.localdate().year, timezone.localdate().year - 6, -1),
            "survey_url": _survey_url(request, unit),
            "can_manage": selectors.can_manage(request.user, unit),
        },
    )


@login_required
def responses(request, unit_pk):
    unit = org.get_internal_unit(request.user, unit_pk, what="Survey responses")
    period = selectors.parse_period(request.GET)
    qs = selectors.responses(
        request.user,
        unit,
        start=period.start,
        end=period.end,
        procedure=request.GET.get("procedure") or None,
        query=request.GET.get("q"),
    )
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "feedback/responses.html",
        {
            "unit": unit,
            "period": period,
            "page": page,
            "q": request.GET.get("q", ""),
            "procedure": request.GET.get("procedure", ""),
            "procedures": selectors.response_procedures(unit),
            "query_string": _query_without_page(request),
            "years": range(timezone.localdate().year, timezone.localdate().year - 6, -1),
        },
    )


@login_required
def survey_settings(request, unit_pk):
    unit = org.get_internal_unit(request.user, unit_pk, what="Survey settings")
    if not selectors.can_manage(request.user, unit):
        raise PermissionDenied
    year = timezone.localdate().year
    try:
        year = int(request.GET.get("year") or year)
    except ValueError:
        pass
    if not 2000 <= year <= 2100:  # opening the page creates the year's questions
        year = timezone.localdate().year
    current = services.ensure_questions(unit, year)
    initial = {
        "questions": "\n".join(q.text for q in current),
        "complaint_working_days": services.complaint_working_days(unit),
    }
    form = SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():  # the questions and the time limit, or neither
                services.save_questions(request.user, unit, year, form.texts())
                services.set_complaint_working_days(
                    request.user, unit, form.cleaned_data["complaint_working_days"]
                )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The survey settings are saved."))
            return redirect(reverse("survey_settings", args=[unit.pk]) + f"?year={year}")
    return render(
        request,
        "feedback/survey_settings.html",
        {"unit": unit, "form": form, "year": year, "defaults": services.DEFAULT_QUESTIONS},
    )


@login_required
def survey_poster(request, unit_pk):
    unit = org.get_internal_unit(request.user, unit_pk, what="Survey poster")
    if not selectors.can_manage(request.user, unit):
        raise PermissionDenied
    size = "A5" if request.GET.get("size") == "a5" else "A4"
    url = _survey_url(request, unit)
    svg = _qr(url).svg_inline(scale=10, border=2, omitsize=True)
    short = url.split("://", 1)[-1]
    return render(
        request,
        "feedback/poster.html",
        {"unit": unit, "size": size, "url": url, "short_url": short, "qr_svg": svg},
    )


# ---------------------------------------------------------------- agency: complaints


def _complaint_filters(request):
    get = request.GET
    return {
        "query": get.get("q"),
        "status": get.get("status") or None,
        "channel": get.get("channel") or None,
        "overdue": get.get("overdue") == "1",
        "assigned_to_me": get.get("mine") == "1",
    }


@login_required
def complaint_list(request, unit_pk):
    unit = org.get_internal_unit(request.user, unit_pk, what="Complaints")
    qs = selectors.complaints(request.user, unit, **_complaint_filters(request))
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "feedback/complaint_list.html",
        {
            "unit": unit,
            "page": page,
            "today": timezone.localdate(),
            "filters": request.GET,
            "statuses": Status.choices,
            "channels": Channel.choices,
            "query_string": _query_without_page(request),
            "can_manage": selectors.can_manage(request.user, unit),
            "personal": selectors.can_see_personal(request.user, unit),
        },
    )


@login_required
def complaint_export(request, unit_pk):
    unit = org.get_internal_unit(request.user, unit_pk, what="Complaints (Excel)")
    qs = selectors.complaints(request.user, unit, **_complaint_filters(request))
    content = exports.complaints_xlsx(
        unit,
        qs.iterator(chunk_size=500),
        personal=selectors.can_see_personal(request.user, unit),
        today=timezone.localdate(),
    )
    return attachment(
        content,
        f"phan-anh-kien-nghi-{unit.code}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def _complaint_form(unit, data=None, initial=None):
    return ComplaintForm(
        data,
        initial=initial,
        procedures=selectors.public_procedures(unit),
        users=selectors.assignable_users(unit),
    )


def _form_fields(unit, data) -> dict:
    fields = dict(data)
    fields["procedure"] = selectors.public_procedure(unit, fields.get("procedure"))
    assignee = fields.get("assigned_to")
    fields["assigned_to"] = (
        selectors.assignable_users(unit).filter(pk=assignee).first() if assignee else None
    )
    if not fields.get("due_date"):
        fields.pop("due_date", None)
    return fields


@login_required
def complaint_create(request, unit_pk):
    unit = org.get_internal_unit(request.user, unit_pk, what="New complaint")
    if not selectors.can_manage(request.user, unit):
        raise PermissionDenied
    form = _complaint_form(
        unit,
        request.POST or None,
        initial={"received_on": timezone.localdate(), "channel": Channel.COUNTER},
    )
    if request.method == "POST" and form.is_valid():
        try:
            complaint = services.create_complaint(
                request.user, unit, **_form_fields(unit, form.cleaned_data)
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The complaint is recorded."))
            return redirect("complaint_detail", pk=complaint.pk)
    return render(
        request,
        "feedback/complaint_form.html",
        {
            "unit": unit,
            "form": form,
            "complaint": None,
            "working_days": services.complaint_working_days(unit),
        },
    )


@login_required
def complaint_edit(request, pk):
    complaint = selectors.get_complaint(request.user, pk, what="Complaint")
    unit = complaint.unit
    if not selectors.can_manage(request.user, unit):
        raise PermissionDenied
    initial = {
        "channel": complaint.channel,
        "received_on": complaint.received_on,
        "subject": complaint.subject,
        "content": complaint.content,
        "procedure": complaint.procedure_id,
        "dossier_code": complaint.dossier_code,
        "complainant_name": complaint.complainant_name,
        "complainant_contact": complaint.complainant_contact,
        "assigned_to": complaint.assigned_to_id,
        "due_date": complaint.due_date,
    }
    form = _complaint_form(unit, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = _form_fields(unit, form.cleaned_data)
        if form.cleaned_data.get("due_date") in (None, complaint.due_date):
            fields.pop("due_date", None)
        try:
            services.update_complaint(request.user, complaint, **fields)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The complaint is saved."))
            return redirect("complaint_detail", pk=complaint.pk)
    return render(
        request,
        "feedback/complaint_form.html",
        {
            "unit": unit,
            "form": form,
            "complaint": complaint,
            "working_days": services.complaint_working_days(unit),
        },
    )


@login_required
def complaint_detail(request, pk):
    complaint = selectors.get_complaint(request.user, pk, what="Complaint")
    unit = complaint.unit
    can_answer = selectors.can_answer(request.user, complaint)
    answer_form = None
    if can_answer and complaint.status != Status.CLOSED:
        answer_form = AnswerForm(
            initial={
                "response": complaint.response,
                "responded_on": complaint.responded_on or timezone.localdate(),
            }
        )
    return render(
        request,
        "feedback/complaint_detail.html",
        {
            "unit": unit,
            "c": complaint,
            "today": timezone.localdate(),
            "can_manage": selectors.can_manage(request.user, unit),
            "personal": selectors.can_see_personal(request.user, unit),
            "answer_form": answer_form,
            "nc": _nc_link(unit, complaint),
        },
    )


@login_required
@require_POST
def complaint_answer(request, pk):
    complaint = selectors.get_complaint(request.user, pk, what="Complaint")
    if not selectors.can_answer(request.user, complaint):
        raise PermissionDenied
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.answer_complaint(request.user, complaint, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("The response is recorded."))
    else:
        messages.error(request, _("Write the response and its date."))
    return redirect("complaint_detail", pk=complaint.pk)


@login_required
@require_POST
def complaint_status(request, pk):
    complaint = selectors.get_complaint(request.user, pk, what="Complaint")
    if not selectors.can_manage(request.user, complaint.unit):
        raise PermissionDenied
    try:
        services.set_status(request.user, complaint, request.POST.get("status", ""))
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    return redirect("complaint_detail", pk=complaint.pk)


@login_required
@require_POST
def complaint_nonconformity(request, pk):
    complaint = selectors.get_complaint(request.user, pk, what="Complaint")
    if not selectors.can_manage(request.user, complaint.unit):
        raise PermissionDenied
    try:
        nc = services.raise_nonconformity(
            request.user, complaint, url=reverse("complaint_detail", args=[complaint.pk])
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(
            request, _("Nonconformity %(n)s is open for this complaint.") % {"n": nc.number}
        )
    return redirect("complaint_detail", pk=complaint.pk)


# ---------------------------------------------------------------- oversight


@login_required
def oversight_satisfaction(request):
    if not org.is_oversight_user(request.user):
        raise PermissionDenied
    period = selectors.parse_period(request.GET)
    rows = selectors.oversight_ranking(request.user, period.start, period.end)
    chart_rows = [r for r in rows if r["index"] is not None][:30]
    chart = {
        "labels": [r["unit"].short_name or r["unit"].name for r in chart_rows][::-1],
        "index": [r["index"] for r in chart_rows][::-1],
    }
    return render(
        request,
        "feedback/oversight.html",
        {
            "period": period,
            "rows": rows,
            "chart": chart,
            "years": range(timezone.localdate().year, timezone.localdate().year - 6, -1),
        },
    )
