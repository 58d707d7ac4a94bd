"""Who may act on documents: roles in the document's agency (rules predicates)."""

import rules

from govqms.organizations.models import Role
from govqms.organizations.rules import (
    has_role_in_unit,
    member_of_unit,
    unit_resolver,
    views_unit_internal,
)

EDITOR_ROLES = {Role.PROCESS_OWNER, Role.ISO_SECRETARY, Role.HEAD}
PUBLISHER_ROLES = {Role.ISO_SECRETARY, Role.HEAD}

# The agency an object belongs to (a unit, a document or a version).
_unit = unit_resolver("document")
edits_documents_of = has_role_in_unit(EDITOR_ROLES, unit=_unit, name="edits_documents_of")
publishes_documents_of = has_role_in_unit(
    PUBLISHER_ROLES, unit=_unit, name="publishes_documents_of"
)
reads_documents_of = views_unit_internal(unit=_unit, name="reads_documents_of")
member_of = member_of_unit(unit=_unit, name="member_of")

rules.add_perm("documents.view", reads_documents_of)
rules.add_perm("documents.edit", edits_documents_of)
rules.add_perm("documents.publish", publishes_documents_of)
rules.add_perm("documents.acknowledge", member_of)
