"""Who may act on satisfaction surveys and complaints (rules predicates).

- The agency's head and ISO secretary manage: survey questions, the QR poster,
  complaints (record, assign, answer, close, raise a nonconformity) and see the
  complainant's personal data.
- A member assigned a complaint may answer it.
- Oversight roles read (selectors), never write."""

import rules

from govqms.organizations import selectors as org
from govqms.organizations.models import Role

MANAGER_ROLES = {Role.HEAD, Role.ISO_SECRETARY}


def _unit(obj):
    if obj is None:
        return None
    return getattr(obj, "unit", obj)


@rules.predicate
def manages_feedback_of(user, obj):
    unit = _unit(obj)
    return unit is not None and bool(org.roles_in(user, unit) & MANAGER_ROLES)


@rules.predicate
def is_assignee(user, complaint):
    return (
        complaint is not None
        and getattr(complaint, "assigned_to_id", None) == user.pk
        and org.is_member_of(user, complaint.unit)
    )


rules.add_perm("feedback.manage", manages_feedback_of)
rules.add_perm("feedback.answer_complaint", manages_feedback_of | is_assignee)
