"""Reads of criteria sets for the DoST's pages and API, filtered to the user.

Oversight users (DoST officers and administrators) see the sets owned by a unit of
their oversight subtree; other sets answer 404. Only DoST administrators of the
owner edit: other users get 403 on the edit pages, an administrator of another
province 404.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.http import Http404

from govqms.core.models import AuditEntry
from govqms.organizations import selectors as org
from govqms.organizations.models import Unit

from . import criteria as services
from . import rules
from .models import Band, CriteriaGroup, CriteriaSet, Criterion
from .selectors import visible_criteria_sets


def require_oversight(user) -> None:
    if not org.is_oversight_user(user):
        raise PermissionDenied


def criteria_sets(user, *, year=None, status=None, owner=None) -> QuerySet[CriteriaSet]:
    """The user's sets, newest year first, with their counts and total points."""
    qs = visible_criteria_sets(user)
    if year:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    if owner:
        qs = qs.filter(owner=owner)
    return (
        qs.select_related("copied_from", "published_by")
        .annotate(
            criterion_count=Count("criteria", distinct=True),
            group_count=Count("groups", distinct=True),
        )
        .order_by("-year", "owner__name")
    )


def total_points(criteria_set: CriteriaSet) -> Decimal:
    return criteria_set.criteria.aggregate(s=Sum("max_points"))["s"] or Decimal(0)


def set_totals(sets) -> dict[int, Decimal]:
    """{set pk: total of its maximum points} in one query."""
    rows = (
        Criterion.objects.filter(criteria_set__in=[s.pk for s in sets])
        .values("criteria_set")
        .annotate(s=Sum("max_points"))
    )
    return {r["criteria_set"]: r["s"] or Decimal(0) for r in rows}


def years(user) -> list[int]:
    return sorted(set(visible_criteria_sets(user).values_list("year", flat=True)), reverse=True)


def get_criteria_set(user, pk) -> CriteriaSet:
    """A set the user may read (404 otherwise; 403 for users outside oversight)."""
    require_oversight(user)
    try:
        return visible_criteria_sets(user).select_related("copied_from", "published_by").get(pk=pk)
    except (CriteriaSet.DoesNotExist, ValueError, TypeError):
        raise Http404("No such criteria set.") from None


def managed_criteria_sets(user) -> QuerySet[CriteriaSet]:
    """The sets of the units the user administers."""
    q = Q(pk__in=[])
    for root in org.admin_roots(user):
        q |= Q(owner__path__startswith=root.path)
    return CriteriaSet.objects.filter(q).select_related("owner")


def get_managed_set(user, pk) -> CriteriaSet:
    """A set the user administers: 403 for users who administer nothing, 404 for a set
    out of their reach."""
    if not org.admin_roots(user):
        raise PermissionDenied
    cs = get_criteria_set(user, pk)
    if not org.is_admin_of(user, cs.owner):
        raise PermissionDenied
    return cs


def get_group(criteria_set: CriteriaSet, pk) -> CriteriaGroup:
    try:
        return criteria_set.groups.get(pk=pk)
    except (CriteriaGroup.DoesNotExist, ValueError, TypeError):
        raise Http404("No such group.") from None


def get_criterion(criteria_set: CriteriaSet, pk) -> Criterion:
    try:
        return criteria_set.criteria.select_related("group").get(pk=pk)
    except (Criterion.DoesNotExist, ValueError, TypeError):
        raise Http404("No such criterion.") from None


def owner_choices(user) -> list[Unit]:
    """The units under which the user may create sets (the roots they administer)."""
    return list(org.admin_roots(user))


def can_manage(user, criteria_set: CriteriaSet) -> bool:
    return org.is_admin_of(user, criteria_set.owner)


# ---------------------------------------------------------------- rules in words


@dataclass
class ParamValue:
    name: str
    label: str
    value: object
    default: object

    @property
    def is_default(self) -> bool:
        return str(self.value) == str(self.default)


@dataclass
class RuleInWords:
    key: str
    label: str
    description: str = ""
    params: list[ParamValue] = field(default_factory=list)
    registered: bool = True


def rule_in_words(criterion: Criterion) -> RuleInWords | None:
    """The criterion's rule with its name and each parameter's label and value."""
    if not criterion.rule:
        return None
    rule = rules.RULES.get(criterion.rule)
    given = criterion.rule_params or {}
    if rule is None:
        return RuleInWords(
            key=criterion.rule,
            label=criterion.rule,
            params=[ParamValue(k, k, v, "") for k, v in given.items()],
            registered=False,
        )
    return RuleInWords(
        key=rule.key,
        label=str(rule.label),
        description=str(rule.description),
        params=[
            ParamValue(p.name, str(p.label), given.get(p.name, p.default), p.default)
            for p in rule.params
        ],
    )


def rule_choices() -> list[tuple[str, str]]:
    """(key, label) of every rule of the library, by label."""
    keys = services.known_rule_keys()
    return sorted(
        ((k, str(rules.RULES[k].label) if k in rules.RULES else k) for k in keys),
        key=lambda kv: kv[1].lower(),
    )


# ---------------------------------------------------------------- the set, in full


@dataclass
class GroupView:
    group: CriteriaGroup
    criteria: list
    points: Decimal

    @property
    def points_text(self) -> str:
        return services.points_text(self.points)


@dataclass
class SetView:
    criteria_set: CriteriaSet
    groups: list[GroupView]
    total: Decimal
    bands: list
    criterion_count: int
    auto_count: int

    @property
    def total_text(self) -> str:
        return services.points_text(self.total)


def set_view(criteria_set: CriteriaSet) -> SetView:
    """The set with its groups, criteria (each with its rule in words) and bands, in
    three queries."""
    groups = list(
        criteria_set.groups.prefetch_related(
            Prefetch("criteria", queryset=Criterion.objects.order_by("order", "pk"))
        ).order_by("order", "pk")
    )
    views = []
    total = Decimal(0)
    count = auto = 0
    for g in groups:
        items = []
        points = Decimal(0)
        for c in g.criteria.all():
            c.rule_words = rule_in_words(c)
            c.points_text = services.points_text(c.max_points)
            items.append(c)
            points += c.max_points
            count += 1
            auto += bool(c.rule)
        views.append(GroupView(g, items, points))
        total += points
    bands = list(criteria_set.bands.all())
    rows = []
    upper = None
    for b in bands:  # best first
        rows.append(
            {
                "band": b,
                "label": Band(b.band).label,
                "from": b.min_points,
                "below": upper,
                "from_text": services.points_text(b.min_points),
                "below_text": services.points_text(upper) if upper is not None else "",
            }
        )
        upper = b.min_points
    return SetView(criteria_set, views, total, rows, count, auto)


def set_history(criteria_set: CriteriaSet) -> QuerySet[AuditEntry]:
    """The audit entries of the set (its parts' changes are recorded on it too)."""
    return AuditEntry.objects.filter(
        object_type=CriteriaSet._meta.label_lower, object_id=str(criteria_set.pk)
    ).order_by("-seq")
