"""Every read of inspection plans and inspections, filtered to the user.

Oversight users see the plans owned by a unit of their subtree; an agency's members
see their own agency's inspections (not the plan's other agencies)."""

from django.db.models import Q, QuerySet
from django.http import Http404

from govqms.core.text import search_terms
from govqms.organizations import selectors as org

from .models import Inspection, InspectionFinding, InspectionPlan


def visible_plans(user) -> QuerySet[InspectionPlan]:
    q = Q(pk__in=[])
    for root in org.oversight_roots(user):
        q |= Q(owner__path__startswith=root.path)
    return InspectionPlan.objects.filter(q).select_related("owner")


def _count_fields(prefix: str = "") -> dict:
    """The aggregates of a plan's inspections (`prefix` "inspections__" from the plan)."""
    from django.db.models import Count

    def q(**lookups):
        return Q(**{prefix + k: v for k, v in lookups.items()})

    pk = prefix + "pk" if prefix else "pk"
    return {
        "total": Count(pk),
        "on_site": Count(pk, filter=q(mode=Inspection.Mode.ON_SITE)),
        "proposed": Count(pk, filter=q(proposed_on_site=True)),
        "decided": Count(pk, filter=~q(status=Inspection.Status.PLANNED)),
        "done": Count(pk, filter=q(status__in=[Inspection.Status.DONE, Inspection.Status.CLOSED])),
        "closed": Count(pk, filter=q(status=Inspection.Status.CLOSED)),
        "reports": Count(pk, filter=q(corrective_report_at__isnull=False)),
    }


def _with_minimum(plan: InspectionPlan, counts: dict) -> dict:
    from .risk import on_site_minimum

    counts["minimum"] = on_site_minimum(counts["total"], plan.on_site_share)
    counts["shortfall"] = max(0, counts["minimum"] - counts["on_site"])
    counts["share"] = counts["on_site"] / counts["total"] if counts["total"] else 0
    return counts


def plan_counts(plan: InspectionPlan) -> dict:
    """Total, on site, proposed, decided, done, closed, reports received, the minimum
    on site, the shortfall and the share on site (one query)."""
    return _with_minimum(plan, plan.inspections.aggregate(**_count_fields()))


def plans_with_counts(user) -> list[InspectionPlan]:
    """The user's plans, latest year first, each with `counts` as plan_counts gives
    (one query for them all)."""
    fields = _count_fields("inspections__")
    plans = list(
        visible_plans(user)
        .annotate(**{f"n_{name}": value for name, value in fields.items()})
        .order_by("-year", "owner__name")
    )
    for plan in plans:
        plan.counts = _with_minimum(plan, {name: getattr(plan, f"n_{name}") for name in fields})
    return plans


def get_plan(user, pk) -> InspectionPlan:
    try:
        return visible_plans(user).get(pk=pk)
    except (InspectionPlan.DoesNotExist, ValueError, TypeError):
        raise Http404("No such inspection plan.") from None


def plan_for_year(user, year: int) -> InspectionPlan | None:
    return visible_plans(user).filter(year=year).order_by("owner__path").first()


def visible_inspections(user) -> QuerySet[Inspection]:
    # An agency sees its own inspections once the plan is approved (never the draft,
    # its risk scores or the other agencies).
    q = Q(plan__in=visible_plans(user).values("pk")) | Q(
        unit__in=org.agency_units(user).values("pk"), plan__status=InspectionPlan.Status.APPROVED
    )
    return Inspection.objects.filter(q).select_related("plan", "unit", "lead")


def year_inspections(user, year: int) -> QuerySet[Inspection]:
    return visible_inspections(user).filter(plan__year=year)


# ---------------------------------------------------------------- pages


def get_plan_for_year(user, year: int) -> InspectionPlan:
    plan = plan_for_year(user, year)
    if plan is None:
        raise Http404("No inspection plan for that year.")
    return plan


def plan_inspections(
    user,
    plan: InspectionPlan,
    *,
    mode: str | None = None,
    status: str | None = None,
    kind: str | None = None,
    query: str | None = None,
) -> QuerySet[Inspection]:
    """A plan's inspections (oversight only), riskiest first, filtered."""
    if not org.is_overseer_of(user, plan.owner):
        return Inspection.objects.none()
    qs = Inspection.objects.filter(plan=plan).select_related("unit__parent", "lead")
    if mode:
        qs = qs.filter(mode=mode)
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(unit__kind=kind)
    for term in search_terms(query):
        qs = qs.filter(unit__search_text__contains=term)
    return qs.order_by("-risk_score", "unit__name", "pk")


