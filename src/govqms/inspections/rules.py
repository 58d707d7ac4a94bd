"""Who may do what with inspections (`rules` perms, checked by the services with
core.permissions.require and by the pages with `has_perm`).

- inspections.manage_plan: a DoST administrator of the plan's owner (create and
  approve the plan, adjust the on-site sample);
- inspections.run: a DoST officer or administrator of the plan's owner (decision,
  minutes, findings, closing);
- inspections.report: the inspected agency's ISO secretary or head (its corrective
  report).

The object is an inspection, a plan or the owner unit itself."""

import rules

from govqms.organizations import selectors as org
from govqms.organizations.models import Role
from govqms.organizations.rules import has_role_in_unit

REPORT_ROLES = frozenset({Role.ISO_SECRETARY, Role.HEAD})


def owner_of(obj):
    """The oversight root owning `obj` (an inspection, a plan, or the owner itself)."""
    plan = getattr(obj, "plan", obj)
    return getattr(plan, "owner", plan)


@rules.predicate
def administers_owner(user, obj):
    owner = owner_of(obj)
    return owner is not None and org.is_admin_of(user, owner)


@rules.predicate
def oversees_owner(user, obj):
    owner = owner_of(obj)
    return owner is not None and org.is_overseer_of(user, owner)


reports_for_agency = has_role_in_unit(REPORT_ROLES, name="reports_for_agency")

rules.add_perm("inspections.manage_plan", administers_owner)
rules.add_perm("inspections.run", oversees_owner)
rules.add_perm("inspections.report", reports_for_agency)
