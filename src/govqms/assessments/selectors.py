"""Every read of criteria sets, campaigns and assessments, filtered to the user.

Oversight users see the sets and campaigns owned by a unit of their oversight
subtree and every assessment in them; an agency's members see their own agency's
assessments only (and the criteria set those use)."""

from django.db.models import Q, QuerySet
from django.http import Http404

from govqms.organizations import selectors as org

from .models import Assessment, Campaign, CriteriaSet


def _owned_q(user, field: str = "owner") -> Q:
    q = Q(pk__in=[])
    for root in org.oversight_roots(user):
        q |= Q(**{f"{field}__path__startswith": root.path})
    return q


def visible_criteria_sets(user) -> QuerySet[CriteriaSet]:
    return CriteriaSet.objects.filter(_owned_q(user)).select_related("owner")


def visible_campaigns(user) -> QuerySet[Campaign]:
    return Campaign.objects.filter(_owned_q(user)).select_related("owner", "criteria_set")


def get_campaign(user, pk) -> Campaign:
    try:
        return visible_campaigns(user).get(pk=pk)
    except (Campaign.DoesNotExist, ValueError, TypeError):
        raise Http404("No such campaign.") from None


def visible_assessments(user) -> QuerySet[Assessment]:
    """Oversight: every assessment of their campaigns; members: their agencies' own."""
    q = Q(campaign__in=visible_campaigns(user).values("pk")) | Q(
        unit__in=org.agency_units(user).values("pk")
    )
    return Assessment.objects.filter(q).select_related("campaign", "unit")


def campaign_assessments(user, campaign: Campaign) -> QuerySet[Assessment]:
    return visible_assessments(user).filter(campaign=campaign)


def campaign_for_year(user, year: int) -> Campaign | None:
    """The user's campaign of that year (the first owner's, for a user over several)."""
    return visible_campaigns(user).filter(year=year).order_by("owner__path").first()


def final_results(user, campaign: Campaign) -> QuerySet[Assessment]:
    """A campaign's final assessments, best first (rank, then name)."""
    return (
        campaign_assessments(user, campaign)
        .filter(status=Assessment.Status.FINAL)
        .select_related("unit__parent")
        .order_by("rank", "unit__name")
    )
