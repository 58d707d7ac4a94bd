"""Formalism signals: what the DoST looks at to tell real maintenance from paperwork.

A registry of signals, each `Signal(key, title, severity, fn)` where
`fn(unit_ids, year) -> {unit id: [evidence]}` and an evidence is
`{"label": str, "url": str}`: the record behind the signal. Functions work in batch,
a few queries for all the agencies of a subtree (never one per agency), because a
province supervises about 200 of them. Agencies without the signal are left out of
the result.

The records are read from the apps that hold them (audits, reviews, improvement,
planning) without a user filter: callers have checked that the reader may see the
agencies (`compute_for_user`, `compute_for_unit`). A signal whose app is not
installed is skipped (`Signal.available`)."""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db.models import Count, F
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

HIGH = "high"
MEDIUM = "medium"
LOW = "low"
SEVERITY_ORDER = {HIGH: 0, MEDIUM: 1, LOW: 2}
SEVERITY_LABELS = {
    HIGH: gettext_lazy("High"),
    MEDIUM: gettext_lazy("Medium"),
    LOW: gettext_lazy("Low"),
}

# How many consecutive years of audits without any finding raise the signal.
NO_FINDING_YEARS = int(getattr(settings, "GOVQMS_SIGNAL_NO_FINDING_YEARS", 2))
# An audit shorter than this many hours per process and clause in its scope is
# implausibly short (the audits app's default, `audits.selectors.implausibly_short`).
HOURS_PER_SCOPE_ITEM = float(getattr(settings, "GOVQMS_AUDIT_HOURS_PER_SCOPE_ITEM", 1.0))


@dataclass(frozen=True)
class Signal:
    key: str
    title: object
    severity: str
    fn: Callable
    app: str
    description: object = ""

    @property
    def available(self) -> bool:
        return apps.is_installed(f"govqms.{self.app}")

    @property
    def description_text(self) -> str:
        return (
            str(self.description) % {"h": f"{HOURS_PER_SCOPE_ITEM:g}"} if self.description else ""
        )

    @property
    def severity_label(self) -> str:
        return str(SEVERITY_LABELS[self.severity])


_registry: dict[str, Signal] = {}


def register(key: str, title, severity: str, *, app: str, description=""):
    def decorator(fn):
        _registry[key] = Signal(key, title, severity, fn, app, description)
        return fn

    return decorator


def all_signals() -> list[Signal]:
    return [s for s in _registry.values() if s.available]


def get_signal(key: str) -> Signal | None:
    signal = _registry.get(key)
    return signal if signal is not None and signal.available else None


