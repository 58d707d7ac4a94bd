"""Pages of the criteria sets (issue 6, item 1): thin views over
criteria_selectors and the criteria services.

Oversight users of the owner read every page; DoST administrators of the owner
edit (others get 403, a set of another province 404). A published set is frozen:
its edit pages send back to the set with the notice, and the services refuse.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govqms.core.pages import add_service_errors, query_without_page
from govqms.reports.http import XLSX, attachment

from . import criteria as services
from . import criteria_selectors as selectors
from . import rules
from .criteria_forms import (
    BandsForm,
    CopyForm,
    CriterionForm,
    FilterForm,
    GroupForm,
    ImportForm,
    NewSetForm,
    SetForm,
)
from .criteria_xlsx import export_set, import_set
from .default_criteria import create_default_set

PAGE_SIZE = 20
HISTORY_PAGE_SIZE = 50


def _detail(cs) -> str:
    return reverse("criteria_set_detail", args=[cs.pk])


def _show_errors(request, exc: ValidationError):
    for message in exc.messages:
        messages.error(request, message)


def _frozen_redirect(request, cs):
    """On a published set: back to the set with the notice (None when editable)."""
    if cs.is_frozen:
        messages.error(request, services.frozen_message())
        return redirect(_detail(cs))
    return None


@login_required
def criteria_set_list(request):
    selectors.require_oversight(request.user)
    form = FilterForm(request.GET or None, years=selectors.years(request.user))
    data = form.cleaned_data if form.is_valid() else {}
    qs = selectors.criteria_sets(
        request.user, year=data.get("year"), status=data.get("status") or None
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    totals = selectors.set_totals(page.object_list)
    rows = [(cs, services.points_text(totals.get(cs.pk, 0))) for cs in page.object_list]
    owners = selectors.owner_choices(request.user)
    latest = selectors.managed_criteria_sets(request.user).order_by("-year").first()
    return render(
        request,
        "assessments/criteria/list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query_string": query_without_page(request),
            "filtered": bool(data.get("year") or data.get("status")),
            "can_create": bool(owners),
            "latest": latest,
        },
    )


@login_required
def criteria_set_create(request):
    owners = selectors.owner_choices(request.user)
    if not owners:
        raise PermissionDenied
    initial_year = request.GET.get("year") or ""
    form = NewSetForm(
        request.POST or None,
        owners=owners,
        initial={
            "start": request.GET.get("start") or NewSetForm.START_DEFAULT,
            "year": initial_year,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["start"] == NewSetForm.START_DEFAULT:
                cs = create_default_set(
                    request.user,
                    owner=data["owner"],
                    year=data["year"],
                    title=data["title"] or None,
                )
            else:
                cs = services.create_set(
                    request.user, owner=data["owner"], year=data["year"], title=data["title"]
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The criteria set was created as a draft."))
            return redirect(_detail(cs))
    return render(request, "assessments/criteria/new.html", {"form": form})


@login_required
def criteria_set_copy(request, pk):
    source = selectors.get_managed_set(request.user, pk)
    form = CopyForm(request.POST or None, initial={"year": source.year + 1})
    if request.method == "POST" and form.is_valid():
        try:
            cs = services.copy_set(
                request.user, source, form.cleaned_data["year"], title=form.cleaned_data["title"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The set was copied from %(source)s. Edit it, then publish it.")
                % {"source": source.title},
            )
            return redirect(_detail(cs))
    return render(request, "assessments/criteria/copy.html", {"form": form, "source": source})


@login_required
def criteria_set_detail(request, pk):
    cs = selectors.get_criteria_set(request.user, pk)
    view = selectors.set_view(cs)
    can_manage = selectors.can_manage(request.user, cs)
    return render(
        request,
        "assessments/criteria/detail.html",
        {
            "cs": cs,
            "view": view,
            "can_manage": can_manage,
            "can_edit": can_manage and not cs.is_frozen,
            "problems": services.publication_problems(cs) if not cs.is_frozen else [],
            "chart": [
                {"code": g.group.code, "title": g.group.title, "points": float(g.points)}
                for g in view.groups
            ],
        },
    )


@login_required
def criteria_set_edit(request, pk):
    cs = selectors.get_managed_set(request.user, pk)
    if (response := _frozen_redirect(request, cs)) is not None:
        return response
    form = SetForm(
        request.POST or None,
        initial={"title": cs.title, "year": cs.year, "legal_basis": cs.legal_basis},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_set(request.user, cs, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(_detail(cs))
    return render(
        request,
        "assessments/criteria/form.html",
        {"cs": cs, "form": form, "heading": _("Title and year")},
    )


@login_required
def criteria_group_create(request, pk):
    return _group_form(request, pk, None)


@login_required
def criteria_group_edit(request, pk, group_pk):
    return _group_form(request, pk, group_pk)


def _group_form(request, pk, group_pk):
    cs = selectors.get_managed_set(request.user, pk)
    if (response := _frozen_redirect(request, cs)) is not None:
        return response
    group = selectors.get_group(cs, group_pk) if group_pk else None
    initial = {"code": group.code, "title": group.title, "order": group.order} if group else {}
    if group is None:
        initial["code"] = str(cs.groups.count() + 1)
    form = GroupForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_group(request.user, cs, group=group, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(_detail(cs) + f"#group-{saved.pk}")
    return render(
        request,
        "assessments/criteria/form.html",
        {
            "cs": cs,
            "form": form,
            "heading": _("Edit group %(code)s") % {"code": group.code} if group else _("New group"),
        },
    )


@login_required
@require_POST
def criteria_group_delete(request, pk, group_pk):
    cs = selectors.get_managed_set(request.user, pk)
    group = selectors.get_group(cs, group_pk)
    try:
        services.delete_group(request.user, group)
    except ValidationError as exc:
        _show_errors(request, exc)
    else:
        messages.success(request, _("The group and its criteria were removed."))
    return redirect(_detail(cs))


@login_required
def criterion_create(request, pk):
    return _criterion_form(request, pk, None)


@login_required
def criterion_edit(request, pk, criterion_pk):
    return _criterion_form(request, pk, criterion_pk)


def _criterion_form(request, pk, criterion_pk):
    cs = selectors.get_managed_set(request.user, pk)
    if (response := _frozen_redirect(request, cs)) is not None:
        return response
    groups = list(cs.groups.order_by("order", "pk"))
    if not groups:
        messages.info(request, _("Add a group first: every criterion belongs to a group."))
        return redirect("criteria_group_create", pk=cs.pk)
    criterion = selectors.get_criterion(cs, criterion_pk) if criterion_pk else None
    if criterion is not None:
        initial = {
            "group": str(criterion.group_id),
            "code": criterion.code,
            "text": criterion.text,
            "guidance": criterion.guidance,
            "evidence_expected": criterion.evidence_expected,
            "max_points": services.points_text(criterion.max_points),
            "order": criterion.order,
            "rule": criterion.rule,
        }
    else:
        wanted = request.GET.get("group")
        group = next((g for g in groups if str(g.pk) == wanted), groups[-1])
        count = group.criteria.count()
        initial = {"group": str(group.pk), "code": f"{group.code}.{count + 1}"}
    form = CriterionForm(request.POST or None, groups=groups, criterion=criterion, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        params = form.rule_params()
        if data["rule"] not in rules.RULES and criterion is not None:
            # A rule without registered parameters keeps the ones it has.
            params = criterion.rule_params if data["rule"] == criterion.rule else {}
        try:
            saved = services.save_criterion(
                request.user,
                cs,
                criterion=criterion,
                group=data["group"],
                code=data["code"],
                text=data["text"],
                guidance=data["guidance"],
                evidence_expected=data["evidence_expected"],
                max_points=data["max_points"],
                rule=data["rule"],
                rule_params=params,
                order=data["order"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Criterion %(code)s saved.") % {"code": saved.code})
            return redirect(_detail(cs) + f"#criterion-{saved.pk}")
    return render(
        request,
        "assessments/criteria/criterion_form.html",
        {"cs": cs, "form": form, "criterion": criterion},
    )


@login_required
@require_POST
def criterion_delete(request, pk, criterion_pk):
    cs = selectors.get_managed_set(request.user, pk)
    criterion = selectors.get_criterion(cs, criterion_pk)
    try:
        services.delete_criterion(request.user, criterion)
    except ValidationError as exc:
        _show_errors(request, exc)
    else:
        messages.success(request, _("Criterion %(code)s removed.") % {"code": criterion.code})
    return redirect(_detail(cs))


@login_required
def criteria_bands_edit(request, pk):
    cs = selectors.get_managed_set(request.user, pk)
    if (response := _frozen_redirect(request, cs)) is not None:
        return response
    form = BandsForm(request.POST or None, bands=list(cs.bands.all()))
    if request.method == "POST" and form.is_valid():
        try:
            services.save_bands(request.user, cs, form.bands())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The rating bands were saved."))
            return redirect(_detail(cs) + "#bands")
    return render(
        request,
        "assessments/criteria/bands_form.html",
        {"cs": cs, "form": form, "total": services.points_text(selectors.total_points(cs))},
    )


@login_required
@require_POST
def criteria_set_publish(request, pk):
    cs = selectors.get_managed_set(request.user, pk)
    try:
        services.publish_set(request.user, cs)
    except ValidationError as exc:
        _show_errors(request, exc)
    else:
        messages.success(
            request, _("The criteria set is published: campaigns may use it, and it is frozen.")
        )
    return redirect(_detail(cs))


@login_required
def criteria_set_history(request, pk):
    cs = selectors.get_criteria_set(request.user, pk)
    page = Paginator(selectors.set_history(cs), HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "assessments/criteria/history.html",
        {"cs": cs, "page": page, "query_string": query_without_page(request)},
    )


@login_required
def criteria_set_export(request, pk):
    cs = selectors.get_criteria_set(request.user, pk)
    return attachment(export_set(cs), f"tieu_chi_{cs.year}_{cs.owner.code}.xlsx", XLSX)


@login_required
def criteria_set_import(request, pk):
    cs = selectors.get_managed_set(request.user, pk)
    if (response := _frozen_redirect(request, cs)) is not None:
        return response
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = import_set(request.user, cs, upload, file_name=upload.name)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if result.ok:
                messages.success(request, result.summary())
                return redirect(_detail(cs))
    return render(
        request,
        "assessments/criteria/import.html",
        {"cs": cs, "form": form, "result": result},
    )
