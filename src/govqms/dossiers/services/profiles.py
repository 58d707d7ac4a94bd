"""Every write of import profiles (the saved column mappings of CSV/XLSX exports).

An agency's own profile (`unit` set) is managed by its ISO secretary or head, or a
DoST administrator above it (the same people who may import). A shared profile
(`unit` None, built-in or not) is used by every agency and managed by DoST
administrators only; a built-in one keeps its name and cannot be deleted.

    profile = create_profile(actor, unit_or_None, name=..., fmt=..., mapping=..., value_maps=...)
    update_profile(actor, profile, name=..., ...)
    delete_profile(actor, profile)

Each validates (`validate`), runs in one transaction and writes one audit entry
with the changes."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from govqms.core import audit
from govqms.core.imports import header_key
from govqms.organizations import selectors as org

from ..models import DossierStatus, EventKind, ImportProfile, ImportSource
from ..profiles import (
    DATE_FORMAT_KEY,
    DATE_FORMATS,
    REQUIRED_TARGETS,
    TARGETS,
    VALUE_MAP_TARGETS,
    target_label,
)
from ..rules import imports_for

AUDITED = ["name", "unit", "format", "mapping", "value_maps"]
FORMATS = (ImportSource.CSV, ImportSource.XLSX)


# ---------------------------------------------------------------- permissions


def may_manage_shared(user) -> bool:
    """DoST administrators manage the shared profiles every agency may use."""
    return bool(getattr(user, "is_authenticated", False) and org.admin_roots(user))


def may_manage(user, unit) -> bool:
    """May `user` create, edit and delete the profiles of `unit` (None: shared)?"""
    if not getattr(user, "is_authenticated", False):
        return False
    if unit is None:
        return may_manage_shared(user)
    return bool(imports_for(user, unit))


def may_change(user, profile: ImportProfile) -> bool:
    return may_manage(user, profile.unit)


def _check(actor, unit):
    if not may_manage(actor, unit):
        if unit is None:
            raise PermissionDenied(
                _("Only a DoST administrator may change shared import profiles.")
            )
        raise PermissionDenied(_("You may not change the import profiles of this agency."))


# ---------------------------------------------------------------- validation


def _clean_name(name) -> str:
    return " ".join(str(name or "").split())[:120]


def validate(
    *,
    unit,
    name: str,
    fmt: str,
    mapping: dict,
    value_maps: dict,
    instance: ImportProfile | None = None,
) -> None:
    """Raise a ValidationError keyed by field ("name", "format", "mapping",
    "value_maps" or a target field name) with every problem found."""
    errors: dict[str, list[str]] = {}

    def add(key, message):
        errors.setdefault(key, []).append(message)

    if not name:
        add("name", _("Give the profile a name."))
    else:
        same = ImportProfile.objects.filter(name=name)
        same = same.filter(unit__isnull=True) if unit is None else same.filter(unit=unit)
        if instance is not None:
            same = same.exclude(pk=instance.pk)
        if same.exists():
            add("name", _("Another profile already has this name."))
    if fmt not in FORMATS:
        add("format", _("The format must be CSV or XLSX."))

    if not isinstance(mapping, dict):
        add("mapping", _("The column mapping must map fields to columns."))
        mapping = {}
    seen: dict[str, str] = {}
    for target, column in mapping.items():
        if target not in TARGETS:
            add(
                "mapping",
                _("Unknown target field “%(field)s”.") % {"field": target},
            )
            continue
        column = str(column or "").strip()
        if not column:
            continue
        key = header_key(column)
        if key in seen:
            add(
                target,
                _("The column “%(column)s” already feeds “%(other)s”: a column feeds one field.")
                % {"column": column, "other": target_label(seen[key])},
            )
        else:
            seen[key] = target
    for target in REQUIRED_TARGETS:
        if not str(mapping.get(target) or "").strip():
            add(
                target,
                _("“%(field)s” is required: name the column it comes from.")
                % {"field": target_label(target)},
            )

    if not isinstance(value_maps, dict):
        add("value_maps", _("The value maps must be tables of values."))
        value_maps = {}
    allowed = {
        "kind": set(EventKind.values),
        "status": set(DossierStatus.values),
        "channel": {"counter", "online", "post"},
    }
    for target, table in value_maps.items():
        if target == DATE_FORMAT_KEY:
            if table not in DATE_FORMATS:
                add("date_format", _("Unknown date format “%(value)s”.") % {"value": table})
            continue
        if target.startswith("_"):  # e.g. "_implies" of the built-in profile: kept as is
            continue
        if target not in VALUE_MAP_TARGETS:
            add("value_maps", _("Unknown target field “%(field)s”.") % {"field": target})
            continue
        if not isinstance(table, dict):
            add(target + "_values", _("The value map must be a table of values."))
            continue
        for source, ours in table.items():
            if ours not in allowed[target]:
                add(
                    target + "_values",
                    _("“%(source)s”: “%(value)s” is not one of %(choices)s.")
                    % {
                        "source": source,
                        "value": ours,
                        "choices": ", ".join(sorted(allowed[target])),
                    },
                )
    if errors:
        raise ValidationError(errors)


def _clean_mapping(mapping: dict) -> dict:
    return {k: str(v).strip() for k, v in mapping.items() if str(v or "").strip()}


def _clean_value_maps(value_maps: dict) -> dict:
    return {
        k: ({str(a).strip(): b for a, b in v.items()} if isinstance(v, dict) else v)
        for k, v in value_maps.items()
        if v not in ({}, None, "")
    }


def check_values(*, unit, profile, name, fmt, mapping, value_maps) -> None:
    """What `create_profile`/`update_profile` would refuse, for a form to show every
    problem at once (no write)."""
    mapping = _clean_mapping(mapping or {})
    value_maps = _clean_value_maps(value_maps or {})
    validate(
        unit=unit if profile is None else profile.unit,
        name=profile.name if profile is not None and profile.builtin else _clean_name(name),
        fmt=fmt,
        mapping=mapping,
        value_maps=value_maps,
        instance=profile,
    )


# ---------------------------------------------------------------- writes


def create_profile(
    actor, unit, *, name: str, fmt: str = "csv", mapping: dict, value_maps: dict | None = None
) -> ImportProfile:
    """A new profile of agency `unit`, or a shared one when `unit` is None."""
    _check(actor, unit)
    name = _clean_name(name)
    mapping = _clean_mapping(mapping or {})
    value_maps = _clean_value_maps(value_maps or {})
    validate(unit=unit, name=name, fmt=fmt, mapping=mapping, value_maps=value_maps)
    with transaction.atomic():
        profile = ImportProfile.objects.create(
            name=name, unit=unit, format=fmt, mapping=mapping, value_maps=value_maps
        )
        audit.record(
            actor=actor,
            action="dossier_profile_create",
            obj=profile,
            unit=unit,
            changes=audit.diff(None, audit.snapshot(profile, AUDITED)),
        )
    return profile


def update_profile(
    actor,
    profile: ImportProfile,
    *,
    name: str,
    fmt: str,
    mapping: dict,
    value_maps: dict,
) -> ImportProfile:
    """Change a profile. Keys of `value_maps` the form does not edit (those starting
    with "_" other than the date format, e.g. the portal's "_implies") are kept."""
    _check(actor, profile.unit)
    name = _clean_name(name)
    if profile.builtin and name != profile.name:
        raise ValidationError({"name": _("A built-in profile keeps its name.")})
    mapping = _clean_mapping(mapping or {})
    kept = {
        k: v
        for k, v in (profile.value_maps or {}).items()
        if k.startswith("_") and k != DATE_FORMAT_KEY
    }
    value_maps = {**kept, **_clean_value_maps(value_maps or {})}
    validate(
        unit=profile.unit,
        name=name,
        fmt=fmt,
        mapping=mapping,
        value_maps=value_maps,
        instance=profile,
    )
    with transaction.atomic():
        locked = ImportProfile.objects.select_for_update().get(pk=profile.pk)
        before = audit.snapshot(locked, AUDITED)
        locked.name, locked.format = name, fmt
        locked.mapping, locked.value_maps = mapping, value_maps
        locked.save(update_fields=["name", "format", "mapping", "value_maps"])
        changes = audit.diff(before, audit.snapshot(locked, AUDITED))
        if changes:
            audit.record(
                actor=actor,
                action="dossier_profile_update",
                obj=locked,
                unit=locked.unit,
                changes=changes,
            )
    return locked


def delete_profile(actor, profile: ImportProfile) -> None:
    """Delete a profile (past import batches keep their counts, not the link)."""
    _check(actor, profile.unit)
    if profile.builtin:
        raise ValidationError(_("A built-in profile cannot be deleted."))
    with transaction.atomic():
        before = audit.snapshot(profile, AUDITED)
        audit.record(
            actor=actor,
            action="dossier_profile_delete",
            obj=profile,
            unit=profile.unit,
            changes=audit.diff(before, None),
        )
        profile.delete()
