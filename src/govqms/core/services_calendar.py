"""Writes of the working calendar's overrides, each with an audit entry.

National overrides need a superuser; a province's overrides a DoST administrator of
that province (`selectors_calendar.can_edit_scope`). `actor=None` is the system (data
loading) and may write anything."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from govqms.organizations import selectors as org

from . import audit
from . import calendar as engine
from .models import CalendarOverride
from .selectors_calendar import can_edit_scope

AUDIT_FIELDS = ["date", "kind", "scope", "legal_basis", "note"]

# Official changes to the calendar of civil servants that the `holidays` package does
# not know (see `load_official_overrides`). Only decisions checked against their text
# or official reporting; anything less certain carries "(check)" in its note.
OFFICIAL_OVERRIDES = [
    {
        "date": dt.date(2026, 1, 2),
        "kind": CalendarOverride.Kind.DAY_OFF,
        "legal_basis": "Công văn 12729/VPCP-KGVX ngày 25/12/2025 của Văn phòng Chính phủ",
        "note": "Tết Dương lịch 2026: nghỉ từ thứ Năm 01/01 đến hết Chủ nhật 04/01/2026; "
        "hoán đổi ngày làm việc thứ Sáu 02/01/2026 sang thứ Bảy 10/01/2026.",
    },
    {
        "date": dt.date(2026, 1, 10),
        "kind": CalendarOverride.Kind.WORKING_DAY,
        "legal_basis": "Công văn 12729/VPCP-KGVX ngày 25/12/2025 của Văn phòng Chính phủ",
        "note": "Làm bù cho ngày thứ Sáu 02/01/2026 (Tết Dương lịch 2026).",
    },
]


def _unit_for(actor, scope: str):
    """The unit whose audit page shows a province's change (its administered root)."""
    if not scope or actor is None:
        return None
    return next((u for u in org.admin_roots(actor) if u.province == scope), None)


def _require(actor, scope: str) -> None:
    if actor is not None and not can_edit_scope(actor, scope):
        raise PermissionDenied(
            _("Only a superuser may change the national calendar.")
            if not scope
            else _("Only a DoST administrator of %(province)s may change its calendar.")
            % {"province": scope}
        )


def _check(date: dt.date, kind: str, scope: str, legal_basis: str) -> None:
    if kind not in engine.OVERRIDE_KINDS:
        raise ValidationError({"kind": _("Unknown kind of change.")})
    if not (legal_basis or "").strip():
        raise ValidationError({"legal_basis": _("Give the legal basis of the change.")})
    base = engine.Calendar.for_scope(scope)
    if not base.first <= date <= base.last:
        raise ValidationError(
            {
                "date": _("The working calendar covers %(first)s to %(last)s.")
                % {"first": base.first.isoformat(), "last": base.last.isoformat()}
            }
        )
    if CalendarOverride.objects.filter(date=date, scope=scope).exists():
        raise ValidationError({"date": _("This date already has a change in this calendar.")})
    working = base.is_working_day(date)
    weekend = date.weekday() in base.weekend
    if kind == engine.DAY_OFF and not working:
        raise ValidationError({"date": _("This date is already a day off.")})
    if kind == engine.WORKING_DAY and not (weekend and not working):
        raise ValidationError(
            {"kind": _("A worked weekend day must be a Saturday or Sunday that is not worked.")}
        )
    if kind == engine.REMOVED_HOLIDAY and (weekend or working):
        raise ValidationError(
            {"kind": _("A worked holiday must be a weekday that is a holiday or a day off.")}
        )


def add_override(
    actor,
    *,
    date: dt.date,
    kind: str,
    legal_basis: str,
    note: str = "",
    scope: str = "",
) -> CalendarOverride:
    """Add one change to the working calendar of `scope` ("" national, else a province)."""
    scope = (scope or "").strip()
    _require(actor, scope)
    _check(date, kind, scope, legal_basis)
    with transaction.atomic():
        override = CalendarOverride.objects.create(
            date=date,
            kind=kind,
            legal_basis=legal_basis.strip(),
            note=(note or "").strip(),
            scope=scope,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit.record(
            actor=actor,
            action="calendar_override_add",
            obj=override,
            unit=_unit_for(actor, scope),
            changes=audit.diff(None, audit.snapshot(override, AUDIT_FIELDS)),
        )
        transaction.on_commit(engine.invalidate)
    engine.invalidate()
    return override


def delete_override(actor, override: CalendarOverride, *, reason: str = "") -> None:
    """Remove one change from the working calendar."""
    _require(actor, override.scope)
    with transaction.atomic():
        before = audit.snapshot(override, AUDIT_FIELDS)
        audit.record(
            actor=actor,
            action="calendar_override_delete",
            obj=override,
            unit=_unit_for(actor, override.scope),
            changes=audit.diff(before, None),
            note=reason,
        )
        override.delete()
        transaction.on_commit(engine.invalidate)
    engine.invalidate()


def load_official_overrides(actor=None) -> list[CalendarOverride]:
    """Add the national overrides of `OFFICIAL_OVERRIDES` that are missing (idempotent);
    returns those added."""
    added = []
    with transaction.atomic():
        for row in OFFICIAL_OVERRIDES:
            if CalendarOverride.objects.filter(date=row["date"], scope="").exists():
                continue
            added.append(add_override(actor, scope="", **row))
    return added
