"""Who may act on management reviews (rules predicates).

- The head and the ISO secretary of the agency plan, edit and hold reviews, comment
  on the inputs, record decisions and update any action.
- The owner of an action updates their own action (status, evidence).
- Other members read; DoST officers read, never write."""

import rules

from govqms.organizations import selectors as org
from govqms.organizations.models import Role

MANAGE_ROLES = {Role.HEAD, Role.ISO_SECRETARY}


def _unit(obj):
    if obj is None:
        return None
    return getattr(obj, "unit", obj)


@rules.predicate
def manages_reviews(user, obj):
    unit = _unit(obj)
    return unit is not None and bool(org.roles_in(user, unit) & MANAGE_ROLES)


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


rules.add_perm("reviews.manage", manages_reviews)
rules.add_perm("reviews.update_action", manages_reviews | owns_action)
