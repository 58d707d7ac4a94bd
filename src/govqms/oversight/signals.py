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
import hashlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db.models import Count, F
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from govqms.core.text import fold

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
# An audit shorter than this many minutes per process audited (and per division, with a
# floor of one) is implausibly short for its scope.
MIN_AUDIT_MINUTES_PER_PROCESS = int(getattr(settings, "GOVQMS_MIN_AUDIT_MINUTES_PER_PROCESS", 30))


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
        return str(self.description) % {"m": MIN_AUDIT_MINUTES_PER_PROCESS} if self.description else ""

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


def _normalised_questions(questions: list[str]) -> str:
    return hashlib.sha256(
        "\n".join(sorted(fold(q) for q in questions if fold(q))).encode("utf-8")
    ).hexdigest()


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

    plans = {
        p.pk: p
        for p in AuditPlan.objects.filter(unit_id__in=unit_ids, year__in=[year - 1, year])
        .exclude(status=PlanStatus.CANCELLED)
        .only("pk", "unit_id", "year", "title")
    }
    questions: dict[int, list[str]] = defaultdict(list)
    for plan_id, question in ChecklistItem.objects.filter(plan_id__in=list(plans)).values_list(
        "plan_id", "question"
    ):
        questions[plan_id].append(question)
    fingerprints: dict[tuple[int, int], dict[str, object]] = defaultdict(dict)
    for pk, plan in plans.items():
        if questions.get(pk):
            fingerprints[(plan.unit_id, plan.year)][_normalised_questions(questions[pk])] = plan
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
                        "%(title)s (%(year)s) asks the same %(n)s questions as %(old)s (%(old_year)s)"
                    )
                    % {
                        "title": plan.title,
                        "year": year,
                        "n": len(questions[plan.pk]),
                        "old": old.title,
                        "old_year": year - 1,
                    },
                    "url": _audit_url(plan),
                }
            )
            result[unit_id].append(
                {"label": _("%(title)s (%(year)s)") % {"title": old.title, "year": year - 1},
                 "url": _audit_url(old)}
            )
    return dict(result)


def _minutes(start, end) -> int:
    return int((end - start).total_seconds() // 60)


@register(
    "short_audit",
    gettext_lazy("Audit implausibly short for its scope"),
    MEDIUM,
    app="audits",
    description=gettext_lazy(
        "A completed audit lasted less than %(m)s minutes per process or division audited."
    ),
)
def short_audit(unit_ids, year: int) -> dict:
    from govqms.audits.models import DONE_STATUSES, AuditPlan

    plans = (
        AuditPlan.objects.filter(unit_id__in=unit_ids, year=year, status__in=DONE_STATUSES)
        .annotate(n_processes=Count("processes", distinct=True))
        .only(
            "pk",
            "unit_id",
            "title",
            "divisions",
            "planned_start",
            "planned_end",
            "actual_start",
            "actual_end",
        )
        .order_by("unit_id", "planned_start")
    )
    result = defaultdict(list)
    for plan in plans:
        start = plan.actual_start or plan.planned_start
        end = plan.actual_end or plan.planned_end
        if not (start and end):
            continue
        scope = max(1, plan.n_processes, len(plan.divisions or []))
        needed = scope * MIN_AUDIT_MINUTES_PER_PROCESS
        took = _minutes(start, end)
        if took < needed:
            result[plan.unit_id].append(
                {
                    "label": _(
                        "%(title)s: %(took)s minutes for %(scope)s processes or divisions "
                        "(at least %(needed)s expected)"
                    )
                    % {"title": plan.title, "took": max(took, 0), "scope": scope, "needed": needed},
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
        "Corrective actions or management review actions marked done on the day they "
        "were created."
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
                    "label": _("Action of the review %(review)s opened and closed on %(date)s: %(text)s")
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
