"""Who may act on management reviews (rules predicates).

- The head and the ISO secretary of the agency plan, edit and hold reviews, comment
  on the inputs, record decisions and update any action.
- The owner of an action updates their own action (status, evidence).
- Other members read; DoST officers read, never write."""

import rules

from govqms.organizations.models import Role
from govqms.organizations.rules import has_role_in_unit, owns

MANAGE_ROLES = {Role.HEAD, Role.ISO_SECRETARY}

manages_reviews = has_role_in_unit(MANAGE_ROLES, name="manages_reviews")
owns_action = owns("owner_id", name="owns_action")

rules.add_perm("reviews.manage", manages_reviews)
rules.add_perm("reviews.update_action", manages_reviews | owns_action)
