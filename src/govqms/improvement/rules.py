"""Who may act on nonconformities (rules predicates).

- The head, ISO secretary and process owners of the agency manage its
  nonconformities (open, correct, analyse, add actions, evaluate, close); an
  internal auditor of the agency may open one (from an audit finding).
- The owner of a corrective action may mark their own action done.
- Staff and steering members read; DoST officers read, never write."""

import rules

from govqms.organizations.models import Role
from govqms.organizations.rules import has_role_in_unit, owns, unit_resolver

MANAGE_ROLES = {Role.HEAD, Role.ISO_SECRETARY, Role.PROCESS_OWNER}
OPEN_ROLES = MANAGE_ROLES | {Role.INTERNAL_AUDITOR}

_unit = unit_resolver("nonconformity")
manages_nonconformities = has_role_in_unit(MANAGE_ROLES, unit=_unit, name="manages_nonconformities")
may_open_nonconformity = has_role_in_unit(OPEN_ROLES, unit=_unit, name="may_open_nonconformity")
owns_action = owns("owner_id", unit=_unit, name="owns_action")

rules.add_perm("improvement.manage", manages_nonconformities)
rules.add_perm("improvement.open", may_open_nonconformity)
rules.add_perm("improvement.complete_action", manages_nonconformities | owns_action)
