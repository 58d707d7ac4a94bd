"""Where an agency stands in the four steps of Decision 19/2014/QĐ-TTg, computed from
its records: built, applied, announced, maintained this year.

Each step is a list of checks; a step is done when all its checks are. Each check
says why, with links to the records behind it. Callers have checked that the reader
may see inside the agency."""

import datetime as dt
from dataclasses import dataclass, field

from django.apps import apps
from django.utils import timezone
from django.utils.translation import gettext as _

from govqms.organizations.models import Unit

from . import selectors
from .signals import url


@dataclass
class Check:
    label: str
    ok: bool
    detail: str = ""
    links: list = field(default_factory=list)  # [{"label", "url"}]


@dataclass
class Step:
    key: str
    number: int
    title: str
    checks: list

    @property
    def done(self) -> bool:
        return all(c.ok for c in self.checks)

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "number": self.number,
            "title": self.title,
            "done": self.done,
            "checks": [
                {"label": c.label, "ok": c.ok, "detail": c.detail, "links": c.links}
                for c in self.checks
            ],
        }


@dataclass
class Lifecycle:
    unit: Unit
    year: int
    steps: list

    @property
    def done_count(self) -> int:
        return sum(1 for s in self.steps if s.done)

    def as_dict(self) -> dict:
        return {
            "unit": self.unit.pk,
            "year": self.year,
            "steps": [s.as_dict() for s in self.steps],
        }


def _d(day) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def _installed(app: str) -> bool:
    return apps.is_installed(f"govqms.{app}")


def _missing(label: str, app: str) -> Check:
    return Check(
        label,
        False,
        _("Not recorded in govqms (the %(app)s module is not installed).") % {"app": app},
    )


# ---------------------------------------------------------------- 1 built


def _policy_check(unit: Unit, year: int) -> Check:
    label = _("Quality policy for %(year)s") % {"year": year}
    if not _installed("planning"):
        return _missing(label, "planning")
    from govqms.planning.selectors import policy

    link, version = policy(unit, year)
    links = [{"label": _("Policy and objectives"), "url": url("planning_objectives", unit.pk)}]
    if link is None:
        return Check(label, False, _("No quality policy is set for the year."), links)
    doc_link = [{"label": str(link.document), "url": url("document_detail", link.document_id)}]
    if version is None:
        return Check(label, False, _("The policy document has no version in force."), doc_link)
    return Check(
        label,
        True,
        _("%(doc)s, issue %(n)s in force") % {"doc": link.document.code, "n": version.issue_no},
        doc_link,
    )


def _objectives_check(unit: Unit, year: int) -> Check:
    label = _("Quality objectives for %(year)s") % {"year": year}
    if not _installed("planning"):
        return _missing(label, "planning")
    from govqms.planning.models import Objective

    n = Objective.objects.filter(unit=unit, year=year).count()
    links = [{"label": _("Objectives"), "url": url("planning_objectives", unit.pk)}]
    if not n:
        return Check(label, False, _("No quality objective is set for the year."), links)
    return Check(label, True, _("%(n)s objectives") % {"n": n}, links)


def _coverage_check(unit: Unit) -> Check:
    from govqms.procedures.selectors import coverage

    c = coverage(unit)
    label = _("Operational procedures in force for the assigned administrative procedures")
    links = [{"label": _("Administrative procedures"), "url": url("agency_procedures", unit.pk)}]
    if not c.assigned:
        return Check(
            label, False, _("No administrative procedure is assigned to the agency."), links
        )
    detail = _("%(c)s of %(a)s covered") % {"c": c.covered, "a": c.assigned}
    return Check(label, c.covered == c.assigned, detail, links)


# ---------------------------------------------------------------- 2 applied


def _audits_done(unit: Unit, year: int | None = None):
    from govqms.audits.selectors import completed_audits

    return completed_audits(unit, year).order_by("-year", "-planned_start")


