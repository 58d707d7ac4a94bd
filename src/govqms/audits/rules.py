"""Who may do what in internal audit (rules predicates).

- The agency's head and ISO secretary run the programme, plans and auditor register.
- Only the head invites an auditor of another agency.
- The lead auditor and the team conduct the audit (checklist, results, findings),
  while they are members of the audited agency (an invited auditor: on the audit's days).
- Everyone of the agency reads; DoST officers read their subtree (read-only)."""

import rules

from govqms.organizations import selectors as org
from govqms.organizations.models import Role
from govqms.organizations.rules import has_role_in_unit, unit_resolver, views_unit_internal

MANAGER_ROLES = {Role.HEAD, Role.ISO_SECRETARY}

_unit = unit_resolver("plan")


def _plan(obj):
    if obj is None:
        return None
    if hasattr(obj, "plan"):
        return obj.plan
    return obj if hasattr(obj, "lead_id") else None


manages_audits_of = has_role_in_unit(MANAGER_ROLES, unit=_unit, name="manages_audits_of")
heads = has_role_in_unit({Role.HEAD}, unit=_unit, name="heads")


@rules.predicate
def is_auditor_of(user, obj):
    plan = _plan(obj)
    if plan is None or not getattr(user, "is_authenticated", False):
        return False
    on_team = plan.lead_id == user.pk or plan.team.filter(pk=user.pk).exists()
    return on_team and org.is_member_of(user, plan.unit)


views_audits_of = views_unit_internal(unit=_unit, name="views_audits_of")

rules.add_perm("audits.view", views_audits_of)
rules.add_perm("audits.manage", manages_audits_of)
rules.add_perm("audits.invite", heads)
rules.add_perm("audits.conduct", manages_audits_of | is_auditor_of)