def url(name: str, *args) -> str:
    """A link to a record of another app; empty when that page does not exist (yet)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _d(day) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def _year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


# ---------------------------------------------------------------- internal audits


def _audit_url(plan) -> str:
    return url("audit_plan_detail", plan.pk)


@register(
    "audits_without_findings",
    gettext_lazy("Audits with no findings, year after year"),
    HIGH,
    app="audits",
    description=gettext_lazy(
        "Every internal audit completed in two or more consecutive years recorded no "
        "finding at all."
    ),
)
def audits_without_findings(unit_ids, year: int) -> dict:
    from govqms.audits.models import DONE_STATUSES, AuditPlan

    first = year - 5
    plans = (
        AuditPlan.objects.filter(
            unit_id__in=unit_ids, status__in=DONE_STATUSES, year__gte=first, year__lte=year
        )
        .annotate(n_findings=Count("findings"))
        .only("pk", "unit_id", "year", "title")
        .order_by("unit_id", "year", "pk")
    )
    by_unit: dict[int, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    for plan in plans:
        by_unit[plan.unit_id][plan.year].append(plan)
    result = {}
    for unit_id, years in by_unit.items():
        run = []
        y = year
        # The current year may not have its audit yet: start from the last audited year.
        if y not in years:
            y -= 1
        while y in years and all(p.n_findings == 0 for p in years[y]):
            run.append(y)
            y -= 1
        if len(run) >= NO_FINDING_YEARS:
            result[unit_id] = [
                {
                    "label": _("%(year)s · %(title)s: no finding") % {"year": py, "title": p.title},
                    "url": _audit_url(p),
                }
                for py in sorted(run)
                for p in years[py]
            ]
    return result


@register(
    "checklist_copied",
    gettext_lazy("Checklist copied unchanged from the previous year"),
    MEDIUM,
    app="audits",
    description=gettext_lazy(
        "An audit of the year asks exactly the questions of an audit of the previous year."
    ),
)
def checklist_copied(unit_ids, year: int) -> dict:
    from govqms.audits.models import AuditPlan, ChecklistItem, PlanStatus
    from govqms.audits.selectors import fingerprint_of

    plans = {
        p.pk: p
        for p in AuditPlan.objects.filter(unit_id__in=unit_ids, year__in=[year - 1, year])
        .exclude(status=PlanStatus.CANCELLED)
        .annotate(n_items=Count("items"))
        .only("pk", "unit_id", "year", "title", "checklist_fingerprint")
    }
    # The audits app keeps each checklist's fingerprint; plans without one (made
    # outside its services) are fingerprinted here the same way.
    missing = [pk for pk, p in plans.items() if p.n_items and not p.checklist_fingerprint]
    questions: dict[int, list[str]] = defaultdict(list)
    for plan_id, question in ChecklistItem.objects.filter(plan_id__in=missing).values_list(
        "plan_id", "question"
    ):
        questions[plan_id].append(question)
    for pk in missing:
        plans[pk].checklist_fingerprint = fingerprint_of(questions[pk])
    fingerprints: dict[tuple[int, int], dict[str, object]] = defaultdict(dict)
    for plan in plans.values():
        if plan.n_items and plan.checklist_fingerprint:
            fingerprints[(plan.unit_id, plan.year)][plan.checklist_fingerprint] = plan
    result = defaultdict(list)
    for (unit_id, plan_year), prints in fingerprints.items():
        if plan_year != year:
            continue
        previous = fingerprints.get((unit_id, year - 1), {})
        for fingerprint, plan in prints.items():
            old = previous.get(fingerprint)
            if old is None:
                continue
            result[unit_id].append(
                {
                    "label": _(
                        "%(title)s (%(year)s) asks the same %(n)s questions "
                        "as %(old)s (%(old_year)s)"
                    )
                    % {
                        "title": plan.title,
                        "year": year,
                        "n": plan.n_items,
                        "old": old.title,
                        "old_year": year - 1,
                    },
                    "url": _audit_url(plan),
                }
            )
            result[unit_id].append(
                {
                    "label": _("%(title)s (%(year)s)") % {"title": old.title, "year": year - 1},
                    "url": _audit_url(old),
                }
            )
    return dict(result)


@register(
    "short_audit",
    gettext_lazy("Audit implausibly short for its scope"),
    MEDIUM,
    app="audits",
    description=gettext_lazy(
        "A completed audit lasted less than %(h)s hour per process and clause in its scope."
    ),
)
def short_audit(unit_ids, year: int) -> dict:
    """The audits app's rule (`audits.selectors.implausibly_short`), in batch."""
    from govqms.audits.models import DONE_STATUSES, AuditPlan
    from govqms.audits.selectors import audit_duration_hours

    plans = (
        AuditPlan.objects.filter(unit_id__in=unit_ids, year=year, status__in=DONE_STATUSES)
        .annotate(n_processes=Count("processes", distinct=True))
        .only(
            "pk",
            "unit_id",
            "title",
            "clauses",
            "planned_start",
            "planned_end",
            "actual_start",
            "actual_end",
        )
        .order_by("unit_id", "planned_start")
    )
    result = defaultdict(list)
    for plan in plans:
        scope = plan.n_processes + len(plan.clauses or [])
        took = audit_duration_hours(plan)
        needed = scope * HOURS_PER_SCOPE_ITEM
        if scope and took < needed:
            result[plan.unit_id].append(
                {
                    "label": _(
                        "%(title)s: %(took)s h for %(scope)s processes and clauses "
                        "(at least %(needed)s h expected)"
                    )
                    % {
                        "title": plan.title,
                        "took": formats.localize(took),
                        "scope": scope,
                        "needed": formats.localize(needed),
                    },
                    "url": _audit_url(plan),
                }
            )
    return dict(result)


# ---------------------------------------------------------------- management review


@register(
    "review_without_decisions",
    gettext_lazy("Management review with no decisions"),
    HIGH,
    app="reviews",
    description=gettext_lazy("A management review was held and decided nothing (9.3.3)."),
)
def review_without_decisions(unit_ids, year: int) -> dict:
    from govqms.reviews.models import ManagementReview, ReviewStatus

    start, end = _year_bounds(year)
    reviews = (
        ManagementReview.objects.filter(
            unit_id__in=unit_ids,
            status__in=[ReviewStatus.HELD, ReviewStatus.MINUTES_ISSUED],
            held_at__date__gte=start,
            held_at__date__lte=end,
        )
        .annotate(n=Count("decisions"))
        .filter(n=0)
        .only("pk", "unit_id", "title", "held_at")
        .order_by("unit_id", "held_at")
    )
    result = defaultdict(list)
    for review in reviews:
        result[review.unit_id].append(
            {
                "label": _("%(title)s, held %(date)s: no decision")
                % {"title": review.title, "date": _d(timezone.localtime(review.held_at).date())},
                "url": url("review_detail", review.unit_id, review.pk),
            }
        )
    return dict(result)


