"""Every read of agencies, people and roles, already filtered to what the user may see.

The rule (DESIGN.md, tenancy): a user of an agency sees that agency; an oversight
user (DoST officer or administrator) sees the subtree under the unit of their
oversight membership, read-only, and each read of an agency's internal records
is written to that agency's audit trail.
"""

import datetime as dt

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from govqms.core import audit

from .models import AGENCY_ROLES, OVERSIGHT_ROLES, Membership, Role, Unit, UnitChange


def active_memberships(user, day: dt.date | None = None) -> QuerySet[Membership]:
    if not getattr(user, "is_authenticated", False):
        return Membership.objects.none()
    return Membership.objects.active_on(day).filter(user=user).select_related("unit")


def _cached(user, key, compute):
    cache = user.__dict__.setdefault("_govqms_cache", {})
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def oversight_roots(user) -> list[Unit]:
    """Roots of the subtrees this user supervises (superusers: every root)."""
    if not getattr(user, "is_authenticated", False):
        return []

    def compute():
        if user.is_superuser:
            return list(Unit.objects.filter(parent__isnull=True))
        return [m.unit for m in active_memberships(user).filter(role__in=OVERSIGHT_ROLES)]

    return _cached(user, "oversight_roots", compute)


def admin_roots(user) -> list[Unit]:
    """Roots of the subtrees this user administers (DoST administrator)."""
    if not getattr(user, "is_authenticated", False):
        return []

    def compute():
        if user.is_superuser:
            return list(Unit.objects.filter(parent__isnull=True))
        return [m.unit for m in active_memberships(user).filter(role=Role.DOST_ADMIN)]

    return _cached(user, "admin_roots", compute)


def is_oversight_user(user) -> bool:
    return bool(oversight_roots(user))


def _subtree_q(roots: list[Unit]) -> Q:
    q = Q(pk__in=[])
    for root in roots:
        q |= Q(path__startswith=root.path)
    return q


def is_overseer_of(user, unit: Unit) -> bool:
    return any(unit.path.startswith(root.path) for root in oversight_roots(user))


def is_admin_of(user, unit: Unit) -> bool:
    return any(unit.path.startswith(root.path) for root in admin_roots(user))


def agency_units(user) -> QuerySet[Unit]:
    """The agencies where the user holds an active agency role."""
    if not getattr(user, "is_authenticated", False):
        return Unit.objects.none()
    return Unit.objects.filter(
        pk__in=active_memberships(user).filter(role__in=AGENCY_ROLES).values("unit_id")
    )


def roles_in(user, unit: Unit) -> set[str]:
    return set(active_memberships(user).filter(unit=unit).values_list("role", flat=True))


def is_member_of(user, unit: Unit) -> bool:
    return unit.pk in set(agency_units(user).values_list("pk", flat=True))


def visible_units(user) -> QuerySet[Unit]:
    """Agencies whose pages and records this user may open."""
    if not getattr(user, "is_authenticated", False):
        return Unit.objects.none()
    q = Q(pk__in=agency_units(user).values("pk")) | _subtree_q(oversight_roots(user))
    return Unit.objects.filter(q)


def get_visible_unit(user, pk) -> Unit:
    try:
        return visible_units(user).get(pk=pk)
    except (Unit.DoesNotExist, ValueError, TypeError):
        raise Http404("No such agency.") from None


def supervised_units(
    user,
    *,
    kind: str | None = None,
    parent: int | str | None = None,
    in_remit: bool | None = None,
    query: str | None = None,
    status: str = "active",
) -> QuerySet[Unit]:
    """The DoST home list: the agencies under the user's oversight, filtered."""
    roots = oversight_roots(user)
    qs = Unit.objects.filter(_subtree_q(roots)) if roots else Unit.objects.none()
    if status == "active":
        qs = qs.active_on()
    elif status == "ended":
        qs = qs.exclude(valid_to=None).filter(valid_to__lt=timezone.localdate())
    if kind:
        qs = qs.filter(kind=kind)
    if parent:
        qs = qs.filter(parent_id=parent)
    if in_remit is not None:
        qs = qs.filter(in_dost_remit=in_remit)
    return qs.search(query).select_related("parent")


