"""Pages of nonconformities and corrective actions: thin views over selectors and
services. Every page first obtains the agency through `get_internal_unit` (404 for
outsiders, overseers' reads logged); writes check permissions in the services and
here, so that a DoST officer gets 403."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govqms.core.audit import action_label
from govqms.core.pages import query_without_page as _query_without_page
from govqms.organizations import selectors as org
from govqms.reports.http import XLSX, attachment

from . import exports, selectors, services
from .forms import (
    ActionForm,
    AnalysisForm,
    CorrectionForm,
    DoneForm,
    EvaluationForm,
    FilterForm,
    NonconformityForm,
)
from .models import ActionStatus, Status

PAGE_SIZE = 25


def _unit(request, unit_pk, what="nonconformities"):
    return org.get_internal_unit(request.user, unit_pk, what=what)


def _require_manage(request, obj):
    if not selectors.can_manage(request.user, obj):
        raise PermissionDenied


def _filtered(request, unit):
    form = FilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = selectors.nonconformities(
        request.user,
        unit,
        status=data.get("status") or None,
        source=data.get("source") or None,
        grade=data.get("grade") or None,
        overdue=bool(data.get("overdue")),
        query=data.get("q"),
    )
    return form, qs


def _show_errors(request, exc: ValidationError):
    for message in exc.messages:
        messages.error(request, message)


@login_required
def nc_list(request, unit_pk):
    unit = _unit(request, unit_pk)
    form, qs = _filtered(request, unit)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    partial = getattr(request, "htmx", False) and not request.htmx.boosted
    query = _query_without_page(request)
    return render(
        request,
        "improvement/_nc_results.html" if partial else "improvement/nc_list.html",
        {
            "unit": unit,
            "form": form,
            "page": page,
            "query_string": query,
            "filtered": bool(query),
            "can_open": selectors.can_manage(request.user, unit),
            "overdue_count": selectors.overdue_action_count(unit),
            "export_query": query,
        },
    )


@login_required
def nc_export(request, unit_pk):
    unit = _unit(request, unit_pk, what="nonconformities export")
    _form, qs = _filtered(request, unit)
    return attachment(
        exports.nonconformities_xlsx(unit, qs), f"khong_phu_hop_{unit.code}.xlsx", XLSX
    )


@login_required
def nc_create(request, unit_pk):
    unit = _unit(request, unit_pk)
    _require_manage(request, unit)
    processes = selectors.process_choices(unit)
    form = NonconformityForm(
        request.POST or None,
        processes=processes,
        initial={"detected_on": timezone.localdate(), "source_kind": "other"},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            nc = services.open_nonconformity(
                request.user,
                unit=unit,
                source_kind=data["source_kind"],
                source_label=data["source_label"],
                title=data["title"],
                description=data["description"],
                clause=data["clause"],
                process=data["process"],
                grade=data["grade"],
                due_date=data["due_date"],
                detected_on=data["detected_on"],
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("Nonconformity %(n)s opened.") % {"n": nc.number})
            return redirect("nc_detail", unit.pk, nc.pk)
    return render(request, "improvement/nc_form.html", {"unit": unit, "form": form, "nc": None})


@login_required
def nc_edit(request, unit_pk, pk):
    unit = _unit(request, unit_pk)
    nc = selectors.get_nonconformity(request.user, unit, pk)
    _require_manage(request, nc)
    initial = {
        "title": nc.title,
        "description": nc.description,
        "clause": nc.clause,
        "process": nc.process_id,
        "grade": nc.grade,
        "due_date": nc.due_date,
    }
    form = NonconformityForm(
        request.POST or None,
        processes=selectors.process_choices(unit),
        editing=True,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_nonconformity(request.user, nc, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("Saved."))
            return redirect("nc_detail", unit.pk, nc.pk)
    return render(request, "improvement/nc_form.html", {"unit": unit, "form": form, "nc": nc})


@login_required
def nc_detail(request, unit_pk, pk):
    unit = _unit(request, unit_pk, what="nonconformity")
    nc = selectors.get_nonconformity(request.user, unit, pk)
    return _render_detail(request, unit, nc)


def _render_detail(request, unit, nc, **forms):
    user = request.user
    can_manage = selectors.can_manage(user, nc)
    actions = selectors.actions_of(nc)
    today = timezone.localdate()
    for action in actions:
        action.can_complete = (
            action.status == ActionStatus.OPEN
            and nc.status != Status.CLOSED
            and selectors.can_complete(user, action)
        )
        action.overdue = action.status == ActionStatus.OPEN and action.due_date < today
    history = _history(user, nc)
    context = {
        "unit": unit,
        "nc": nc,
        "actions": actions,
        "history": history,
        "can_manage": can_manage,
        "closed": nc.status == Status.CLOSED,
        "close_problems": services.close_problems(nc),
        "all_done": bool(actions) and all(a.status == ActionStatus.DONE for a in actions),
        "steps": _steps(nc),
        "correction_form": forms.get("correction_form")
        or CorrectionForm(
            initial={
                "correction": nc.correction,
                "correction_on": nc.correction_on or timezone.localdate(),
            }
        ),
        "analysis_form": forms.get("analysis_form")
        or AnalysisForm(initial=AnalysisForm.initial_for(nc)),
        "action_form": forms.get("action_form") or ActionForm(owners=selectors.owner_choices(unit)),
        "done_form": DoneForm(),
        "evaluation_form": forms.get("evaluation_form") or EvaluationForm(),
        "tab": request.GET.get("tab", ""),
    }
    status = 400 if forms else 200
    return render(request, "improvement/nc_detail.html", context, status=status)


USER_FIELDS = {"raised_by", "correction_by", "analysed_by", "evaluated_by", "closed_by", "owner"}


def _shown(field, value, people):
    if value in (None, "", []):
        return "—"
    if field in USER_FIELDS:
        return people.get(value, value)
    if field == "whys" and isinstance(value, list):
        return " → ".join(f"{p.get('why', '')} {p.get('because', '')}".strip() for p in value)
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    return value


def _history(user, nc):
    """The audit entries of the nonconformity, with people's names and readable values."""
    entries = list(selectors.history(user, nc)[:200])
    ids = {
        value
        for entry in entries
        for field, pair in (entry.changes or {}).items()
        if field in USER_FIELDS
        for value in pair
        if isinstance(value, int)
    }
    people = selectors.people_names(nc.unit, ids)
    for entry in entries:
        entry.label = action_label(entry.action)
        entry.shown = [
            (field, _shown(field, pair[1] if isinstance(pair, list) else pair, people))
            for field, pair in (entry.changes or {}).items()
            if not (entry.action == "nc_open" and isinstance(pair, list) and pair[1] in ("", None))
        ]
    return entries


