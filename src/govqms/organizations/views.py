"""Pages of agencies and people: thin views over selectors and services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govqms.core import panels
from govqms.core.pages import query_without_page as _query_without_page

from . import selectors, services
from .forms import (
    AgencyFilterForm,
    AgencyImportForm,
    AuditFilterForm,
    EndMembershipForm,
    MembershipForm,
    RestructureForm,
)
from .models import OVERSIGHT_ROLES, ChangeKind, Role, Unit, UnitKind


def _page(request, queryset, per_page):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


@login_required
def home(request):
    """Send each user to their starting page: the DoST home or their agency."""
    if selectors.is_oversight_user(request.user):
        return redirect("agency_list")
    agency = selectors.agency_units(request.user).order_by("name").first()
    if agency:
        return redirect("agency_detail", agency.pk)
    return render(request, "organizations/no_role.html")


@login_required
def agency_list(request):
    """The DoST home: agencies under supervision, filtered, searched, paginated."""
    if not selectors.is_oversight_user(request.user):
        raise PermissionDenied
    supervised = selectors.supervised_units(request.user)
    form = AgencyFilterForm(request.GET or None, parents=selectors.supervised_parents(request.user))
    filters = form.cleaned_data if form.is_valid() else {}
    remit = {"yes": True, "no": False}.get(filters.get("remit") or "")
    units = selectors.supervised_units(
        request.user,
        kind=filters.get("kind") or None,
        parent=filters.get("parent") or None,
        in_remit=remit,
        query=filters.get("q"),
        status=filters.get("status") or "active",
    ).order_by("path")
    in_remit = supervised.filter(in_dost_remit=True)
    kind_labels = dict(UnitKind.choices)
    by_kind = [
        {"kind": row["kind"], "label": kind_labels.get(row["kind"], row["kind"]), "n": row["n"]}
        for row in in_remit.values("kind").annotate(n=Count("pk")).order_by("-n")
    ]
    return render(
        request,
        "organizations/agency_list.html",
        {
            "form": form,
            "page": _page(request, units, 25),
            "total": units.count(),
            "in_remit_count": in_remit.count(),
            "by_kind": by_kind,
            "query_string": _query_without_page(request),
            "can_import": bool(selectors.admin_roots(request.user)),
            "panels": panels.oversight_panels(request.user),
        },
    )


@login_required
def agency_detail(request, pk):
    """An agency's home: its people, their roles, its lineage and its units."""
    unit = selectors.get_internal_unit(request.user, pk, what="agency home: people and roles")
    memberships = list(selectors.unit_memberships(request.user, unit))
    role_labels = dict(Role.choices)
    role_counts = {}
    for m in memberships:
        role_counts[m.role] = role_counts.get(m.role, 0) + 1
    children = selectors.visible_units(request.user).filter(parent=unit).order_by("name")
    return render(
        request,
        "organizations/agency_detail.html",
        {
            "unit": unit,
            "memberships": memberships,
            "role_counts": [(role_labels[r], n) for r, n in sorted(role_counts.items())],
            "lineage": selectors.lineage(unit),
            "children": children,
            "is_oversight_view": not selectors.is_member_of(request.user, unit),
            "can_manage_members": request.user.has_perm("organizations.manage_members", unit)
            and unit.is_active,
            "visible_ids": set(selectors.visible_units(request.user).values_list("pk", flat=True)),
            "panels": panels.agency_panels(request.user, unit),
        },
    )


@login_required
def agency_audit(request, pk):
    """The agency's audit trail, with filters."""
    unit = selectors.get_internal_unit(request.user, pk, what="audit trail")
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = selectors.audit_entries(
        request.user,
        unit,
        action=filters.get("action") or None,
        actor=filters.get("actor") or None,
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
    )
    return render(
        request,
        "organizations/agency_audit.html",
        {
            "unit": unit,
            "form": form,
            "page": _page(request, entries, 50),
            "query_string": _query_without_page(request),
        },
    )


def _managed_unit(request, pk) -> Unit:
    unit = selectors.get_visible_unit(request.user, pk)
    if not request.user.has_perm("organizations.manage_members", unit):
        raise PermissionDenied
    return unit