def _audit_check(unit: Unit, year: int | None) -> Check:
    if year is None:
        label = _("An internal audit completed")
    else:
        label = _("Internal audit completed in %(year)s") % {"year": year}
    if not _installed("audits"):
        return _missing(label, "audits")
    plan = _audits_done(unit, year).first()
    if plan is None:
        return Check(
            label,
            False,
            _("No internal audit was completed."),
            [{"label": _("Internal audits"), "url": url("audit_plan_list", unit.pk)}],
        )
    return Check(
        label,
        True,
        _("%(title)s (%(year)s)") % {"title": plan.title, "year": plan.year},
        [{"label": plan.title, "url": url("audit_plan_detail", plan.pk)}],
    )


def _nonconformity_check(unit: Unit, today: dt.date) -> Check:
    label = _("Nonconformities handled")
    if not _installed("improvement"):
        return _missing(label, "improvement")
    from govqms.improvement.models import CorrectiveAction, Nonconformity, Status
    from govqms.improvement.selectors import overdue_actions_q

    links = [{"label": _("Nonconformities"), "url": url("nc_list", unit.pk)}]
    late_nc = list(
        Nonconformity.objects.filter(unit=unit, due_date__lt=today)
        .exclude(status=Status.CLOSED)
        .order_by("due_date")[:5]
    )
    late_actions = (
        CorrectiveAction.objects.filter(overdue_actions_q(today), nonconformity__unit=unit)
        .exclude(nonconformity__status=Status.CLOSED)
        .count()
    )
    unraised = []
    if _installed("audits"):
        from govqms.audits.models import DONE_STATUSES, NC_GRADES, Finding

        unraised = list(
            Finding.objects.filter(
                plan__unit=unit,
                plan__status__in=DONE_STATUSES,
                grade__in=NC_GRADES,
                nonconformity_id="",
            )
            .select_related("plan")
            .order_by("plan_id", "pk")[:5]
        )
    if unraised:
        links += [
            {
                "label": _("%(audit)s: finding %(clause)s without a nonconformity")
                % {"audit": fd.plan.title, "clause": fd.clause},
                "url": url("audit_plan_detail", fd.plan_id),
            }
            for fd in unraised
        ]
    total = Nonconformity.objects.filter(unit=unit).count()
    closed = Nonconformity.objects.filter(unit=unit, status=Status.CLOSED).count()
    if late_nc or late_actions or unraised:
        parts = []
        if late_nc or late_actions:
            parts.append(
                _("%(n)s nonconformities past their due date, %(a)s corrective actions overdue")
                % {"n": len(late_nc), "a": late_actions}
            )
        if unraised:
            parts.append(
                _("%(n)s audit nonconformities not raised as records") % {"n": len(unraised)}
            )
        links += [
            {"label": f"{nc.number} {nc.title}", "url": url("nc_detail", unit.pk, nc.pk)}
            for nc in late_nc
        ]
        return Check(label, False, "; ".join(parts), links)
    return Check(
        label,
        True,
        _("%(closed)s of %(total)s closed, none overdue") % {"closed": closed, "total": total},
        links,
    )


def _held_reviews(unit: Unit, year: int | None):
    from govqms.reviews.models import ManagementReview, ReviewStatus

    qs = ManagementReview.objects.filter(
        unit=unit, status__in=[ReviewStatus.HELD, ReviewStatus.MINUTES_ISSUED]
    )
    if year is not None:
        qs = qs.filter(
            held_at__date__gte=dt.date(year, 1, 1), held_at__date__lte=dt.date(year, 12, 31)
        )
    return qs.order_by("-held_at")


