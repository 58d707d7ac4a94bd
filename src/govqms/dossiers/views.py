"""Pages: an agency's dossiers (filters, folded search by code), a dossier with
its events and step timings, the import page with its progress (htmx), and the
import profiles (an agency's own, and the shared ones of the DoST console)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from govqms.core.pages import query_without_page
from govqms.organizations import selectors as org

from .forms import XES, DossierFilterForm, ImportForm, ProfileForm, ProfileSearchForm
from .imports.csv_xlsx import sniff_format
from .models import BatchStatus, Channel, DossierStatus, EventKind, ImportSource
from .profiles import (
    DATE_FORMAT_KEY,
    DEFAULT_DATE_FORMAT,
    TARGETS,
    VALUE_MAP_TARGETS,
    date_format_label,
    target_label,
)
from .selectors import dossiers as sel
from .selectors import profiles as profile_sel
from .services import imports
from .services import profiles as profile_svc


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
    return render(
        request,
        "dossiers/dossier_list.html",
        {
            "unit": unit,
            "form": form,
            "page": page,
            "total": page.paginator.count,
            "query_string": query_without_page(request),
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
        {
            "unit": unit,
            "form": form,
            "batches": batches,
            "profiles": profiles,
            "can_manage_profiles": profile_svc.may_manage(request.user, unit),
        },
    )


@login_required
def import_batch(request, pk):
    batch = sel.get_batch(request.user, pk)
    template = "dossiers/_batch_progress.html" if request.htmx else "dossiers/batch.html"
    return render(request, template, {"batch": batch, "unit": batch.unit})


# ---------------------------------------------------------------- import profiles


def _profile_rows(profile):
    """(label, column, required) for each field the profile maps, in form order."""
    mapping = profile.mapping or {}
    return [(target_label(t), mapping[t]) for t in TARGETS if mapping.get(t)]


def _value_rows(profile):
    """(label, [(value in the file, our value, its label)]) for each value map."""
    maps = profile.value_maps or {}
    labels = {
        "kind": dict(EventKind.choices),
        "status": dict(DossierStatus.choices),
        "channel": dict(Channel.choices),
    }
    return [
        (target_label(t), [(a, b, labels[t].get(b, b)) for a, b in maps[t].items()])
        for t in VALUE_MAP_TARGETS
        if isinstance(maps.get(t), dict) and maps[t]
    ]


def _profile_list(request, profiles, context):
    form = ProfileSearchForm(request.GET or None)
    query = form.cleaned_data.get("q") if form.is_valid() else ""
    rows = profiles(query)
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "dossiers/profile_list.html",
        {
            **context,
            "form": form,
            "page": page,
            "query": query,
            "total": page.paginator.count,
            "query_string": query_without_page(request),
        },
    )


@login_required
def profile_list(request, unit_pk):
    unit = org.get_internal_unit(request.user, unit_pk, what="dossier import profiles")
    return _profile_list(
        request,
        lambda q: profile_sel.agency_profiles(request.user, unit, query=q),
        {
            "unit": unit,
            "can_manage": profile_svc.may_manage(request.user, unit),
            "can_manage_shared": profile_svc.may_manage_shared(request.user),
        },
    )


@login_required
def profile_detail(request, unit_pk, pk):
    unit = org.get_internal_unit(request.user, unit_pk, what="dossier import profiles")
    profile = profile_sel.get_agency_profile(request.user, unit, pk)
    return render(
        request,
        "dossiers/profile_detail.html",
        {
            "unit": unit,
            "profile": profile,
            "rows": _profile_rows(profile),
            "value_rows": _value_rows(profile),
            "date_format": date_format_label(
                (profile.value_maps or {}).get(DATE_FORMAT_KEY, DEFAULT_DATE_FORMAT)
            ),
            "history": profile_sel.profile_history(profile),
            "can_change": profile_svc.may_change(request.user, profile),
        },
    )


def _save_profile(request, *, unit, profile, done_url, context):
    form = ProfileForm(request.POST or None, profile=profile, unit=unit)
    if request.method == "POST" and form.is_valid():
        values = {
            "name": form.cleaned_data["name"],
            "fmt": form.cleaned_data["format"],
            "mapping": form.mapping,
            "value_maps": form.value_maps,
        }
        try:
            if profile is None:
                profile = profile_svc.create_profile(request.user, unit, **values)
                messages.success(request, _("The import profile was created."))
            else:
                profile = profile_svc.update_profile(request.user, profile, **values)
                messages.success(request, _("The import profile was saved."))
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            return redirect(done_url(profile))
    history = profile_sel.profile_history(profile) if profile is not None else []
    return render(
        request,
        "dossiers/profile_form.html",
        {**context, "form": form, "profile": profile, "history": history},
    )


def _manage_unit(request, unit_pk):
    unit = org.get_internal_unit(request.user, unit_pk, what="dossier import profiles")
    if not profile_svc.may_manage(request.user, unit):
        raise PermissionDenied(_("You may not change the import profiles of this agency."))
    return unit


def _require_shared_manager(request):
    if not profile_svc.may_manage_shared(request.user):
        raise PermissionDenied(_("Only a DoST administrator may change shared import profiles."))


@login_required
def profile_create(request, unit_pk):
    unit = _manage_unit(request, unit_pk)
    return _save_profile(
        request,
        unit=unit,
        profile=None,
        done_url=lambda p: reverse("dossier_profile_detail", args=[unit.pk, p.pk]),
        context={"unit": unit, "cancel_url": reverse("dossier_profile_list", args=[unit.pk])},
    )


@login_required
def profile_edit(request, unit_pk, pk):
    unit = _manage_unit(request, unit_pk)
    profile = profile_sel.get_own_profile(request.user, unit, pk)
    return _save_profile(
        request,
        unit=unit,
        profile=profile,
        done_url=lambda p: reverse("dossier_profile_detail", args=[unit.pk, p.pk]),
        context={
            "unit": unit,
            "cancel_url": reverse("dossier_profile_detail", args=[unit.pk, profile.pk]),
        },
    )


def _delete(request, profile, *, done_url, context):
    if request.method == "POST":
        try:
            profile_svc.delete_profile(request.user, profile)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, _("The import profile “%(name)s” was deleted.") % {"name": profile.name}
            )
            return redirect(done_url)
    return render(request, "dossiers/profile_delete.html", {**context, "profile": profile})


@login_required
def profile_delete(request, unit_pk, pk):
    unit = _manage_unit(request, unit_pk)
    profile = profile_sel.get_own_profile(request.user, unit, pk)
    return _delete(
        request,
        profile,
        done_url=reverse("dossier_profile_list", args=[unit.pk]),
        context={
            "unit": unit,
            "cancel_url": reverse("dossier_profile_detail", args=[unit.pk, profile.pk]),
        },
    )


@login_required
def shared_profile_list(request):
    _require_shared_manager(request)
    return _profile_list(
        request,
        lambda q: profile_sel.shared_profiles(query=q),
        {"unit": None, "can_manage": True, "can_manage_shared": True},
    )


@login_required
def shared_profile_create(request):
    _require_shared_manager(request)
    return _save_profile(
        request,
        unit=None,
        profile=None,
        done_url=lambda p: reverse("shared_profile_edit", args=[p.pk]),
        context={"unit": None, "cancel_url": reverse("shared_profile_list")},
    )


@login_required
def shared_profile_edit(request, pk):
    _require_shared_manager(request)
    profile = profile_sel.get_shared_profile(pk)
    return _save_profile(
        request,
        unit=None,
        profile=profile,
        done_url=lambda p: reverse("shared_profile_edit", args=[p.pk]),
        context={"unit": None, "cancel_url": reverse("shared_profile_list")},
    )


@login_required
def shared_profile_delete(request, pk):
    _require_shared_manager(request)
    profile = profile_sel.get_shared_profile(pk)
    return _delete(
        request,
        profile,
        done_url=reverse("shared_profile_list"),
        context={"unit": None, "cancel_url": reverse("shared_profile_edit", args=[profile.pk])},
    )
