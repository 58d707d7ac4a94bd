"""The library of auto-scoring rules (issue 6, item 2).

A criterion may name one rule (`Criterion.rule`) with parameters
(`Criterion.rule_params`). A rule reads govqms's own records of one agency for one
year, through the other apps' selectors/models read-only, and proposes a score with
the evidence it used. The proposal is only a proposal: the agency keeps or changes
it in its self-assessment, and the DoST appraises.

Contract (used by the campaign services and the criteria editor):

    RULES: dict[str, Rule]                  every rule, by key
    propose(criterion, unit, year) -> Proposal | None
    propose_many(criteria, unit, year) -> dict[criterion_pk, Proposal]

Points. A rule gives full points, none, or a part of the criterion's maximum: a
share (of documents reviewed on time, of acknowledgements read...) scales the points
proportionally up to a `full_at` percentage, and a share below `zero_below` gives
none; a few rules are stepped (a held review without decisions, the dossier on-time
thresholds). Points are rounded DOWN to a quarter point (0.25) and never exceed the
criterion's maximum; the full maximum is given as is.

Dates. A rule reads the year's records as they stand at the end of that year, or
today while the year is still running (`as_of`). Documents' review dates and the TTHC
coverage are current states (the records do not keep their history): for a past
year they are read as they stand today.

Queries. Every rule runs a few queries for one agency. `propose_many` shares the
records read between criteria of the same agency (two criteria with the same rule and
different parameters read them once), so a set of 20 criteria costs a few dozen
queries at most.

The summary is one sentence in the active language (gettext), stored on the score
with the proposal; evidence links are the agency's pages that hold the records.
"""

import contextvars
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal

from django.db.models import Count, F, Q, Sum
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


@dataclass(frozen=True)
class Evidence:
    label: str
    url: str = ""

    def as_json(self) -> dict:
        return {"label": self.label, "url": self.url}


@dataclass(frozen=True)
class Proposal:
    points: Decimal
    summary: str
    evidence: list[Evidence] = field(default_factory=list)


@dataclass(frozen=True)
class Param:
    name: str
    label: str
    kind: type  # int, float or Decimal
    default: object


@dataclass(frozen=True)
class Rule:
    key: str
    label: str
    description: str
    params: tuple[Param, ...]
    # compute(unit, year, params: dict, max_points: Decimal) -> Proposal
    compute: Callable


RULES: dict[str, Rule] = {}


def register(rule: Rule) -> Rule:
    RULES[rule.key] = rule
    return rule


def params_for(rule: Rule, given: dict | None) -> dict:
    """The rule's parameters: the criterion's values over the defaults."""
    given = given or {}
    return {p.name: p.kind(given.get(p.name, p.default)) for p in rule.params}


def propose(criterion, unit, year: int) -> Proposal | None:
    rule = RULES.get(criterion.rule or "")
    if rule is None:
        return None
    return rule.compute(unit, year, params_for(rule, criterion.rule_params), criterion.max_points)


def propose_many(criteria, unit, year: int) -> dict:
    """Proposals of every auto-scored criterion of `criteria` for one agency; the
    records read are shared between the criteria (one read per kind of record)."""
    token = _cache.set({})
    try:
        return {
            c.pk: proposal for c in criteria if (proposal := propose(c, unit, year)) is not None
        }
    finally:
        _cache.reset(token)


# ---------------------------------------------------------------- shared helpers

QUARTER = Decimal("0.25")

# The records read during one `propose_many` call: {(name, unit pk, year): value}.
_cache: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "assessment_rule_cache", default=None
)


def _cached(name: str, unit, year: int, load: Callable):
    store = _cache.get()
    if store is None:
        return load()
    key = (name, unit.pk, year)
    if key not in store:
        store[key] = load()
    return store[key]


def as_of(year: int) -> dt.date:
    """The day a year's records are read at: its last day, or today while it runs."""
    return min(timezone.localdate(), dt.date(year, 12, 31))


def _year_start(year: int) -> dt.date:
    return dt.date(year, 1, 1)


