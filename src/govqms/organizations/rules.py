"""Who may do what: `rules` predicates over scoped memberships (read by
`has_perm`; reads are filtered by `selectors`)."""

import rules

from . import selectors
from .models import Role

# Predicate factories shared by the apps' rules.py: "has one of these roles in the
# object's agency", "may read the object's agency", "is a member", "owns it".


def unit_resolver(*via):
    """A function giving the agency of an object: a Unit itself, an object with
    `.unit`, or reached through the first of `via` it has (e.g. a version's
    `document`, a finding's `plan`)."""

    def unit_of(obj):
        if obj is None:
            return None
        for attr in via:
            if hasattr(obj, attr):
                obj = getattr(obj, attr)
                break
        return getattr(obj, "unit", obj)

    return unit_of


unit_of = unit_resolver()


def has_role_in_unit(roles, *, unit=unit_of, name=None):
    """The user holds one of `roles` in the object's agency."""
    roles = frozenset(roles)

    def predicate(user, obj):
        target = unit(obj)
        return target is not None and bool(selectors.roles_in(user, target) & roles)

    return rules.predicate(predicate, name=name)


def views_unit_internal(*, unit=unit_of, name=None):
    """The user may read the object's agency (members, oversight of its subtree)."""

    def predicate(user, obj):
        target = unit(obj)
        return target is not None and selectors.can_view_internal(user, target)

    return rules.predicate(predicate, name=name)


def member_of_unit(*, unit=unit_of, name=None):
    def predicate(user, obj):
        target = unit(obj)
        return target is not None and selectors.is_member_of(user, target)

    return rules.predicate(predicate, name=name)


def owns(field="owner_id", *, unit=unit_of, name=None):
    """The object's `field` (e.g. its owner or assignee) is the user, still a member
    of the object's agency."""

    def predicate(user, obj):
        owner_id = getattr(obj, field, None)
        target = unit(obj)
        return (
            owner_id is not None
            and owner_id == user.pk
            and target is not None
            and selectors.is_member_of(user, target)
        )

    return rules.predicate(predicate, name=name)


@rules.predicate
def is_admin_of_unit(user, unit):
    if unit is None:
        return bool(selectors.admin_roots(user))
    return selectors.is_admin_of(user, unit)


@rules.predicate
def is_oversight_admin_of_unit(user, unit):
    # Oversight memberships are granted by a DoST administrator above the unit.
    return unit is not None and selectors.is_admin_of(user, unit)


manages_people_of_unit = has_role_in_unit(
    {Role.HEAD, Role.ISO_SECRETARY}, unit=lambda unit: unit, name="manages_people_of_unit"
)
can_view_unit_internal = views_unit_internal(unit=lambda unit: unit, name="can_view_unit_internal")


rules.add_perm("organizations.manage_units", is_admin_of_unit)
rules.add_perm("organizations.manage_oversight", is_oversight_admin_of_unit)
rules.add_perm("organizations.manage_members", manages_people_of_unit | is_admin_of_unit)
rules.add_perm("organizations.view_unit_internal", can_view_unit_internal)