@login_required
def membership_add(request, pk):
    unit = _managed_unit(request, pk)
    allow_oversight = request.user.has_perm("organizations.manage_oversight", unit)
    form = MembershipForm(request.POST or None, allow_oversight=allow_oversight)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.get_or_create_user(
                request.user,
                username=data["username"],
                full_name=data["full_name"],
                email=data["email"],
            )
            services.add_membership(
                request.user,
                user=user,
                unit=unit,
                role=data["role"],
                title=data["title"],
                valid_from=data["valid_from"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("%(user)s was added.") % {"user": user})
            return redirect("agency_detail", unit.pk)
    return render(request, "organizations/membership_form.html", {"unit": unit, "form": form})


@login_required
@require_POST
def membership_end(request, pk, membership_pk):
    unit = _managed_unit(request, pk)
    membership = get_object_or_404(selectors.unit_memberships(request.user, unit), pk=membership_pk)
    if membership.role in OVERSIGHT_ROLES and not request.user.has_perm(
        "organizations.manage_oversight", unit
    ):
        raise PermissionDenied
    form = EndMembershipForm(request.POST)
    if form.is_valid():
        try:
            services.end_membership(
                request.user, membership, valid_to=form.cleaned_data["valid_to"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The role of %(user)s ends.") % {"user": membership.user})
    return redirect("agency_detail", unit.pk)


@login_required
def agency_import(request):
    """DoST administrators import agencies from XLSX or CSV: all checked, then all or nothing."""
    from .imports import import_agencies

    if not selectors.admin_roots(request.user):
        raise PermissionDenied
    form = AgencyImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = import_agencies(
            upload, filename=upload.name, actor=request.user, dry_run=form.cleaned_data["dry_run"]
        )
        if not result.errors and not form.cleaned_data["dry_run"]:
            messages.success(request, _("Import done."))
    return render(request, "organizations/agency_import.html", {"form": form, "result": result})


def _restructure(user, form: RestructureForm):
    """Turn the form into one restructuring service call."""
    data = form.cleaned_data
    codes = form.source_codes()
    units = {u.code: u for u in selectors.visible_units(user).filter(code__in=codes)}
    unknown = [code for code in codes if code not in units]
    if unknown:
        raise ValidationError(_("Unknown unit codes: %s") % ", ".join(unknown))
    sources = [units[code] for code in codes]
    common = {"date": data["date"], "legal_basis": data["legal_basis"], "note": data["note"]}
    target_code, target_name = data["target_code"].strip(), data["target_name"].strip()
    target = selectors.visible_units(user).filter(code=target_code).first() if target_code else None
    kind = data["kind"]
    if kind != ChangeKind.MERGE and len(sources) != 1:
        raise ValidationError(_("Name exactly one unit for this kind of restructuring."))
    if kind == ChangeKind.MERGE:
        if target is None:
            if not (target_code and target_name):
                raise ValidationError(_("Give the code and name of the new unit."))
            into = {
                "code": target_code,
                "name": target_name,
                "kind": sources[0].kind,
                "province": sources[0].province,
                "in_dost_remit": sources[0].in_dost_remit,
                "parent": sources[0].parent,
            }
        else:
            into = target
        return services.merge_units(user, sources, into=into, **common)
    source = sources[0]
    if kind == ChangeKind.RENAME:
        if not target_name:
            raise ValidationError(_("Give the new name."))
        return services.rename_unit(
            user, source, name=target_name, code=target_code or None, **common
        )
    if kind == ChangeKind.MOVE:
        if target is None:
            raise ValidationError(_("Give the code of the new parent unit."))
        return services.move_unit(user, source, new_parent=target, **common)
    if kind == ChangeKind.DISSOLVE:
        return services.dissolve_unit(user, source, children_to=target, **common)
    specs = form.split_specs()
    into = [
        {
            "code": code,
            "name": name,
            "kind": source.kind,
            "province": source.province,
            "in_dost_remit": source.in_dost_remit,
        }
        for code, name in specs
    ]
    return services.split_unit(user, source, into=into, **common)


@login_required
def agency_restructure(request):
    """DoST administrators record a merger, split, rename, move or dissolution."""
    if not selectors.admin_roots(request.user):
        raise PermissionDenied
    form = RestructureForm(request.POST or None, initial=request.GET or None)
    if request.method == "POST" and form.is_valid():
        try:
            change = _restructure(request.user, form)
        except (ValidationError, PermissionDenied) as exc:
            messages_ = getattr(exc, "messages", None) or [_("You may not do this.")]
            form.add_error(None, " ".join(messages_))
        else:
            messages.success(request, _("Restructuring recorded: %(change)s.") % {"change": change})
            first = change.to_units.first() or change.from_units.first()
            return redirect("agency_detail", first.pk)
    return render(request, "organizations/agency_restructure.html", {"form": form})
