"""Every read of inspection plans and inspections, filtered to the user.

Oversight users see the plans owned by a unit of their subtree; an agency's members
see their own agency's inspections (not the plan's other agencies)."""

from django.db.models import Q, QuerySet
from django.http import Http404

from govqms.organizations import selectors as org

from .models import Inspection, InspectionPlan


def visible_plans(user) -> QuerySet[InspectionPlan]:
    q = Q(pk__in=[])
    for root in org.oversight_roots(user):
        q |= Q(owner__path__startswith=root.path)
    return InspectionPlan.objects.filter(q).select_related("owner")


def get_plan(user, pk) -> InspectionPlan:
    try:
        return visible_plans(user).get(pk=pk)
    except (InspectionPlan.DoesNotExist, ValueError, TypeError):
        raise Http404("No such inspection plan.") from None


def plan_for_year(user, year: int) -> InspectionPlan | None:
    return visible_plans(user).filter(year=year).order_by("owner__path").first()


def visible_inspections(user) -> QuerySet[Inspection]:
    q = Q(plan__in=visible_plans(user).values("pk")) | Q(
        unit__in=org.agency_units(user).values("pk")
    )
    return Inspection.objects.filter(q).select_related("plan", "unit", "lead")


def year_inspections(user, year: int) -> QuerySet[Inspection]:
    return visible_inspections(user).filter(plan__year=year)
