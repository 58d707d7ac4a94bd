"""Pages: an agency's dossiers (filters, folded search by code), a dossier with
its events and step timings, and the import page with its progress (htmx)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from govqms.organizations import selectors as org

from .forms import XES, DossierFilterForm, ImportForm
from .imports.csv_xlsx import sniff_format
from .models import BatchStatus, ImportSource
from .selectors import dossiers as sel
from .services import imports


@login_required
def dossier_list(request, unit_pk):
    unit = org.get_internal_unit(request.user, unit_pk, what="dossiers")
    form = DossierFilterForm(request.GET or None, procedures=sel.procedures_of(request.user, unit))
    filters = form.cleaned_data if form.is_valid() else {}
    dossiers = sel.agency_dossiers(
        request.user,
        unit,
        procedure=filters.get("procedure") or None,
        status=filters.get("status") or None,
        outcome=filters.get("outcome") or None,
        channel=filters.get("channel") or None,
        received_from=filters.get("received_from"),
        received_to=filters.get("received_to"),
        query=filters.get("q"),
    )
    page = Paginator(dossiers, 50).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "dossiers/dossier_list.html",
        {
            "unit": unit,
            "form": form,
            "page": page,
            "total": page.paginator.count,
            "query_string": params.urlencode(),
            "can_import": imports.may_import(request.user, unit),
        },
    )


@login_required
def dossier_detail(request, pk):
    dossier = sel.get_dossier(request.user, pk)
    events = list(sel.dossier_events(request.user, dossier))
    return render(
        request,
        "dossiers/dossier_detail.html",
        {"dossier": dossier, "unit": dossier.unit, "events": events},
    )


@login_required
def dossier_import(request, unit_pk):
    unit = org.get_internal_unit(request.user, unit_pk, what="dossier imports")
    if not imports.may_import(request.user, unit):
        raise PermissionDenied(_("You may not import dossiers for this agency."))
    profiles = list(sel.profiles_for(unit))
    form = ImportForm(request.POST or None, request.FILES or None, profiles=profiles)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        choice = form.cleaned_data["profile"]
        profile, fmt = None, ImportSource.XES
        if choice != XES:
            profile = sel.get_profile(unit, pk=choice)
            head = upload.read(4)
            upload.seek(0)
            fmt = sniff_format(head)
        try:
            batch = imports.start_file_import(
                request.user,
                unit,
                upload,
                fmt=fmt,
                profile=profile,
                lenient=form.cleaned_data["lenient"],
            )
        except ValidationError as exc:
            form.add_error(None, " ".join(exc.messages))
        else:
            if batch.status == BatchStatus.DONE:
                messages.success(request, _("The file was imported."))
            return redirect("dossier_import_batch", pk=batch.pk)
    batches = sel.unit_batches(request.user, unit)[:20]
    return render(
        request,
        "dossiers/import.html",
        {"unit": unit, "form": form, "batches": batches, "profiles": profiles},
    )


@login_required
def import_batch(request, pk):
    batch = sel.get_batch(request.user, pk)
    template = "dossiers/_batch_progress.html" if request.htmx else "dossiers/batch.html"
    return render(request, template, {"batch": batch, "unit": batch.unit})