def get_inspection(user, pk) -> Inspection:
    """One inspection: the plan owner's DoST, or the inspected agency's members."""
    try:
        return visible_inspections(user).select_related("plan__owner", "closed_by").get(pk=pk)
    except (Inspection.DoesNotExist, ValueError, TypeError):
        raise Http404("No such inspection.") from None


def unit_inspections(user, unit) -> QuerySet[Inspection]:
    """An agency's inspections, every year, with `findings_count` and
    `nonconformities_count` (a corrective report is expected only when the latter is
    not 0); callers obtained `unit` through organizations.selectors.get_internal_unit."""
    if not org.can_view_internal(user, unit):
        return Inspection.objects.none()
    return (
        visible_inspections(user)
        .filter(unit=unit)
        .annotate(**_finding_counts())
        .order_by("-plan__year", "pk")
    )


def _finding_counts() -> dict:
    from django.db.models import Count

    return {
        "findings_count": Count("findings"),
        "nonconformities_count": Count(
            "findings", filter=Q(findings__grade=InspectionFinding.Grade.NONCONFORMITY)
        ),
    }


def findings(inspection: Inspection) -> list[InspectionFinding]:
    """The inspection's findings with their nonconformities (`finding.nc`)."""
    from govqms.improvement.models import Nonconformity

    items = list(inspection.findings.all())
    ids = [f.nonconformity_id for f in items if f.nonconformity_id]
    ncs = Nonconformity.objects.in_bulk(ids) if ids else {}
    for f in items:
        f.nc = ncs.get(f.nonconformity_id)
    return items


def is_overseer(user, inspection_or_plan) -> bool:
    """A DoST officer or administrator of the plan's owner (runs the inspections)."""
    return user.has_perm("inspections.run", inspection_or_plan)


def is_admin(user, inspection_or_plan) -> bool:
    """A DoST administrator of the plan's owner (the plan and its sample)."""
    return user.has_perm("inspections.manage_plan", inspection_or_plan)


def lead_choices(plan: InspectionPlan):
    """DoST officers and administrators of the plan's owner (team leads)."""
    from govqms.organizations.models import OVERSIGHT_ROLES, Membership, User

    ids = (
        Membership.objects.active_on()
        .filter(unit=plan.owner, role__in=OVERSIGHT_ROLES)
        .values("user_id")
    )
    return User.objects.filter(pk__in=ids, is_active=True).order_by("full_name", "username")


def agency_due(user, unit) -> list[Inspection]:
    """The agency's inspections still open (for its home panel)."""
    return list(
        unit_inspections(user, unit)
        .exclude(status=Inspection.Status.CLOSED)
        .exclude(plan__status=InspectionPlan.Status.DRAFT)
        .order_by("-plan__year")[:3]
    )


# ---------------------------------------------------------------- inspection results


def results(user, year: int) -> dict | None:
    """What the inspections of `year` found, for the November report to the provincial
    People's Committee: counts by mode and status, findings by grade, corrective
    reports due and received; None when the user has no plan that year."""
    from django.db.models import Count

    plan = plan_for_year(user, year)
    if plan is None:
        return None
    inspections = Inspection.objects.filter(plan=plan)
    by_mode = dict(inspections.values("mode").annotate(n=Count("pk")).values_list("mode", "n"))
    by_status = dict(
        inspections.values("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    grades = dict(
        InspectionFinding.objects.filter(inspection__plan=plan)
        .values("grade")
        .annotate(n=Count("pk"))
        .values_list("grade", "n")
    )
    with_nc = (
        inspections.filter(findings__grade=InspectionFinding.Grade.NONCONFORMITY).distinct().count()
    )
    reports = inspections.filter(corrective_report_at__isnull=False).count()
    return {
        "plan": plan,
        "total": sum(by_mode.values()),
        "on_site": by_mode.get(Inspection.Mode.ON_SITE, 0),
        "records": by_mode.get(Inspection.Mode.RECORDS, 0),
        "by_status": by_status,
        "inspected": by_status.get(Inspection.Status.DONE, 0)
        + by_status.get(Inspection.Status.CLOSED, 0),
        "nonconformities": grades.get(InspectionFinding.Grade.NONCONFORMITY, 0),
        "observations": grades.get(InspectionFinding.Grade.OBSERVATION, 0),
        "agencies_with_nonconformities": with_nc,
        "reports_due": with_nc,
        "reports_received": reports,
    }


def result_rows(user, year: int) -> list[Inspection]:
    """Every inspection of the user's plan of `year` with `findings_count`,
    `nonconformities_count` and the corrective report fields, by agency name (one
    query): the table of the November report."""
    plan = plan_for_year(user, year)
    if plan is None:
        return []
    return list(
        Inspection.objects.filter(plan=plan)
        .select_related("unit", "lead")
        .annotate(**_finding_counts())
        .order_by("unit__name", "pk")
    )
