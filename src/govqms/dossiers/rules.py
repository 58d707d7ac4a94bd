"""Who may import dossier evidence: the agency's ISO secretary or head, or a DoST
administrator above it (a one-stop system pushes with such a user's token)."""

import rules

from govqms.organizations import selectors as org
from govqms.organizations.models import Role

IMPORT_ROLES = {Role.ISO_SECRETARY, Role.HEAD}


@rules.predicate
def imports_for(user, unit):
    if unit is None:
        return False
    unit = getattr(unit, "unit", unit)
    return bool(org.roles_in(user, unit) & IMPORT_ROLES) or org.is_admin_of(user, unit)


rules.add_perm("dossiers.import_dossiers", imports_for)
