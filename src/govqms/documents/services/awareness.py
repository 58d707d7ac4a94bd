"""Distribution and awareness (7.3): who must read an effective version."""

from django.db import transaction
from django.utils import timezone

from govqms.organizations.models import AGENCY_ROLES, Membership

from ..models import Acknowledgement, DocumentVersion


def audience(version: DocumentVersion):
    """Active members of the agency that the document concerns (by role and division)."""
    document = version.document
    memberships = Membership.objects.active_on().filter(
        unit=document.unit, role__in=document.audience_roles or AGENCY_ROLES
    )
    if document.audience_divisions:
        memberships = memberships.filter(division__in=document.audience_divisions)
    return memberships.values_list("user_id", flat=True).distinct()


@transaction.atomic
def assign_read_tasks(version: DocumentVersion) -> int:
    """One read task per person concerned, when the version becomes effective."""
    now = timezone.now()
    existing = set(version.acknowledgements.values_list("user_id", flat=True))
    tasks = [
        Acknowledgement(version=version, user_id=user_id, assigned_at=now)
        for user_id in set(audience(version)) - existing
    ]
    Acknowledgement.objects.bulk_create(tasks)
    return len(tasks)
