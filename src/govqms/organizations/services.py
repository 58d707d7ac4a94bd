"""Every write to agencies, people and roles: permission check, transaction, audit entry.

`actor=None` means the system itself (demo loader, imports run from the command
line); every other actor is checked against the rules in `rules.py`.
"""

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from govqms.core import audit
from govqms.core.permissions import require as _require

from .models import ChangeKind, Membership, Role, Unit, UnitChange, User

ONE_DAY = dt.timedelta(days=1)


# ---------------------------------------------------------------- units


def _save_unit(unit: Unit) -> None:
    unit.refresh_search_text()
    unit.full_clean(exclude=["path", "search_text"])
    unit.save()
    path = unit.compute_path()
    if path != unit.path:
        Unit.objects.filter(pk=unit.pk).update(path=path)
        unit.path = path


def _repath_subtree(unit: Unit, old_path: str) -> None:
    """After a move: rewrite the old path prefix of every descendant in one UPDATE."""
    if unit.path == old_path:
        return
    Unit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk).update(
        path=Concat(Value(unit.path), Substr("path", len(old_path) + 1))
    )


@transaction.atomic
def create_unit(actor, *, parent: Unit | None = None, **fields) -> Unit:
    _require(actor, "organizations.manage_units", parent)
    unit = Unit(parent=parent, **fields)
    if unit.valid_from is None:
        unit.valid_from = timezone.localdate()
    _save_unit(unit)
    audit.record(
        actor=actor,
        action="create",
        obj=unit,
        unit=unit,
        changes=audit.diff(None, audit.snapshot(unit, Unit.AUDIT_FIELDS)),
    )
    return unit


@transaction.atomic
def update_unit(actor, unit: Unit, **fields) -> Unit:
    """Edit attributes that are not restructuring (use rename/move for those)."""
    _require(actor, "organizations.manage_units", unit)
    forbidden = {"parent", "parent_id", "name", "code"} & set(fields)
    if forbidden:
        raise ValidationError(_("Use a restructuring to change %s.") % ", ".join(sorted(forbidden)))
    before = audit.snapshot(unit, Unit.AUDIT_FIELDS)
    for key, value in fields.items():
        setattr(unit, key, value)
    _save_unit(unit)
    changes = audit.diff(before, audit.snapshot(unit, Unit.AUDIT_FIELDS))
    if changes:
        audit.record(actor=actor, action="update", obj=unit, unit=unit, changes=changes)
    return unit


def _record_change(actor, change: UnitChange, units: Iterable[Unit]) -> None:
    """One audit entry per unit concerned, so each agency sees it on its own page."""
    summary = {
        "kind": change.kind,
        "date": change.date,
        "legal_basis": change.legal_basis,
        "from": [u.code for u in change.from_units.all()],
        "to": [u.code for u in change.to_units.all()],
        **change.details,
    }
    for unit in {u.pk: u for u in units}.values():
        audit.record(
            actor=actor,
            action=f"restructure_{change.kind}",
            obj=change,
            unit=unit,
            changes=summary,
            object_repr=f"{change} · {unit}",
        )


def _check_change_args(date: dt.date, legal_basis: str) -> None:
    if not date:
        raise ValidationError(_("A restructuring needs its effective date."))
    if not (legal_basis or "").strip():
        raise ValidationError(_("A restructuring needs its legal basis."))


def _end_unit(unit: Unit, date: dt.date) -> None:
    if unit.valid_from >= date:
        raise ValidationError(
            _("%(unit)s starts on %(start)s, it cannot end before %(date)s.")
            % {"unit": unit, "start": unit.valid_from, "date": date}
        )
    if unit.valid_to is not None and unit.valid_to < date - ONE_DAY:
        raise ValidationError(_("%s has already ended.") % unit)
    unit.valid_to = date - ONE_DAY
    Unit.objects.filter(pk=unit.pk).update(valid_to=unit.valid_to)


def _carry_memberships(source: Unit, target: Unit, date: dt.date, users=None) -> int:
    """End the source's memberships the day before `date` and open the same roles
    in the target from `date`. Returns how many were carried."""
    carried = 0
    open_on_eve = Membership.objects.active_on(date - ONE_DAY).filter(unit=source)
    if users is not None:
        open_on_eve = open_on_eve.filter(user__in=users)
    for membership in open_on_eve.select_related("user"):
        membership.valid_to = date - ONE_DAY
        Membership.objects.filter(pk=membership.pk).update(valid_to=membership.valid_to)
        exists = (
            Membership.objects.active_on(date)
            .filter(user=membership.user, unit=target, role=membership.role)
            .exists()
        )
        if not exists:
            Membership.objects.create(
                user=membership.user,
                unit=target,
                role=membership.role,
                title=membership.title,
                division=membership.division,
                valid_from=date,
                carried_from=membership,
            )
            carried += 1
    return carried


