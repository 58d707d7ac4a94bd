"""Who may act on satisfaction surveys and complaints (rules predicates).

- The agency's head and ISO secretary manage: survey questions, the QR poster,
  complaints (record, assign, answer, close, raise a nonconformity) and see the
  complainant's personal data.
- A member assigned a complaint may answer it.
- Oversight roles read (selectors), never write."""

import rules

from govqms.organizations.models import Role
from govqms.organizations.rules import has_role_in_unit, owns

MANAGER_ROLES = {Role.HEAD, Role.ISO_SECRETARY}

manages_feedback_of = has_role_in_unit(MANAGER_ROLES, name="manages_feedback_of")
is_assignee = owns("assigned_to_id", name="is_assignee")

rules.add_perm("feedback.manage", manages_feedback_of)
rules.add_perm("feedback.answer_complaint", manages_feedback_of | is_assignee)
