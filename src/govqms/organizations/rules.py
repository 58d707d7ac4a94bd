"""Who may do what: `rules` predicates over scoped memberships (read by
`has_perm`; reads are filtered by `selectors`)."""

import rules

from . import selectors
from .models import Role


@rules.predicate
def is_admin_of_unit(user, unit):
    if unit is None:
        return bool(selectors.admin_roots(user))
    return selectors.is_admin_of(user, unit)


@rules.predicate
def is_oversight_admin_of_unit(user, unit):
    # Oversight memberships are granted by a DoST administrator above the unit.
    return unit is not None and selectors.is_admin_of(user, unit)


@rules.predicate
def manages_people_of_unit(user, unit):
    if unit is None:
        return False
    return bool(selectors.roles_in(user, unit) & {Role.HEAD, Role.ISO_SECRETARY})


@rules.predicate
def can_view_unit_internal(user, unit):
    return unit is not None and selectors.can_view_internal(user, unit)


rules.add_perm("organizations.manage_units", is_admin_of_unit)
rules.add_perm("organizations.manage_oversight", is_oversight_admin_of_unit)
rules.add_perm("organizations.manage_members", manages_people_of_unit | is_admin_of_unit)
rules.add_perm("organizations.view_unit_internal", can_view_unit_internal)