def _end_memberships(unit: Unit, date: dt.date) -> None:
    Membership.objects.active_on(date - ONE_DAY).filter(unit=unit).update(valid_to=date - ONE_DAY)


def _reparent_children(source: Unit, target: Unit, date: dt.date) -> None:
    for child in source.children.active_on(date):
        old_path = child.path
        child.parent = target
        _save_unit(child)
        _repath_subtree(child, old_path)


def _new_or_existing(actor, spec: Unit | dict, date: dt.date, parent: Unit | None) -> Unit:
    if isinstance(spec, Unit):
        return spec
    fields = dict(spec)
    fields.setdefault("valid_from", date)
    fields.setdefault("parent", parent)
    return create_unit(None, **fields)


@transaction.atomic
def rename_unit(
    actor,
    unit: Unit,
    *,
    date: dt.date,
    legal_basis: str,
    name: str,
    short_name: str | None = None,
    code: str | None = None,
    note: str = "",
) -> UnitChange:
    _require(actor, "organizations.manage_units", unit)
    _check_change_args(date, legal_basis)
    details = {"old_name": unit.name, "new_name": name}
    unit.name = name
    if short_name is not None:
        unit.short_name = short_name
    if code and code != unit.code:
        details.update(old_code=unit.code, new_code=code)
        unit.code = code
    _save_unit(unit)
    change = UnitChange.objects.create(
        kind=ChangeKind.RENAME,
        date=date,
        legal_basis=legal_basis,
        note=note,
        details=details,
        created_by=actor,
    )
    change.from_units.add(unit)
    change.to_units.add(unit)
    _record_change(actor, change, [unit])
    return change


@transaction.atomic
def move_unit(
    actor, unit: Unit, *, new_parent: Unit, date: dt.date, legal_basis: str, note: str = ""
) -> UnitChange:
    _require(actor, "organizations.manage_units", unit)
    _require(actor, "organizations.manage_units", new_parent)
    _check_change_args(date, legal_basis)
    if new_parent.path.startswith(unit.path):
        raise ValidationError(_("A unit cannot be moved under itself."))
    old_parent, old_path = unit.parent, unit.path
    unit.parent = new_parent
    _save_unit(unit)
    _repath_subtree(unit, old_path)
    change = UnitChange.objects.create(
        kind=ChangeKind.MOVE,
        date=date,
        legal_basis=legal_basis,
        note=note,
        details={
            "old_parent": old_parent.name if old_parent else None,
            "new_parent": new_parent.name,
        },
        created_by=actor,
    )
    change.from_units.add(unit)
    change.to_units.add(unit)
    _record_change(actor, change, [unit, new_parent] + ([old_parent] if old_parent else []))
    return change


@transaction.atomic
def merge_units(
    actor,
    sources: list[Unit],
    *,
    date: dt.date,
    legal_basis: str,
    into: Unit | dict,
    note: str = "",
) -> UnitChange:
    """Merge `sources` into `into`: an existing unit (which may be one of the
    sources and then lives on) or the fields of a new unit. The other sources
    end the day before `date`; their memberships and child units move over."""
    _check_change_args(date, legal_basis)
    if len({u.pk for u in sources}) < 2 and not isinstance(into, dict):
        raise ValidationError(_("A merge needs at least two units."))
    for source in sources:
        _require(actor, "organizations.manage_units", source)
    parent = into.get("parent", sources[0].parent) if isinstance(into, dict) else None
    if isinstance(into, dict):
        _require(actor, "organizations.manage_units", parent)
    target = _new_or_existing(actor, into, date, parent)
    for source in sources:
        if source.pk == target.pk:
            continue
        _end_unit(source, date)
        _reparent_children(source, target, date)
        _carry_memberships(source, target, date)
    change = UnitChange.objects.create(
        kind=ChangeKind.MERGE, date=date, legal_basis=legal_basis, note=note, created_by=actor
    )
    change.from_units.add(*sources)
    change.to_units.add(target)
    _record_change(actor, change, [*sources, target])
    return change