# ---------------------------------------------------------------- actions


@register(
    "actions_closed_same_day",
    gettext_lazy("Actions closed the day they were opened"),
    MEDIUM,
    app="improvement",
    description=gettext_lazy(
        "Corrective actions or management review actions marked done on the day they were created."
    ),
)
def actions_closed_same_day(unit_ids, year: int) -> dict:
    from govqms.improvement.models import ActionStatus, CorrectiveAction

    start, end = _year_bounds(year)
    result = defaultdict(list)
    for action in (
        CorrectiveAction.objects.filter(
            nonconformity__unit_id__in=unit_ids,
            status=ActionStatus.DONE,
            done_on__gte=start,
            done_on__lte=end,
            done_on=F("created_on"),
        )
        .select_related("nonconformity")
        .order_by("done_on", "pk")
    ):
        nc = action.nonconformity
        result[nc.unit_id].append(
            {
                "label": _("Corrective action of %(nc)s opened and closed on %(date)s: %(text)s")
                % {"nc": nc.number, "date": _d(action.done_on), "text": action.text[:120]},
                "url": url("nc_detail", nc.unit_id, nc.pk),
            }
        )
    if apps.is_installed("govqms.reviews"):
        from govqms.reviews.models import ActionStatus as ReviewActionStatus
        from govqms.reviews.models import ReviewDecision

        for decision in (
            ReviewDecision.objects.filter(
                unit_id__in=unit_ids,
                status=ReviewActionStatus.DONE,
                done_on__gte=start,
                done_on__lte=end,
            )
            .select_related("review")
            .order_by("done_on", "pk")
        ):
            if timezone.localtime(decision.created_at).date() != decision.done_on:
                continue
            result[decision.unit_id].append(
                {
                    "label": _(
                        "Action of the review %(review)s opened and closed on %(date)s: %(text)s"
                    )
                    % {
                        "review": decision.review.title,
                        "date": _d(decision.done_on),
                        "text": decision.text[:120],
                    },
                    "url": url("review_detail", decision.unit_id, decision.review_id),
                }
            )
    return dict(result)


# ---------------------------------------------------------------- objectives


@register(
    "objectives_never_measured",
    gettext_lazy("Objectives never measured"),
    MEDIUM,
    app="planning",
    description=gettext_lazy(
        "Quality objectives of the year with no measurement although their first "
        "measurement period has ended."
    ),
)
def objectives_never_measured(unit_ids, year: int) -> dict:
    from govqms.planning.models import Objective
    from govqms.planning.selectors import periods_of_year

    today = timezone.localdate()
    result = defaultdict(list)
    for objective in (
        Objective.objects.filter(unit_id__in=unit_ids, year=year)
        .annotate(n=Count("measurements"))
        .filter(n=0)
        .only("pk", "unit_id", "title", "schedule")
        .order_by("unit_id", "pk")
    ):
        periods = periods_of_year(objective.schedule, year)
        if periods and periods[0][1] >= today:
            continue  # its first period is still running
        result[objective.unit_id].append(
            {
                "label": _("%(title)s (%(year)s): no measurement")
                % {"title": objective.title, "year": year},
                "url": url("planning_objective", objective.unit_id, objective.pk),
            }
        )
    return dict(result)


# ---------------------------------------------------------------- computing


@dataclass
class UnitSignal:
    signal: Signal
    evidence: list

    @property
    def key(self) -> str:
        return self.signal.key


def compute(unit_ids, year: int, *, keys=None) -> dict[int, list[UnitSignal]]:
    """{unit id: [UnitSignal]} for the given agencies and year: one batch per signal."""
    unit_ids = list(unit_ids)
    found: dict[int, list[UnitSignal]] = {uid: [] for uid in unit_ids}
    if not unit_ids:
        return found
    for signal in all_signals():
        if keys and signal.key not in keys:
            continue
        for unit_id, evidence in signal.fn(unit_ids, year).items():
            if evidence and unit_id in found:
                found[unit_id].append(UnitSignal(signal, evidence))
    for items in found.values():
        items.sort(key=lambda s: (SEVERITY_ORDER[s.signal.severity], s.signal.key))
    return found