def log_oversight_read(user, unit: Unit, what: str) -> None:
    """An oversight user opened an agency's internal records: that agency sees it."""
    if is_member_of(user, unit):
        return
    audit.record(
        actor=user,
        action="oversight_read",
        unit=unit,
        object_type="organizations.unit",
        object_id=str(unit.pk),
        object_repr=str(unit),
        note=what,
    )


def can_view_internal(user, unit: Unit) -> bool:
    return is_member_of(user, unit) or is_overseer_of(user, unit)


def get_internal_unit(user, pk, *, what: str) -> Unit:
    """A unit whose internal records the user is about to read (404 otherwise);
    oversight reads are logged."""
    unit = get_visible_unit(user, pk)
    if not can_view_internal(user, unit):
        raise Http404("No such agency.")
    if not is_member_of(user, unit):
        log_oversight_read(user, unit, what)
    return unit


def unit_memberships(user, unit: Unit, *, include_past: bool = False) -> QuerySet[Membership]:
    """People of an agency with their roles. Callers first obtain `unit` through
    `get_internal_unit`, which checks and logs the read."""
    if not can_view_internal(user, unit):
        return Membership.objects.none()
    qs = Membership.objects.filter(unit=unit).select_related("user", "carried_from__unit")
    if not include_past:
        qs = qs.active_on()
    return qs.order_by("role", "user__full_name", "user__username")


def visible_memberships(user) -> QuerySet[Membership]:
    """Memberships the user may list: their own, and those of agencies they may see inside."""
    if not getattr(user, "is_authenticated", False):
        return Membership.objects.none()
    units = Unit.objects.filter(
        Q(pk__in=agency_units(user).values("pk")) | _subtree_q(oversight_roots(user))
    )
    return Membership.objects.filter(Q(user=user) | Q(unit__in=units)).select_related(
        "user", "unit"
    )


def lineage(unit: Unit) -> dict:
    """Restructurings this unit came from and went into."""
    came_from = (
        UnitChange.objects.filter(to_units=unit).prefetch_related("from_units").order_by("date")
    )
    went_into = (
        UnitChange.objects.filter(from_units=unit).prefetch_related("to_units").order_by("date")
    )
    return {
        "came_from": [(c, [u for u in c.from_units.all() if u.pk != unit.pk]) for c in came_from],
        "went_into": [(c, [u for u in c.to_units.all() if u.pk != unit.pk]) for c in went_into],
    }


def audit_entries(
    user,
    unit: Unit,
    *,
    action: str | None = None,
    actor: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    object_type: str | None = None,
):
    """Audit entries an agency sees about itself (callers obtain `unit` through
    `get_internal_unit`)."""
    from govqms.core.models import AuditEntry

    if not can_view_internal(user, unit):
        return AuditEntry.objects.none()
    qs = AuditEntry.objects.filter(unit=unit)
    if action:
        qs = qs.filter(action=action)
    if actor:
        qs = qs.filter(actor_label__icontains=actor)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if date_from:
        qs = qs.filter(at__date__gte=date_from)
    if date_to:
        qs = qs.filter(at__date__lte=date_to)
    return qs.order_by("-seq")


def unit_memberships_for_listing(unit: Unit) -> QuerySet[Membership]:
    """The active memberships of a unit, for choosing people in a form. Callers have
    already checked the user may see inside `unit`."""
    return Membership.objects.active_on().filter(unit=unit)


def supervised_parents(user) -> QuerySet[Unit]:
    """The units that have units under them in the user's oversight subtree (the
    "under" filter of the DoST home)."""
    supervised = supervised_units(user)
    return Unit.objects.filter(pk__in=supervised.exclude(parent=None).values("parent_id")).order_by(
        "path"
    )
