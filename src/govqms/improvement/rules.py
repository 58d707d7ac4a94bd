"""Who may act on nonconformities (rules predicates).

- The head, ISO secretary and process owners of the agency manage its
  nonconformities (open, correct, analyse, add actions, evaluate, close); an
  internal auditor of the agency may open one (from an audit finding).
- The owner of a corrective action may mark their own action done.
- Staff and steering members read; DoST officers read, never write."""

import rules

from govqms.organizations import selectors as org
from govqms.organizations.models import Role

MANAGE_ROLES = {Role.HEAD, Role.ISO_SECRETARY, Role.PROCESS_OWNER}
OPEN_ROLES = MANAGE_ROLES | {Role.INTERNAL_AUDITOR}


def _unit(obj):
    if obj is None:
        return None
    if hasattr(obj, "nonconformity"):
        return obj.nonconformity.unit
    return getattr(obj, "unit", obj)


@rules.predicate
def manages_nonconformities(user, obj):
    unit = _unit(obj)
    return unit is not None and bool(org.roles_in(user, unit) & MANAGE_ROLES)


@rules.predicate
def may_open_nonconformity(user, obj):
    unit = _unit(obj)
    return unit is not None and bool(org.roles_in(user, unit) & OPEN_ROLES)


@rules.predicate
def owns_action(user, obj):
    owner_id = getattr(obj, "owner_id", None)
    unit = _unit(obj)
    return (
        owner_id is not None
        and owner_id == user.pk
        and unit is not None
        and org.is_member_of(user, unit)
    )


rules.add_perm("improvement.manage", manages_nonconformities)
rules.add_perm("improvement.open", may_open_nonconformity)
rules.add_perm("improvement.complete_action", manages_nonconformities | owns_action)
