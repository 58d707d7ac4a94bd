"""Pages of the TTHC catalogue, the agencies' TTHC and processes, the DoST coverage
console and the public published procedures: thin views over selectors and services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from govqms.core.pages import add_service_errors as _form_errors
from govqms.core.pages import query_without_page as _query_without_page
from govqms.organizations import selectors as org

from . import exports, selectors, services
from .forms import AssignForm, CatalogueFilterForm, ImportForm, ProcedureForm, ScopeForm

EDIT_FIELDS = ProcedureForm.Meta.fields


def _require_catalogue_admin(user):
    if not user.has_perm("procedures.manage_catalogue"):
        raise PermissionDenied


# ---------------------------------------------------------------- catalogue


@login_required
def procedure_list(request):
    form = CatalogueFilterForm(request.GET or None, fields=selectors.catalogue_fields())
    filters = form.cleaned_data if form.is_valid() else {}
    procedures = selectors.catalogue(
        request.user,
        query=filters.get("q"),
        field=filters.get("field") or None,
        level=filters.get("level") or None,
        online_level=filters.get("online_level") or None,
    )
    page = Paginator(procedures, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "procedures/procedure_list.html",
        {
            "form": form,
            "page": page,
            "total": page.paginator.count,
            "query_string": _query_without_page(request),
            "can_manage": request.user.has_perm("procedures.manage_catalogue"),
        },
    )


@login_required
def procedure_detail(request, pk):
    procedure = selectors.get_procedure(request.user, pk)
    return render(
        request,
        "procedures/procedure_detail.html",
        {
            "procedure": procedure,
            "revisions": selectors.revisions(procedure),
            "assignments": selectors.procedure_assignments(request.user, procedure),
            "can_manage": request.user.has_perm("procedures.manage_catalogue"),
        },
    )


@login_required
def procedure_create(request):
    _require_catalogue_admin(request.user)
    form = ProcedureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            procedure = services.create_procedure(
                request.user, **{k: form.cleaned_data[k] for k in EDIT_FIELDS}
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Administrative procedure added."))
            return redirect("procedure_detail", procedure.pk)
    return render(request, "procedures/procedure_form.html", {"form": form})


@login_required
def procedure_edit(request, pk):
    _require_catalogue_admin(request.user)
    procedure = selectors.get_procedure(request.user, pk)
    form = ProcedureForm(request.POST or None, instance=procedure)
    if request.method == "POST" and form.is_valid():
        try:
            revision = services.update_procedure(
                request.user, procedure, **{k: form.cleaned_data[k] for k in EDIT_FIELDS}
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            if revision is None:
                messages.info(request, _("Nothing changed."))
            else:
                messages.success(request, _("Administrative procedure updated."))
            return redirect("procedure_detail", pk)
    procedure = selectors.get_procedure(request.user, pk)
    return render(request, "procedures/procedure_form.html", {"form": form, "procedure": procedure})


@login_required
def procedure_import(request):
    from .imports import import_procedures, template_xlsx

    _require_catalogue_admin(request.user)
    if request.GET.get("template"):
        response = HttpResponse(
            template_xlsx(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = 'attachment; filename="mau_nhap_tthc.xlsx"'
        return response
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = import_procedures(
            upload, filename=upload.name, actor=request.user, dry_run=form.cleaned_data["dry_run"]
        )
        if result.ok and result.applied:
            messages.success(request, _("Import done."))
    return render(request, "procedures/procedure_import.html", {"form": form, "result": result})


@login_required
def procedure_assign(request, pk):
    """DoST administrators assign a TTHC to agencies (one, several, or every agency
    of a kind) and end assignments."""
    if not request.user.has_perm("procedures.assign", None):
        raise PermissionDenied
    procedure = selectors.get_procedure(request.user, pk)
    units = selectors.assignable_units(request.user)
    if request.method == "POST" and request.POST.get("end"):
        assignment = (
            selectors.procedure_assignments(request.user, procedure)
            .filter(pk=request.POST["end"])
            .first()
        )
        if assignment is None:
            raise PermissionDenied
        services.end_assignment(request.user, assignment)
        messages.success(request, _("%s no longer carries this procedure.") % assignment.unit)
        return redirect("procedure_assign", pk)
    form = AssignForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        chosen = list(form.cleaned_data["units"])
        if form.cleaned_data["kind"]:
            chosen += list(selectors.assignable_units(request.user, kind=form.cleaned_data["kind"]))
        try:
            created = services.assign(
                request.user, procedure, chosen, assigned_on=form.cleaned_data["assigned_on"]
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(
                request,
                ngettext(
                    "Assigned to %(n)d more agency.",
                    "Assigned to %(n)d more agencies.",
                    len(created),
                )
                % {"n": len(created)},
            )
            return redirect("procedure_assign", pk)
    return render(
        request,
        "procedures/procedure_assign.html",
        {
            "procedure": procedure,
            "form": form,
            "assignments": selectors.procedure_assignments(request.user, procedure),
        },
    )


# ---------------------------------------------------------------- an agency's TTHC


@login_required
def agency_procedures(request, unit_pk):
    unit = org.get_internal_unit(request.user, unit_pk, what="administrative procedures")
    rows = selectors.assignment_rows(selectors.agency_assignments(request.user, unit))
    return render(
        request,
        "procedures/agency_procedures.html",
        {
            "unit": unit,
            "rows": rows,
            "coverage": selectors.coverage(unit),
            "pending": selectors.pending_list_updates(request.user, unit),
            "today": timezone.localdate(),
            "can_manage": request.user.has_perm("procedures.manage_scope", unit),
        },
    )


def _export_rows(request, unit_pk):
    unit = org.get_internal_unit(request.user, unit_pk, what="internal processes export")
    return unit, selectors.assignment_rows(selectors.agency_assignments(request.user, unit))


@login_required
def agency_processes_json(request, unit_pk):
    unit, rows = _export_rows(request, unit_pk)
    response = HttpResponse(
        exports.processes_json(unit, rows), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="quy_trinh_{unit.code}.json"'
    return response


@login_required
def agency_processes_xlsx(request, unit_pk):
    unit, rows = _export_rows(request, unit_pk)
    response = HttpResponse(
        exports.processes_xlsx(unit, rows),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="quy_trinh_{unit.code}.xlsx"'
    return response


@login_required
@require_POST
def agency_list_updated(request, unit_pk):
    unit = org.get_internal_unit(request.user, unit_pk, what="administrative procedures")
    if not request.user.has_perm("procedures.manage_scope", unit):
        raise PermissionDenied
    count = services.mark_list_updated(request.user, unit)
    if count:
        messages.success(
            request,
            ngettext(
                "The ISO list is marked updated (%(n)d procedure).",
                "The ISO list is marked updated (%(n)d procedures).",
                count,
            )
            % {"n": count},
        )
    else:
        messages.info(request, _("No list update was pending."))
    return redirect("agency_procedures", unit.pk)


@login_required
def assignment_edit(request, pk):
    assignment = selectors.get_assignment(request.user, pk)
    unit = assignment.unit
    if not request.user.has_perm("procedures.manage_scope", unit):
        raise PermissionDenied
    documents = selectors.covering_documents(request.user, unit)
    form = ScopeForm(
        request.POST or None,
        documents=documents,
        initial={"in_scope": assignment.in_scope, "document": assignment.document_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.set_scope(
                request.user,
                assignment,
                in_scope=form.cleaned_data["in_scope"],
                document=form.cleaned_data["document"],
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("agency_procedures", unit.pk)
    return render(
        request,
        "procedures/assignment_edit.html",
        {"assignment": assignment, "unit": unit, "form": form},
    )


@login_required
def assignment_process(request, pk):
    assignment = selectors.get_assignment(request.user, pk, what="internal process")
    (row,) = selectors.assignment_rows([assignment])
    return render(
        request,
        "procedures/assignment_process.html",
        {
            "assignment": assignment,
            "unit": assignment.unit,
            "row": row,
            "steps": (row.version.content.get("steps") or []) if row.version else [],
            "can_manage": request.user.has_perm("procedures.manage_scope", assignment.unit),
        },
    )


# ---------------------------------------------------------------- DoST


@login_required
def coverage_overview(request):
    if not org.is_oversight_user(request.user):
        raise PermissionDenied
    order = request.GET.get("order", "coverage")
    rows = selectors.coverage_by_agency(request.user, order=order)
    return render(request, "procedures/coverage.html", {"rows": rows, "order": order})


# ---------------------------------------------------------------- public


def public_agencies(request):
    query = request.GET.get("q", "")
    page = Paginator(selectors.public_agencies(query), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "procedures/public/agencies.html",
        {"page": page, "q": query, "query_string": f"q={query}" if query else ""},
    )


def public_agency(request, unit_pk):
    unit = selectors.get_public_agency(unit_pk)
    return render(
        request,
        "procedures/public/agency.html",
        {"unit": unit, "rows": selectors.public_procedures(unit)},
    )


def public_procedure(request, unit_pk, pk):
    unit = selectors.get_public_agency(unit_pk)
    row = selectors.get_public_procedure(unit, pk)
    return render(
        request,
        "procedures/public/procedure.html",
        {"unit": unit, "row": row, "content": selectors.public_content(row.version)},
    )