def _review_check(unit: Unit, year: int | None) -> Check:
    if year is None:
        label = _("A management review held")
    else:
        label = _("Management review held in %(year)s") % {"year": year}
    if not _installed("reviews"):
        return _missing(label, "reviews")
    review = _held_reviews(unit, year).first()
    if review is None:
        return Check(
            label,
            False,
            _("No management review was held."),
            [{"label": _("Management reviews"), "url": url("review_list", unit.pk)}],
        )
    return Check(
        label,
        True,
        _("%(title)s, %(date)s") % {"title": review.title, "date": _d(review.date)},
        [{"label": review.title, "url": url("review_detail", unit.pk, review.pk)}],
    )


# ---------------------------------------------------------------- 3 announced


def _announcement_check(unit: Unit) -> Check:
    st = selectors.announcement_status(unit)
    label = _("Conformity announcement current")
    links = [{"label": _("Conformity announcements"), "url": url("announcement_list", unit.pk)}]
    if st.status == selectors.NONE:
        return Check(
            label,
            False,
            _("The agency has never announced its conformity."),
            links + [{"label": r["label"], "url": r["url"]} for r in st.reasons],
        )
    ann = st.current
    if st.status == selectors.NEEDED:
        return Check(
            label,
            False,
            _("Re-announcement needed since %(number)s of %(date)s")
            % {"number": ann.decision_number, "date": _d(ann.decision_date)},
            links + [{"label": r["label"], "url": r["url"]} for r in st.reasons],
        )
    return Check(
        label,
        True,
        _("%(number)s of %(date)s")
        % {"number": ann.decision_number, "date": _d(ann.decision_date)},
        links,
    )


# ---------------------------------------------------------------- 4 maintained


def _legal_check(unit: Unit, year: int, today: dt.date) -> Check:
    from govqms.documents.models import UpdateTask, UpdateTaskStatus

    label = _("Legal updates folded in within 3 months")
    links = [{"label": _("Legal update tasks"), "url": url("update_task_list", unit.pk)}]
    tasks = UpdateTask.objects.filter(document__unit=unit).select_related(
        "document", "legal_document"
    )
    overdue = list(tasks.filter(status=UpdateTaskStatus.OPEN, due__lt=today).order_by("due")[:5])
    late_done = [
        t
        for t in tasks.filter(status=UpdateTaskStatus.DONE, done_at__year=year)
        if t.done_at and timezone.localtime(t.done_at).date() > t.due
    ]
    if overdue or late_done:
        parts = []
        if overdue:
            parts.append(_("%(n)s open past their 3 months") % {"n": len(overdue)})
        if late_done:
            parts.append(_("%(n)s folded in late this year") % {"n": len(late_done)})
        links += [
            {
                "label": _("%(doc)s: %(law)s, due %(due)s")
                % {"doc": t.document.code, "law": t.legal_document.number, "due": _d(t.due)},
                "url": url("document_detail", t.document_id),
            }
            for t in (overdue + late_done)[:5]
        ]
        return Check(label, False, "; ".join(parts), links)
    open_n = tasks.filter(status=UpdateTaskStatus.OPEN).count()
    detail = _("%(n)s open, none past due") % {"n": open_n} if open_n else _("Nothing overdue")
    return Check(label, True, detail, links)


def lifecycle(unit: Unit, year: int | None = None, *, today: dt.date | None = None) -> Lifecycle:
    today = today or timezone.localdate()
    year = year or today.year
    announced = _announcement_check(unit)
    steps = [
        Step(
            "built",
            1,
            _("Built"),
            [_policy_check(unit, year), _objectives_check(unit, year), _coverage_check(unit)],
        ),
        Step(
            "applied",
            2,
            _("Applied"),
            [
                _audit_check(unit, None),
                _nonconformity_check(unit, today),
                _review_check(unit, None),
            ],
        ),
        Step("announced", 3, _("Conformity announced"), [announced]),
        Step(
            "maintained",
            4,
            _("Maintained this year"),
            [
                _audit_check(unit, year),
                _review_check(unit, year),
                _legal_check(unit, year, today),
                announced,
            ],
        ),
    ]
    return Lifecycle(unit, year, steps)
