"""Who may act on documents: roles in the document's agency (rules predicates)."""

import rules

from govqms.organizations import selectors as org
from govqms.organizations.models import Role

EDITOR_ROLES = {Role.PROCESS_OWNER, Role.ISO_SECRETARY, Role.HEAD}
PUBLISHER_ROLES = {Role.ISO_SECRETARY, Role.HEAD}


def _unit(obj):
    """The agency an object belongs to (a unit, a document or a version)."""
    if obj is None:
        return None
    if hasattr(obj, "document"):
        return obj.document.unit
    return getattr(obj, "unit", obj)


@rules.predicate
def edits_documents_of(user, obj):
    unit = _unit(obj)
    return unit is not None and bool(org.roles_in(user, unit) & EDITOR_ROLES)


@rules.predicate
def publishes_documents_of(user, obj):
    unit = _unit(obj)
    return unit is not None and bool(org.roles_in(user, unit) & PUBLISHER_ROLES)


@rules.predicate
def reads_documents_of(user, obj):
    unit = _unit(obj)
    return unit is not None and org.can_view_internal(user, unit)


@rules.predicate
def member_of(user, obj):
    unit = _unit(obj)
    return unit is not None and org.is_member_of(user, unit)


rules.add_perm("documents.view", reads_documents_of)
rules.add_perm("documents.edit", edits_documents_of)
rules.add_perm("documents.publish", publishes_documents_of)
rules.add_perm("documents.acknowledge", member_of)
