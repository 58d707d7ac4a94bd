"""Who may act on administrative procedures (rules predicates).

- The catalogue (public data) is edited and imported by DoST administrators.
- Assignments of TTHC to an agency are made by a DoST administrator above it.
- An agency's ISO secretary or head sets its scope (in_scope, the covering procedure)
  and marks its ISO list updated."""

import rules

from govqms.organizations import selectors as org
from govqms.organizations.models import Role

SCOPE_ROLES = {Role.ISO_SECRETARY, Role.HEAD}


def _unit(obj):
    if obj is None:
        return None
    return getattr(obj, "unit", obj)


@rules.predicate
def administers_catalogue(user):
    return bool(org.admin_roots(user))


@rules.predicate
def administers_unit(user, obj):
    unit = _unit(obj)
    if unit is None:
        return bool(org.admin_roots(user))
    return org.is_admin_of(user, unit)


@rules.predicate
def manages_scope_of(user, obj):
    unit = _unit(obj)
    return unit is not None and bool(org.roles_in(user, unit) & SCOPE_ROLES)


rules.add_perm("procedures.manage_catalogue", administers_catalogue)
rules.add_perm("procedures.assign", administers_unit)
rules.add_perm("procedures.manage_scope", manages_scope_of)