def scaled(max_points, fraction) -> Decimal:
    """`fraction` (0..1) of `max_points`, rounded down to a quarter point; never more
    than the maximum, never below zero."""
    max_points = Decimal(max_points or 0)
    fraction = Decimal(str(fraction))
    if fraction >= 1:
        return max_points
    if fraction <= 0 or max_points <= 0:
        return Decimal("0.00")
    quarters = (max_points * fraction / QUARTER).to_integral_value(rounding=ROUND_FLOOR)
    return min(max_points, (quarters * QUARTER).quantize(Decimal("0.01")))


def graded(max_points, share_percent, *, full_at, zero_below=0) -> Decimal:
    """Points for a share in per cent: the maximum from `full_at`, none below
    `zero_below`, proportional (share / full_at) in between."""
    if share_percent is None:
        return Decimal("0.00")
    share_percent = Decimal(str(share_percent))
    if share_percent < Decimal(str(zero_below)):
        return Decimal("0.00")
    full_at = Decimal(str(full_at))
    if full_at <= 0 or share_percent >= full_at:
        return scaled(max_points, 1)
    return scaled(max_points, share_percent / full_at)


def pct(part: int, whole: int) -> Decimal | None:
    """part/whole in per cent with one decimal (None when whole is 0)."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


def num(value) -> str:
    """A figure in the active language: 87.5 -> "87,5" in Vietnamese; 90.0 -> "90"."""
    value = Decimal(str(value))
    if value == value.to_integral_value():
        return formats.number_format(int(value))
    places = 1 if value * 10 == (value * 10).to_integral_value() else 2
    return formats.number_format(value, places)


def link(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _d(day) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def _share_params(full_at: int, zero_below: int = 0) -> tuple[Param, ...]:
    return (
        Param(
            "full_at",
            gettext_lazy("Share (per cent) that earns the full points"),
            int,
            full_at,
        ),
        Param(
            "zero_below",
            gettext_lazy("Share (per cent) below which no points are given"),
            int,
            zero_below,
        ),
    )


def _full_points(max_points, sentence: str, values: dict, evidence) -> Proposal:
    """Full points when nothing was due; `sentence` ends with %(points)s."""
    points = scaled(max_points, 1)
    return Proposal(
        points, sentence % {**values, "points": _points_sentence(points, max_points)}, evidence
    )


def _graded_share(
    max_points, params, part, whole, sentence: str, values: dict, evidence, full_at="full_at"
) -> Proposal:
    """Points graded on the share part/whole (`params[full_at]` earns the full points,
    none under `params["zero_below"]`); `sentence` has %(share)s and %(points)s."""
    share = pct(part, whole)
    points = graded(max_points, share, full_at=params[full_at], zero_below=params["zero_below"])
    values = {**values, "share": num(share), "points": _points_sentence(points, max_points)}
    return Proposal(points, sentence % values, evidence)


def _points_sentence(points, max_points) -> str:
    return _("%(points)s of %(max)s points") % {"points": num(points), "max": num(max_points)}


# ---------------------------------------------------------------- internal audit


def _audits_of_year(unit, year):
    from govqms.audits.models import AuditProgramme
    from govqms.oversight.lifecycle import _audits_done

    plans = list(_audits_done(unit, year).prefetch_related("processes"))
    programme = (
        AuditProgramme.objects.filter(unit=unit, year=year).prefetch_related("processes").first()
    )
    return plans, programme


def _internal_audit_done(unit, year, params, max_points) -> Proposal:
    plans, programme = _cached("audits", unit, year, lambda: _audits_of_year(unit, year))
    evidence = [
        Evidence(
            _("%(title)s (%(year)s)") % {"title": p.title, "year": p.year},
            link("audit_plan_detail", p.pk),
        )
        for p in plans
    ]
    if not plans:
        return Proposal(
            Decimal("0.00"),
            _("No internal audit was completed in %(year)s: 0 points.") % {"year": year},
            [Evidence(_("Internal audits"), link("audit_plan_list", unit.pk))],
        )
    to_cover = set()
    if programme is not None:
        to_cover = {("c", c) for c in programme.clauses or []} | {
            ("p", d.pk) for d in programme.processes.all()
        }
        evidence.append(
            Evidence(
                _("Internal audit programme %(year)s") % {"year": year},
                link("audit_programme", unit.pk, year),
            )
        )
    if not params["by_coverage"] or not to_cover:
        points = scaled(max_points, 1)
        return Proposal(
            points,
            _("%(n)s internal audit(s) completed in %(year)s: %(points)s.")
            % {"n": len(plans), "year": year, "points": _points_sentence(points, max_points)},
            evidence,
        )
    covered = {("c", c) for p in plans for c in p.clauses or []} | {
        ("p", d.pk) for p in plans for d in p.processes.all()
    }
    done = len(to_cover & covered)
    share = pct(done, len(to_cover))
    points = graded(max_points, share, full_at=params["full_at"], zero_below=0)
    return Proposal(
        points,
        _(
            "%(n)s internal audit(s) completed in %(year)s, covering %(done)s of the "
            "%(total)s clauses and processes of the programme (%(share)s %%): %(points)s."
        )
        % {
            "n": len(plans),
            "year": year,
            "done": done,
            "total": len(to_cover),
            "share": num(share),
            "points": _points_sentence(points, max_points),
        },
        evidence,
    )


register(
    Rule(
        "internal_audit_done",
        gettext_lazy("Internal audit completed in the year"),
        gettext_lazy(
            "Full points when an internal audit was completed in the year; with "
            "'by coverage', the points follow the share of the year's audit programme "
            "(clauses and processes) that the completed audits covered."
        ),
        (
            Param(
                "by_coverage", gettext_lazy("Points by programme coverage (1 yes, 0 no)"), int, 1
            ),
            Param(
                "full_at", gettext_lazy("Coverage (per cent) that earns the full points"), int, 100
            ),
        ),
        _internal_audit_done,
    )
)


# ---------------------------------------------------------------- management review


def _reviews_of_year(unit, year):
    from govqms.oversight.lifecycle import _held_reviews

    return list(_held_reviews(unit, year).annotate(n_decisions=Count("decisions")))


def _management_review_held(unit, year, params, max_points) -> Proposal:
    reviews = _cached("reviews", unit, year, lambda: _reviews_of_year(unit, year))
    if not reviews:
        return Proposal(
            Decimal("0.00"),
            _("No management review was held in %(year)s: 0 points.") % {"year": year},
            [Evidence(_("Management reviews"), link("review_list", unit.pk))],
        )
    evidence = [
        Evidence(
            _("%(title)s, %(date)s: %(n)s decisions")
            % {"title": r.title, "date": _d(r.date), "n": r.n_decisions},
            link("review_detail", unit.pk, r.pk),
        )
        for r in reviews
    ]
    decisions = max(r.n_decisions for r in reviews)
    if decisions >= params["min_decisions"]:
        points = scaled(max_points, 1)
    else:
        points = scaled(max_points, Decimal(params["without_decisions_share"]) / 100)
    return Proposal(
        points,
        _(
            "%(n)s management review(s) held in %(year)s, at most %(d)s decisions "
            "(%(min)s expected): %(points)s."
        )
        % {
            "n": len(reviews),
            "year": year,
            "d": decisions,
            "min": params["min_decisions"],
            "points": _points_sentence(points, max_points),
        },
        evidence,
    )


register(
    Rule(
        "management_review_held",
        gettext_lazy("Management review held in the year, with decisions"),
        gettext_lazy(
            "Full points when a management review was held in the year and recorded at "
            "least the given number of decisions; a review without them earns the given "
            "share of the points."
        ),
        (
            Param("min_decisions", gettext_lazy("Decisions expected"), int, 1),
            Param(
                "without_decisions_share",
                gettext_lazy("Share (per cent) of the points for a review with fewer decisions"),
                int,
                50,
            ),
        ),
        _management_review_held,
    )
)


# ---------------------------------------------------------------- legal updates


def _update_tasks(unit, year):
    from govqms.documents.models import UpdateTask

    start = _year_start(year)
    # Tasks whose 3-month deadline fell up to a year after the year's start (so a
    # longer allowance still sees them), or done in the year.
    return list(
        UpdateTask.objects.filter(document__unit=unit)
        .filter(
            Q(due__gte=start, due__lte=dt.date(year + 1, 12, 31))
            | Q(done_at__date__gte=start, done_at__date__lte=dt.date(year, 12, 31))
        )
        .select_related("document", "legal_document")
        .order_by("due", "pk")
    )


def _legal_updates_on_time(unit, year, params, max_points) -> Proposal:
    from govqms.documents.models import UpdateTaskStatus
    from govqms.documents.services.legal import UPDATE_MONTHS
    from govqms.documents.services.versions import add_months

    months = params["months"]
    day = as_of(year)
    start, end = _year_start(year), dt.date(year, 12, 31)
    tasks = _cached("update_tasks", unit, year, lambda: _update_tasks(unit, year))
    counted, late = 0, []
    for task in tasks:
        deadline = add_months(add_months(task.due, -UPDATE_MONTHS), months)
        done_on = timezone.localtime(task.done_at).date() if task.done_at else None
        done = task.status == UpdateTaskStatus.DONE and done_on is not None
        if done and start <= done_on <= end:
            counted += 1
            if done_on > deadline:
                late.append((task, deadline))
        elif not (done and done_on < start) and start <= deadline < day:
            counted += 1  # still open (or done after the year) past its deadline
            late.append((task, deadline))
    evidence = [Evidence(_("Legal update tasks"), link("update_task_list", unit.pk))]
    evidence += [
        Evidence(
            _("%(doc)s: %(law)s, due %(due)s")
            % {"doc": t.document.code, "law": t.legal_document.number, "due": _d(deadline)},
            link("document_detail", t.document_id),
        )
        for t, deadline in late[:5]
    ]
    if not counted:
        return _full_points(
            max_points,
            _("No legal change was due to be folded in during %(year)s: %(points)s."),
            {"year": year},
            evidence,
        )
    on_time = counted - len(late)
    return _graded_share(
        max_points,
        params,
        on_time,
        counted,
        _(
            "%(ok)s of %(n)s legal changes due in %(year)s folded in within %(months)s "
            "months (%(share)s %%): %(points)s."
        ),
        {"ok": on_time, "n": counted, "year": year, "months": months},
        evidence,
    )


register(
    Rule(
        "legal_updates_on_time",
        gettext_lazy("Legal updates folded in on time"),
        gettext_lazy(
            "Share of the legal changes due in the year (legal update tasks of the "
            "agency's documents) folded in within the given months after the new text "
            "took effect; none due earns the full points."
        ),
        (Param("months", gettext_lazy("Months allowed"), int, 3), *_share_params(100)),
        _legal_updates_on_time,
    )
)


# ---------------------------------------------------------------- documents reviewed


def _documents_in_force(unit, year):
    from govqms.documents.models import Document, VersionStatus

    day = as_of(year)
    return (
        Document.objects.filter(unit=unit, versions__status=VersionStatus.EFFECTIVE)
        .distinct()
        .aggregate(
            total=Count("pk", distinct=True),
            overdue=Count("pk", distinct=True, filter=Q(next_review_due__lt=day)),
        )
    )


def _documents_reviewed_on_time(unit, year, params, max_points) -> Proposal:
    figures = _cached("documents", unit, year, lambda: _documents_in_force(unit, year))
    total, overdue = figures["total"], figures["overdue"]
    evidence = [
        Evidence(_("Periodic reviews of documents"), link("agency_reviews", unit.pk)),
        Evidence(_("Document register"), link("document_register", unit.pk)),
    ]
    if not total:
        return Proposal(
            Decimal("0.00"),
            _("The agency has no document in force: 0 points."),
            evidence,
        )
    return _graded_share(
        max_points,
        params,
        total - overdue,
        total,
        _(
            "%(ok)s of %(n)s documents in force reviewed within their review interval on "
            "%(date)s (%(share)s %%): %(points)s."
        ),
        {"ok": total - overdue, "n": total, "date": _d(as_of(year))},
        evidence,
    )


register(
    Rule(
        "documents_reviewed_on_time",
        gettext_lazy("Documents reviewed on time"),
        gettext_lazy(
            "Share of the agency's documents in force whose periodic review is not past "
            "due at the end of the year (today while the year runs)."
        ),
        _share_params(100),
        _documents_reviewed_on_time,
    )
)


# ---------------------------------------------------------------- read acknowledgements


def _acknowledgements(unit, year):
    from govqms.documents.models import Acknowledgement

    start, day = _year_start(year), as_of(year)
    return Acknowledgement.objects.filter(
        version__document__unit=unit,
        assigned_at__date__gte=start,
        assigned_at__date__lte=dt.date(year, 12, 31),
    ).aggregate(
        total=Count("pk"),
        read=Count("pk", filter=Q(acknowledged_at__isnull=False, acknowledged_at__date__lte=day)),
    )


def _acknowledgement_share(unit, year, params, max_points) -> Proposal:
    figures = _cached("acknowledgements", unit, year, lambda: _acknowledgements(unit, year))
    total, read = figures["total"], figures["read"]
    evidence = [Evidence(_("Document register"), link("document_register", unit.pk))]
    if not total:
        return _full_points(
            max_points,
            _("Nobody had a document to read in %(year)s: %(points)s."),
            {"year": year},
            evidence,
        )
    return _graded_share(
        max_points,
        params,
        read,
        total,
        _(
            "%(read)s of %(n)s read acknowledgements of %(year)s done (%(share)s %%, "
            "%(threshold)s %% expected): %(points)s."
        ),
        {"read": read, "n": total, "year": year, "threshold": params["threshold"]},
        evidence,
        full_at="threshold",
    )


register(
    Rule(
        "acknowledgement_share",
        gettext_lazy("Read acknowledgements done"),
        gettext_lazy(
            "Share of the read acknowledgements assigned in the year that were done: full "
            "points from the threshold, proportional below it, none under the floor."
        ),
        (
            Param(
                "threshold", gettext_lazy("Share (per cent) that earns the full points"), int, 90
            ),
            Param(
                "zero_below",
                gettext_lazy("Share (per cent) below which no points are given"),
                int,
                50,
            ),
        ),
        _acknowledgement_share,
    )
)


# ---------------------------------------------------------------- corrective actions


def _actions(unit, year):
    from govqms.improvement.models import ActionStatus, CorrectiveAction

    start, end, day = _year_start(year), dt.date(year, 12, 31), as_of(year)
    due_in_year = Q(due_date__gte=start, due_date__lte=end, due_date__lt=day)
    done_in_year = Q(status=ActionStatus.DONE, done_on__gte=start, done_on__lte=end)
    return (
        CorrectiveAction.objects.filter(nonconformity__unit=unit)
        .filter(due_in_year | done_in_year)
        .aggregate(
            total=Count("pk"),
            on_time=Count(
                "pk",
                filter=Q(status=ActionStatus.DONE, done_on__lte=end)
                & Q(done_on__lte=F("due_date")),
            ),
        )
    )


def _corrective_actions_on_time(unit, year, params, max_points) -> Proposal:
    figures = _cached("actions", unit, year, lambda: _actions(unit, year))
    total, on_time = figures["total"], figures["on_time"]
    evidence = [Evidence(_("Nonconformities"), link("nc_list", unit.pk))]
    if not total:
        return _full_points(
            max_points,
            _("No corrective action was due in %(year)s: %(points)s."),
            {"year": year},
            evidence,
        )
    return _graded_share(
        max_points,
        params,
        on_time,
        total,
        _(
            "%(ok)s of %(n)s corrective actions due in %(year)s closed by their due date "
            "(%(share)s %%): %(points)s."
        ),
        {"ok": on_time, "n": total, "year": year},
        evidence,
    )


register(
    Rule(
        "corrective_actions_on_time",
        gettext_lazy("Corrective actions closed on time"),
        gettext_lazy(
            "Share of the corrective actions due (or closed) in the year that were closed "
            "by their due date; none due earns the full points."
        ),
        _share_params(100),
        _corrective_actions_on_time,
    )
)


# ---------------------------------------------------------------- TTHC coverage


def _tthc_coverage(unit, year, params, max_points) -> Proposal:
    from govqms.procedures.selectors import coverage

    c = _cached("coverage", unit, year, lambda: coverage(unit))
    evidence = [Evidence(_("Administrative procedures"), link("agency_procedures", unit.pk))]
    if not c.assigned:
        return Proposal(
            Decimal("0.00"),
            _("No administrative procedure is assigned to the agency: 0 points."),
            evidence,
        )
    return _graded_share(
        max_points,
        params,
        c.covered,
        c.assigned,
        _(
            "%(c)s of %(a)s assigned administrative procedures have an operational "
            "procedure in force (%(share)s %%): %(points)s."
        ),
        {"c": c.covered, "a": c.assigned},
        evidence,
    )


register(
    Rule(
        "tthc_coverage",
        gettext_lazy("TTHC covered by operational procedures"),
        gettext_lazy(
            "Share of the administrative procedures assigned to the agency that have an "
            "operational procedure in force."
        ),
        _share_params(100),
        _tthc_coverage,
    )
)


# ---------------------------------------------------------------- dossiers on time


def _dossier_figures(unit, year):
    from govqms.kpis.models import MonthlyRollup

    return MonthlyRollup.objects.filter(
        unit=unit,
        total=True,
        month__gte=_year_start(year),
        month__lte=dt.date(year, 12, 1),
    ).aggregate(resolved=Sum("resolved"), early=Sum("early"), on_time=Sum("on_time"))


def _dossier_on_time_rate(unit, year, params, max_points) -> Proposal:
    figures = _cached("dossiers", unit, year, lambda: _dossier_figures(unit, year))
    resolved = figures["resolved"] or 0
    on_time = (figures["early"] or 0) + (figures["on_time"] or 0)
    evidence = [Evidence(_("Dossier dashboard"), link("kpi_agency_dashboard", unit.pk))]
    if not resolved:
        return Proposal(
            Decimal("0.00"),
            _("No dossier resolved in %(year)s is recorded: 0 points.") % {"year": year},
            evidence,
        )
    rate = pct(on_time, resolved)
    if rate >= params["full_at"]:
        points = scaled(max_points, 1)
    elif rate >= params["partial_at"]:
        points = scaled(max_points, Decimal(params["partial_share"]) / 100)
    else:
        points = Decimal("0.00")
    return Proposal(
        points,
        _(
            "%(ok)s of %(n)s dossiers resolved in %(year)s were on time (%(rate)s %%; full "
            "points from %(full)s %%, part from %(partial)s %%): %(points)s."
        )
        % {
            "ok": on_time,
            "n": resolved,
            "year": year,
            "rate": num(rate),
            "full": params["full_at"],
            "partial": params["partial_at"],
            "points": _points_sentence(points, max_points),
        },
        evidence,
    )


register(
    Rule(
        "dossier_on_time_rate",
        gettext_lazy("On-time rate of dossiers"),
        gettext_lazy(
            "On-time rate (early or on time) of the dossiers resolved in the year, from "
            "the dossier rollups: full points from the first threshold, a share of them "
            "from the second, none below."
        ),
        (
            Param("full_at", gettext_lazy("On-time rate (per cent) for the full points"), int, 95),
            Param(
                "partial_at",
                gettext_lazy("On-time rate (per cent) for part of the points"),
                int,
                80,
            ),
            Param(
                "partial_share", gettext_lazy("Share (per cent) of the points given then"), int, 50
            ),
        ),
        _dossier_on_time_rate,
    )
)


# ---------------------------------------------------------------- announcement


def _announcement_current(unit, year, params, max_points) -> Proposal:
    from govqms.oversight import selectors as oversight

    st = _cached("announcement", unit, year, lambda: oversight.announcement_status(unit))
    evidence = [Evidence(_("Conformity announcements"), link("announcement_list", unit.pk))]
    evidence += [Evidence(r["label"], r["url"]) for r in st.reasons[:5]]
    if st.status == oversight.NONE:
        return Proposal(
            Decimal("0.00"),
            _("The agency has never announced its conformity: 0 points."),
            evidence,
        )
    ann = st.current
    facts = {"number": ann.decision_number, "date": _d(ann.decision_date)}
    if st.status == oversight.NEEDED:
        points = scaled(max_points, Decimal(params["needed_share"]) / 100)
        return Proposal(
            points,
            _("Re-announcement needed since %(number)s of %(date)s (%(n)s reasons): %(points)s.")
            % {**facts, "n": len(st.reasons), "points": _points_sentence(points, max_points)},
            evidence,
        )
    points = scaled(max_points, 1)
    return Proposal(
        points,
        _("Conformity announcement %(number)s of %(date)s is current: %(points)s.")
        % {**facts, "points": _points_sentence(points, max_points)},
        evidence,
    )


register(
    Rule(
        "announcement_current",
        gettext_lazy("Conformity announcement current"),
        gettext_lazy(
            "Full points when the agency's conformity announcement is current; an agency "
            "whose scope changed, or that was created by a merger or a split, since its "
            "announcement earns the given share; never announced earns none."
        ),
        (
            Param(
                "needed_share",
                gettext_lazy("Share (per cent) of the points while re-announcement is needed"),
                int,
                0,
            ),
        ),
        _announcement_current,
    )
)


# ---------------------------------------------------------------- objectives


def _objectives(unit, year):
    from govqms.planning.models import Objective
    from govqms.planning.selectors import periods_of_year

    day = as_of(year)
    rows = list(
        Objective.objects.filter(unit=unit, year=year)
        .annotate(n=Count("measurements", filter=Q(measurements__measured_on__lte=day)))
        .only("pk", "title", "schedule")
        .order_by("pk")
    )
    due, measured, missing = 0, 0, []
    for obj in rows:
        if obj.n:
            due += 1
            measured += 1
            continue
        periods = periods_of_year(obj.schedule, year)
        if periods and periods[0][1] >= day:
            continue  # its first period is still running: not yet due
        due += 1
        missing.append(obj)
    return {"total": len(rows), "due": due, "measured": measured, "missing": missing}


def _objectives_measured(unit, year, params, max_points) -> Proposal:
    figures = _cached("objectives", unit, year, lambda: _objectives(unit, year))
    evidence = [Evidence(_("Objectives"), link("planning_objectives", unit.pk))]
    evidence += [
        Evidence(
            _("%(title)s (%(year)s): no measurement") % {"title": o.title, "year": year},
            link("planning_objective", unit.pk, o.pk),
        )
        for o in figures["missing"][:5]
    ]
    if not figures["total"]:
        return Proposal(
            Decimal("0.00"),
            _("No quality objective is set for %(year)s: 0 points.") % {"year": year},
            evidence,
        )
    if not figures["due"]:
        return _full_points(
            max_points,
            _("No objective of %(year)s is due for measurement yet: %(points)s."),
            {"year": year},
            evidence,
        )
    return _graded_share(
        max_points,
        params,
        figures["measured"],
        figures["due"],
        _("%(ok)s of %(n)s objectives of %(year)s measured (%(share)s %%): %(points)s."),
        {"ok": figures["measured"], "n": figures["due"], "year": year},
        evidence,
    )


register(
    Rule(
        "objectives_measured",
        gettext_lazy("Objectives measured"),
        gettext_lazy(
            "Share of the year's quality objectives that have a measurement (objectives "
            "whose first measurement period has not ended are not counted)."
        ),
        _share_params(100),
        _objectives_measured,
    )
)