def _steps(nc):
    order = [
        Status.OPEN,
        Status.ANALYSED,
        Status.IN_PROGRESS,
        Status.AWAITING_EFFECTIVENESS,
        Status.CLOSED,
    ]
    current = order.index(nc.status) if nc.status in order else 0
    labels = dict(Status.choices)
    return [
        {"label": labels[s], "done": i < current, "current": i == current}
        for i, s in enumerate(order)
    ]


def _post_step(request, unit_pk, pk, form_class, call, form_name, success, form_kwargs=None):
    unit = _unit(request, unit_pk)
    nc = selectors.get_nonconformity(request.user, unit, pk)
    _require_manage(request, nc)
    form = form_class(request.POST, **form_kwargs(unit) if form_kwargs else {})
    if not form.is_valid():
        return _render_detail(request, unit, nc, **{form_name: form})
    try:
        call(nc, form)
    except ValidationError as exc:
        _show_errors(request, exc)
    else:
        messages.success(request, success)
    return redirect("nc_detail", unit.pk, nc.pk)


@login_required
@require_POST
def nc_correction(request, unit_pk, pk):
    return _post_step(
        request,
        unit_pk,
        pk,
        CorrectionForm,
        lambda nc, form: services.record_correction(
            request.user,
            nc,
            text=form.cleaned_data["correction"],
            done_on=form.cleaned_data["correction_on"],
        ),
        "correction_form",
        _("Correction recorded."),
    )


@login_required
@require_POST
def nc_analysis(request, unit_pk, pk):
    return _post_step(
        request,
        unit_pk,
        pk,
        AnalysisForm,
        lambda nc, form: services.record_analysis(
            request.user, nc, whys=form.whys(), root_cause=form.cleaned_data["root_cause"]
        ),
        "analysis_form",
        _("Root cause analysis recorded."),
    )


@login_required
@require_POST
def nc_action_add(request, unit_pk, pk):
    return _post_step(
        request,
        unit_pk,
        pk,
        ActionForm,
        lambda nc, form: services.add_action(
            request.user,
            nc,
            text=form.cleaned_data["text"],
            owner=form.cleaned_data["owner"],
            due_date=form.cleaned_data["due_date"],
        ),
        "action_form",
        _("Corrective action added."),
        form_kwargs=lambda unit: {"owners": selectors.owner_choices(unit)},
    )


@login_required
@require_POST
def nc_action_done(request, unit_pk, pk, action_pk):
    unit = _unit(request, unit_pk)
    action = selectors.get_action(request.user, unit, pk, action_pk)
    if not selectors.can_complete(request.user, action):
        raise PermissionDenied
    form = DoneForm(request.POST)
    form.is_valid()
    try:
        services.complete_action(
            request.user, action, evidence=form.cleaned_data.get("evidence", "")
        )
    except ValidationError as exc:
        _show_errors(request, exc)
    else:
        messages.success(request, _("Corrective action marked done."))
    return redirect("nc_detail", unit.pk, pk)


@login_required
@require_POST
def nc_evaluate(request, unit_pk, pk):
    return _post_step(
        request,
        unit_pk,
        pk,
        EvaluationForm,
        lambda nc, form: services.evaluate(
            request.user,
            nc,
            effective=form.cleaned_data["effective"],
            comment=form.cleaned_data["comment"],
            improvements=form.cleaned_data["improvements"],
        ),
        "evaluation_form",
        _("Effectiveness evaluation recorded."),
    )


@login_required
@require_POST
def nc_close(request, unit_pk, pk):
    unit = _unit(request, unit_pk)
    nc = selectors.get_nonconformity(request.user, unit, pk)
    _require_manage(request, nc)
    try:
        services.close(request.user, nc)
    except ValidationError as exc:
        _show_errors(request, exc)
    else:
        messages.success(request, _("Nonconformity %(n)s closed.") % {"n": nc.number})
    return redirect("nc_detail", unit.pk, nc.pk)
