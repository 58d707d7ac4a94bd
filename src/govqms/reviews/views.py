"""Pages of management reviews: thin views over selectors and services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govqms.core.pages import add_service_errors as _form_errors
from govqms.core.pages import query_without_page as _query_without_page
from govqms.organizations import selectors as org
from govqms.reports import http as report_http

from . import minutes, selectors, services
from .forms import (
    ActionFilterForm,
    ActionForm,
    CommentForm,
    DecisionForm,
    HoldForm,
    MinutesForm,
    ReviewFilterForm,
    ReviewForm,
)
from .models import ReviewStatus

WHAT = "management reviews"


def _can_manage(user, unit) -> bool:
    return user.has_perm("reviews.manage", unit)


def _require_manage(user, unit):
    if not _can_manage(user, unit):
        raise PermissionDenied


@login_required
def review_list(request, unit_pk):
    unit = org.get_internal_unit(request.user, unit_pk, what=WHAT)
    form = ReviewFilterForm(request.GET or None, years=selectors.review_years(request.user, unit))
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.reviews(
        request.user,
        unit,
        year=filters.get("year"),
        status=filters.get("status") or None,
        query=filters.get("q"),
    )
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "reviews/review_list.html",
        {
            "unit": unit,
            "form": form,
            "page": page,
            "total": page.paginator.count,
            "query_string": _query_without_page(request),
            "can_manage": _can_manage(request.user, unit),
            "filtered": any(filters.values()) if filters else False,
        },
    )


@login_required
def review_create(request, unit_pk):
    unit = org.get_internal_unit(request.user, unit_pk, what=WHAT)
    _require_manage(request.user, unit)
    people = selectors.members(request.user, unit)
    heads = selectors.heads(unit)
    initial = {
        "title": _("Management review %s") % timezone.localdate().year,
        "chair": heads[0].pk if heads else None,
        "secretary": request.user.pk,
    }
    form = ReviewForm(request.POST or None, people=people, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        attendees = data.pop("attendees")
        try:
            review = services.plan_review(request.user, unit, attendees=attendees, **data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Management review planned."))
            return redirect("review_detail", unit.pk, review.pk)
    return render(request, "reviews/review_form.html", {"unit": unit, "form": form})


@login_required
def review_edit(request, unit_pk, pk):
    unit = org.get_internal_unit(request.user, unit_pk, what=WHAT)
    _require_manage(request.user, unit)
    review = selectors.get_review(request.user, unit, pk)
    if review.status == ReviewStatus.MINUTES_ISSUED:
        messages.error(request, _("The minutes are issued: the review can no longer be changed."))
        return redirect("review_detail", unit.pk, review.pk)
    form = ReviewForm(
        request.POST or None,
        instance=review,
        people=selectors.members(request.user, unit),
        frozen=review.is_frozen,
    )
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in services.EDIT_FIELDS if k in form.cleaned_data}
        if not data.get("period_start") or not data.get("period_end"):
            data.pop("period_start", None)
            data.pop("period_end", None)
        try:
            services.update_review(
                request.user, review, attendees=list(form.cleaned_data["attendees"]), **data
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Management review updated."))
            return redirect("review_detail", unit.pk, review.pk)
    review = selectors.get_review(request.user, unit, pk)
    return render(
        request, "reviews/review_form.html", {"unit": unit, "form": form, "review": review}
    )


@login_required
def review_detail(request, unit_pk, pk):
    unit = org.get_internal_unit(request.user, unit_pk, what=WHAT)
    review = selectors.get_review(request.user, unit, pk)
    can_manage = _can_manage(request.user, unit)
    data = selectors.review_inputs(request.user, review)
    decisions = list(selectors.decisions(request.user, review))
    for d in decisions:
        d.can_update = request.user.has_perm("reviews.update_action", d)
    people = selectors.members(request.user, unit)
    return render(
        request,
        "reviews/review_detail.html",
        {
            "unit": unit,
            "review": review,
            "data": data,
            "decisions": decisions,
            "can_manage": can_manage,
            "can_comment": can_manage and review.status != ReviewStatus.MINUTES_ISSUED,
            "can_decide": can_manage and review.status == ReviewStatus.HELD,
            "hold_form": HoldForm(
                initial={"held_at": timezone.localtime().replace(second=0, microsecond=0)}
            ),
            "decision_form": DecisionForm(
                people=people, nonconformity=services.nonconformity_available()
            ),
            "minutes_form": MinutesForm(initial={"number": review.number}),
            "today": timezone.localdate(),
        },
    )


@login_required
def review_hold(request, unit_pk, pk):
    unit = org.get_internal_unit(request.user, unit_pk, what=WHAT)
    _require_manage(request.user, unit)
    review = selectors.get_review(request.user, unit, pk)
    form = HoldForm(
        request.POST or None,
        initial={"held_at": timezone.localtime().replace(second=0, microsecond=0)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.hold_review(request.user, review, held_at=form.cleaned_data["held_at"])
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The meeting is recorded as held; its inputs are frozen."))
            return redirect("review_detail", unit.pk, review.pk)
    return render(
        request, "reviews/review_hold.html", {"unit": unit, "review": review, "form": form}
    )


@login_required
@require_POST
def review_comment(request, unit_pk, pk):
    unit = org.get_internal_unit(request.user, unit_pk, what=WHAT)
    _require_manage(request.user, unit)
    review = selectors.get_review(request.user, unit, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.set_comment(
                request.user, review, form.cleaned_data["key"], form.cleaned_data["text"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Comment saved."))
    return redirect(f"{review_url(unit, review)}#input-{request.POST.get('key', '')}")


def review_url(unit, review) -> str:
    from django.urls import reverse

    return reverse("review_detail", args=[unit.pk, review.pk])


@login_required
@require_POST
def review_issue_minutes(request, unit_pk, pk):
    unit = org.get_internal_unit(request.user, unit_pk, what=WHAT)
    _require_manage(request.user, unit)
    review = selectors.get_review(request.user, unit, pk)
    form = MinutesForm(request.POST)
    number = form.cleaned_data.get("number", "") if form.is_valid() else ""
    try:
        services.issue_minutes(request.user, review, number=number)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Minutes issued."))
    return redirect("review_detail", unit.pk, review.pk)


@login_required
@require_POST
def review_decision_add(request, unit_pk, pk):
    unit = org.get_internal_unit(request.user, unit_pk, what=WHAT)
    _require_manage(request.user, unit)
    review = selectors.get_review(request.user, unit, pk)
    form = DecisionForm(
        request.POST,
        people=selectors.members(request.user, unit),
        nonconformity=services.nonconformity_available(),
    )
    if form.is_valid():
        try:
            services.add_decision(request.user, review, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("Decision recorded; it is tracked as an action."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(f"{review_url(unit, review)}#decisions")


def _minutes_context(request, unit, pk):
    review = selectors.get_review(request.user, unit, pk)
    if review.status == ReviewStatus.PLANNED:
        raise PermissionDenied
    data = selectors.review_inputs(request.user, review)
    ctx = minutes.minutes_context(review, data, selectors.decisions(request.user, review))
    name = f"Bien-ban-xem-xet-lanh-dao-{unit.code}-{review.date:%Y-%m-%d}"
    return ctx, name


@login_required
def review_minutes_docx(request, unit_pk, pk):
    unit = org.get_internal_unit(request.user, unit_pk, what=WHAT)
    ctx, name = _minutes_context(request, unit, pk)
    return report_http.attachment(minutes.render_docx(ctx), f"{name}.docx", report_http.DOCX)


@login_required
def review_minutes_pdf(request, unit_pk, pk):
    unit = org.get_internal_unit(request.user, unit_pk, what=WHAT)
    ctx, name = _minutes_context(request, unit, pk)
    return report_http.attachment(minutes.render_pdf(ctx), f"{name}.pdf", report_http.PDF)


# ---------------------------------------------------------------- actions


@login_required
def review_actions(request, unit_pk):
    unit = org.get_internal_unit(request.user, unit_pk, what=WHAT)
    form = ActionFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    status = filters.get("status") or None
    qs = selectors.actions(
        request.user,
        unit,
        status=None if status == "overdue" else status,
        overdue=status == "overdue",
        owner=request.user if filters.get("mine") else None,
        query=filters.get("q"),
    )
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    for d in page:
        d.can_update = request.user.has_perm("reviews.update_action", d)
    return render(
        request,
        "reviews/action_list.html",
        {
            "unit": unit,
            "form": form,
            "page": page,
            "total": page.paginator.count,
            "query_string": _query_without_page(request),
            "today": timezone.localdate(),
        },
    )


@login_required
def review_action_edit(request, unit_pk, pk):
    unit = org.get_internal_unit(request.user, unit_pk, what=WHAT)
    decision = selectors.get_decision(request.user, unit, pk)
    if not request.user.has_perm("reviews.update_action", decision):
        raise PermissionDenied
    form = ActionForm(
        request.POST or None,
        initial={
            "status": decision.status,
            "done_on": decision.done_on,
            "evidence": decision.evidence,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_action(request.user, decision, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Action updated."))
            nxt = request.POST.get("next", "")
            if nxt == "actions":
                return redirect("review_actions", unit.pk)
            return redirect("review_detail", unit.pk, decision.review_id)
    return render(
        request,
        "reviews/action_form.html",
        {"unit": unit, "decision": decision, "form": form, "next": request.GET.get("next", "")},
    )