@transaction.atomic
def split_unit(
    actor,
    source: Unit,
    *,
    date: dt.date,
    legal_basis: str,
    into: list[Unit | dict],
    member_targets: dict[int, int] | None = None,
    note: str = "",
) -> UnitChange:
    """Split `source` into several units (existing or new). Memberships go to the
    successor given by `member_targets` {user id: index in `into`}, else to the
    first successor; child units go to the first successor."""
    _require(actor, "organizations.manage_units", source)
    _check_change_args(date, legal_basis)
    if len(into) < 2:
        raise ValidationError(_("A split needs at least two successors."))
    targets = [_new_or_existing(actor, spec, date, source.parent) for spec in into]
    if source.pk in {t.pk for t in targets}:
        raise ValidationError(_("The split unit cannot be one of its own successors."))
    _end_unit(source, date)
    member_targets = member_targets or {}
    for index, target in enumerate(targets):
        users = [uid for uid, i in member_targets.items() if i == index]
        if index == 0:
            others = [uid for uid, i in member_targets.items() if i != 0]
            users = User.objects.exclude(pk__in=others)
        if users is not None:
            _carry_memberships(source, target, date, users=users)
    _reparent_children(source, targets[0], date)
    change = UnitChange.objects.create(
        kind=ChangeKind.SPLIT, date=date, legal_basis=legal_basis, note=note, created_by=actor
    )
    change.from_units.add(source)
    change.to_units.add(*targets)
    _record_change(actor, change, [source, *targets])
    return change


@transaction.atomic
def dissolve_unit(
    actor,
    unit: Unit,
    *,
    date: dt.date,
    legal_basis: str,
    children_to: Unit | None = None,
    note: str = "",
) -> UnitChange:
    """End a unit without successor (e.g. a district abolished on 1 July 2025).
    Its remaining child units move to `children_to`; its memberships end."""
    _require(actor, "organizations.manage_units", unit)
    _check_change_args(date, legal_basis)
    if unit.children.active_on(date).exists():
        if children_to is None:
            raise ValidationError(_("%s still has units under it: say where they go.") % unit)
        _reparent_children(unit, children_to, date)
    _end_unit(unit, date)
    _end_memberships(unit, date)
    change = UnitChange.objects.create(
        kind=ChangeKind.DISSOLVE,
        date=date,
        legal_basis=legal_basis,
        note=note,
        details={"children_to": children_to.name if children_to else None},
        created_by=actor,
    )
    change.from_units.add(unit)
    _record_change(actor, change, [unit] + ([children_to] if children_to else []))
    return change


# ---------------------------------------------------------------- people


@transaction.atomic
def create_user(
    actor, *, username: str, full_name: str = "", email: str = "", password: str | None = None
) -> User:
    user = User(username=username, full_name=full_name, email=email)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    audit.record(
        actor=actor,
        action="create",
        obj=user,
        changes={"username": [None, username], "full_name": [None, full_name]},
    )
    return user


def get_or_create_user(actor, *, username: str, full_name: str = "", email: str = "") -> User:
    """The account with this user name, or a new one without a password (the person
    sets it through "forgot your password")."""
    existing = User.objects.filter(username=username).first()
    if existing is not None:
        return existing
    return create_user(actor, username=username, full_name=full_name, email=email)


@transaction.atomic
def add_membership(
    actor,
    *,
    user: User,
    unit: Unit,
    role: str,
    title: str = "",
    division: str = "",
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
) -> Membership:
    perm = (
        "organizations.manage_oversight"
        if role in (Role.DOST_OFFICER, Role.DOST_ADMIN)
        else "organizations.manage_members"
    )
    _require(actor, perm, unit)
    valid_from = valid_from or timezone.localdate()
    if valid_to and valid_to < valid_from:
        raise ValidationError(_("A membership cannot end before it starts."))
    if Membership.objects.active_on(valid_from).filter(user=user, unit=unit, role=role).exists():
        raise ValidationError(_("%(user)s already has this role here.") % {"user": user})
    membership = Membership(
        user=user,
        unit=unit,
        role=role,
        title=title,
        division=division,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    membership.full_clean()
    membership.save()
    audit.record(
        actor=actor,
        action="create",
        obj=membership,
        unit=unit,
        changes=audit.diff(None, audit.snapshot(membership, Membership.AUDIT_FIELDS)),
    )
    return membership


@transaction.atomic
def end_membership(actor, membership: Membership, *, valid_to: dt.date | None = None) -> Membership:
    perm = (
        "organizations.manage_oversight"
        if membership.is_oversight
        else "organizations.manage_members"
    )
    _require(actor, perm, membership.unit)
    valid_to = valid_to or timezone.localdate()
    if valid_to < membership.valid_from:
        raise ValidationError(_("A membership cannot end before it starts."))
    before = audit.snapshot(membership, Membership.AUDIT_FIELDS)
    membership.valid_to = valid_to
    membership.save(update_fields=["valid_to"])
    audit.record(
        actor=actor,
        action="update",
        obj=membership,
        unit=membership.unit,
        changes=audit.diff(before, audit.snapshot(membership, Membership.AUDIT_FIELDS)),
    )
    return membership
