"""Pages of the oversight app: an agency's conformity announcements, the public
announcement status of a province's agencies, an agency's lifecycle and signals, and
the DoST's formalism signals console. Thin views over selectors and services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from govqms.core.pages import query_without_page as _query_without_page
from govqms.organizations import selectors as org

from . import selectors, services
from . import signals as registry
from .forms import AnnouncementForm, SignalFilterForm

# ---------------------------------------------------------------- announcements


@login_required
def announcement_list(request, unit_pk):
    unit = org.get_internal_unit(request.user, unit_pk, what="conformity announcements")
    return render(
        request,
        "oversight/announcement_list.html",
        {
            "unit": unit,
            "announcements": selectors.agency_announcements(request.user, unit),
            "status": selectors.announcement_status(unit),
            "can_manage": selectors.can_manage_announcements(request.user, unit),
        },
    )


@login_required
def announcement_create(request, unit_pk):
    unit = org.get_internal_unit(request.user, unit_pk, what="conformity announcements")
    if not selectors.can_manage_announcements(request.user, unit):
        raise PermissionDenied
    procedures = selectors.scope_procedures(request.user, unit)
    form = AnnouncementForm(request.POST or None, request.FILES or None, procedures=procedures)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_announcement(
                request.user,
                unit,
                decision_number=data["decision_number"],
                decision_date=data["decision_date"],
                scope=data["scope"],
                procedures=list(data["procedures"]),
                procedure_count=data["procedure_count"],
                signed_file=data["signed_file"],
                posted_at_office=data["posted_at_office"],
                posted_url=data["posted_url"],
            )
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            messages.success(request, _("Conformity announcement recorded."))
            return redirect("announcement_list", unit.pk)
    return render(
        request,
        "oversight/announcement_form.html",
        {"unit": unit, "form": form, "status": selectors.announcement_status(unit)},
    )


@login_required
def announcement_file(request, unit_pk, pk):
    unit = org.get_internal_unit(request.user, unit_pk, what="conformity announcement file")
    ann = selectors.get_announcement(request.user, unit, pk)
    if not ann.signed_file:
        raise Http404("No file.")
    name = f"quyet-dinh-cong-bo-{ann.pk}.pdf"
    return FileResponse(
        ann.signed_file.open("rb"),
        content_type="application/pdf",
        filename=name,
        as_attachment=False,
    )


def public_announcements(request):
    """Public: every agency of a province with its announcement status (no sign-in)."""
    provinces = selectors.public_provinces()
    province = request.GET.get("province") or (provinces[0] if provinces else "")
    if province not in provinces:
        province = provinces[0] if provinces else ""
    query = request.GET.get("q", "")[:200]
    status = request.GET.get("status", "")
    if status not in selectors.STATUS_LABELS:
        status = ""
    rows = (
        selectors.public_announcement_rows(province, query=query, status=status) if province else []
    )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "oversight/public_announcements.html",
        {
            "provinces": provinces,
            "province": province,
            "q": query,
            "status": status,
            "statuses": list(selectors.STATUS_LABELS.items()),
            "page": page,
            "query_string": _query_without_page(request),
        },
    )


# ---------------------------------------------------------------- lifecycle and signals


@login_required
def agency_oversight(request, unit_pk):
    """An agency's lifecycle and formalism signals (the agency and its overseers)."""
    unit = org.get_internal_unit(request.user, unit_pk, what="lifecycle and formalism signals")
    year = selectors.parse_year(request.GET.get("year"))
    return render(
        request,
        "oversight/agency_oversight.html",
        {
            "unit": unit,
            "year": year,
            "lifecycle": selectors.agency_lifecycle(request.user, unit, year),
            "signals": selectors.unit_signals(request.user, unit, year),
            "all_signals": registry.all_signals(),
        },
    )


@login_required
def signal_console(request):
    """The DoST: agencies of its subtree with their formalism signals."""
    if not org.is_oversight_user(request.user):
        raise PermissionDenied
    form = SignalFilterForm(request.GET or None, signals=registry.all_signals())
    filters = form.cleaned_data if form.is_valid() else {}
    year = selectors.parse_year(filters.get("year"))
    rows = selectors.subtree_signals(
        request.user,
        year,
        query=filters.get("q"),
        signal=filters.get("signal") or None,
        sort=filters.get("sort") or "count",
    )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    counts = {}
    for row in rows:
        for s in row.signals:
            counts[s.key] = counts.get(s.key, 0) + 1
    return render(
        request,
        "oversight/signal_console.html",
        {
            "form": form,
            "year": year,
            "page": page,
            "flagged": sum(1 for r in rows if r.count),
            "total": len(rows),
            "signal_counts": [(s, counts.get(s.key, 0)) for s in registry.all_signals()],
            "query_string": _query_without_page(request),
        },
    )
