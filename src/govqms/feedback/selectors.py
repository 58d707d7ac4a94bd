"""Every read of the survey and of complaints, filtered to what the user may see.

- `satisfaction_index(unit, start, end)` is the computation other apps use (the
  caller has already checked the unit): the mean score scaled to 0-100 % and the
  share of satisfied answers (4 or 5), overall, per TTHC and per question.
- The agency's records are read after `organizations.selectors.get_internal_unit`
  (404 for outsiders, overseers' reads logged); complaints are looked up inside it.
- The complainant's name and contact are shown to the agency's managers only
  (`can_see_personal`).
- `public_*`: what the public forms need, nothing internal."""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Avg, Count, F, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from govqms.core.text import fold, search_terms
from govqms.organizations import selectors as org
from govqms.organizations.models import Unit
from govqms.procedures.models import AdministrativeProcedure

from .models import OPEN_STATUSES, Complaint, Status, SurveyAnswer, SurveyQuestion, SurveyResponse
from .rules import MANAGER_ROLES

SATISFIED = 4

# ---------------------------------------------------------------- periods


@dataclass(frozen=True)
class Period:
    kind: str  # month / quarter / year
    year: int
    number: int  # month 1-12, quarter 1-4, 1 for a year

    @property
    def start(self) -> dt.date:
        if self.kind == "month":
            return dt.date(self.year, self.number, 1)
        if self.kind == "quarter":
            return dt.date(self.year, 3 * self.number - 2, 1)
        return dt.date(self.year, 1, 1)

    @property
    def end(self) -> dt.date:
        if self.kind == "month":
            last = _calendar.monthrange(self.year, self.number)[1]
            return dt.date(self.year, self.number, last)
        if self.kind == "quarter":
            month = 3 * self.number
            return dt.date(self.year, month, _calendar.monthrange(self.year, month)[1])
        return dt.date(self.year, 12, 31)

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"{self.number:02d}/{self.year}"
        if self.kind == "quarter":
            return _("Quarter %(q)s/%(y)s") % {"q": self.number, "y": self.year}
        return _("Year %(y)s") % {"y": self.year}

    @property
    def query(self) -> str:
        return f"period={self.kind}&year={self.year}&n={self.number}"


def parse_period(params, today: dt.date | None = None) -> Period:
    """`period` (month/quarter/year), `year`, `n`; the current quarter by default."""
    today = today or timezone.localdate()
    kind = params.get("period") if params.get("period") in ("month", "quarter", "year") else None
    try:
        year = int(params.get("year") or today.year)
    except (TypeError, ValueError):
        year = today.year
    year = min(max(year, 2000), today.year + 1)
    kind = kind or "quarter"
    default = {"month": today.month, "quarter": (today.month - 1) // 3 + 1, "year": 1}[kind]
    try:
        number = int(params.get("n") or default)
    except (TypeError, ValueError):
        number = default
    top = {"month": 12, "quarter": 4, "year": 1}[kind]
    number = min(max(number, 1), top)
    return Period(kind, year, number)


# ---------------------------------------------------------------- the index


def _scale(mean: float | None) -> float | None:
    """A mean score of 1-5 on 0-100 % (1 -> 0 %, 5 -> 100 %)."""
    if mean is None:
        return None
    return round((float(mean) - 1) / 4 * 100, 1)


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclass
class IndexRow:
    key: object
    label: str
    responses: int
    answers: int
    mean: float | None
    satisfied: int

    @property
    def index(self) -> float | None:
        return _scale(self.mean)

    @property
    def satisfied_share(self) -> float | None:
        return _share(self.satisfied, self.answers)

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "label": self.label,
            "responses": self.responses,
            "answers": self.answers,
            "mean": None if self.mean is None else round(float(self.mean), 2),
            "index": self.index,
            "satisfied_share": self.satisfied_share,
        }


@dataclass
class SatisfactionIndex:
    unit: Unit
    start: dt.date
    end: dt.date
    responses: int
    answers: int
    mean: float | None
    satisfied: int
    by_procedure: list[IndexRow] = field(default_factory=list)
    by_question: list[IndexRow] = field(default_factory=list)

    @property
    def index(self) -> float | None:
        return _scale(self.mean)

    @property
    def satisfied_share(self) -> float | None:
        return _share(self.satisfied, self.answers)

    def as_dict(self) -> dict:
        return {
            "unit": self.unit.pk,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "responses": self.responses,
            "answers": self.answers,
            "mean": None if self.mean is None else round(float(self.mean), 2),
            "index": self.index,
            "satisfied_share": self.satisfied_share,
            "by_procedure": [r.as_dict() for r in self.by_procedure],
            "by_question": [r.as_dict() for r in self.by_question],
        }


def _bounds(start: dt.date, end: dt.date):
    tz = timezone.get_current_timezone()
    lo = timezone.make_aware(dt.datetime.combine(start, dt.time.min), tz)
    hi = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min), tz)
    return lo, hi


def _answers(unit_ids, start: dt.date, end: dt.date) -> QuerySet[SurveyAnswer]:
    lo, hi = _bounds(start, end)
    return SurveyAnswer.objects.filter(
        response__unit_id__in=unit_ids,
        response__submitted_at__gte=lo,
        response__submitted_at__lt=hi,
    )


_AGG = {
    "answers": Count("pk"),
    "responses": Count("response_id", distinct=True),
    "mean": Avg("score"),
    "satisfied": Count("pk", filter=Q(score__gte=SATISFIED)),
}


def satisfaction_index(unit: Unit, start: dt.date, end: dt.date) -> SatisfactionIndex:
    """The satisfaction of `unit`'s survey responses submitted from `start` to `end`
    (local dates, both included). No user filter: check the unit first."""
    answers = _answers([unit.pk], start, end)
    total = answers.aggregate(**_AGG)
    by_procedure = []
    for row in answers.values("response__procedure_id").annotate(**_AGG).order_by():
        by_procedure.append(row)
    names = dict(
        (p.pk, f"{p.code} {p.name}")
        for p in AdministrativeProcedure.objects.filter(
            pk__in=[
                r["response__procedure_id"] for r in by_procedure if r["response__procedure_id"]
            ]
        )
    )
    procedure_rows = [
        IndexRow(
            key=r["response__procedure_id"],
            label=names.get(r["response__procedure_id"]) or _("Other / not stated"),
            responses=r["responses"],
            answers=r["answers"],
            mean=r["mean"],
            satisfied=r["satisfied"],
        )
        for r in by_procedure
    ]
    procedure_rows.sort(key=lambda r: (-(r.responses), r.label))
    question_rows = []
    texts = dict(SurveyQuestion.objects.filter(unit=unit).values_list("pk", "text"))
    orders = dict(SurveyQuestion.objects.filter(unit=unit).values_list("pk", "order"))
    for r in answers.values("question_id").annotate(**_AGG).order_by():
        question_rows.append(
            IndexRow(
                key=r["question_id"],
                label=texts.get(r["question_id"], "?"),
                responses=r["responses"],
                answers=r["answers"],
                mean=r["mean"],
                satisfied=r["satisfied"],
            )
        )
    question_rows.sort(key=lambda r: (orders.get(r.key, 0), r.key))
    return SatisfactionIndex(
        unit=unit,
        start=start,
        end=end,
        responses=total["responses"] or 0,
        answers=total["answers"] or 0,
        mean=total["mean"],
        satisfied=total["satisfied"] or 0,
        by_procedure=procedure_rows,
        by_question=question_rows,
    )


def monthly_index(unit: Unit, start: dt.date, end: dt.date) -> list[dict]:
    """Per month of the period: responses and index (for the trend chart)."""
    rows = []
    month = start.replace(day=1)
    while month <= end:
        last = month.replace(day=_calendar.monthrange(month.year, month.month)[1])
        agg = _answers([unit.pk], max(month, start), min(last, end)).aggregate(**_AGG)
        rows.append(
            {
                "month": f"{month.month:02d}/{month.year}",
                "responses": agg["responses"] or 0,
                "index": _scale(agg["mean"]),
            }
        )
        month = (last + dt.timedelta(days=1)).replace(day=1)
    return rows


def oversight_ranking(user, start: dt.date, end: dt.date) -> list[dict]:
    """The agencies of the user's subtree with their index, best first; agencies
    without responses last."""
    if not org.is_oversight_user(user):
        return []
    units = list(org.supervised_units(user, in_remit=True))
    stats = {
        r["response__unit_id"]: r
        for r in _answers([u.pk for u in units], start, end)
        .values("response__unit_id")
        .annotate(**_AGG)
        .order_by()
    }
    complaints = {
        r["unit_id"]: r
        for r in Complaint.objects.filter(
            unit__in=units, received_on__gte=start, received_on__lte=end
        )
        .values("unit_id")
        .annotate(
            received=Count("pk"),
            overdue=Count(
                "pk", filter=Q(status__in=OPEN_STATUSES, due_date__lt=timezone.localdate())
            ),
        )
        .order_by()
    }
    rows = []
    for unit in units:
        s = stats.get(unit.pk) or {}
        c = complaints.get(unit.pk) or {}
        rows.append(
            {
                "unit": unit,
                "responses": s.get("responses", 0),
                "index": _scale(s.get("mean")),
                "satisfied_share": _share(s.get("satisfied", 0), s.get("answers", 0)),
                "complaints": c.get("received", 0),
                "overdue": c.get("overdue", 0),
            }
        )
    rows.sort(key=lambda r: (r["index"] is None, -(r["index"] or 0), r["unit"].name))
    return rows


# ---------------------------------------------------------------- who may do what


def can_manage(user, unit: Unit) -> bool:
    return bool(org.roles_in(user, unit) & MANAGER_ROLES)


def can_see_personal(user, unit: Unit) -> bool:
    """The complainant's name and contact: the agency's managers only."""
    return can_manage(user, unit)


def can_answer(user, complaint: Complaint) -> bool:
    return user.has_perm("feedback.answer_complaint", complaint)


# ---------------------------------------------------------------- questions and responses


def questions(unit: Unit, year: int) -> list[SurveyQuestion]:
    return list(SurveyQuestion.objects.filter(unit=unit, year=year, active=True))


def responses(
    user,
    unit: Unit,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    procedure=None,
    query: str | None = None,
) -> QuerySet[SurveyResponse]:
    if not org.can_view_internal(user, unit):
        raise Http404("No such agency.")
    qs = SurveyResponse.objects.filter(unit=unit)
    if start and end:
        lo, hi = _bounds(start, end)
        qs = qs.filter(submitted_at__gte=lo, submitted_at__lt=hi)
    if procedure == "other":
        qs = qs.filter(procedure=None)
    elif procedure:
        qs = qs.filter(procedure_id=procedure)
    for term in search_terms(query):
        qs = qs.filter(search_text__contains=term)
    return qs.select_related("procedure").prefetch_related("answers__question")


def response_procedures(unit: Unit) -> list[AdministrativeProcedure]:
    return list(
        AdministrativeProcedure.objects.filter(
            pk__in=SurveyResponse.objects.filter(unit=unit).values("procedure_id")
        ).order_by("code")
    )


# ---------------------------------------------------------------- complaints


def complaints(
    user,
    unit: Unit,
    *,
    query: str | None = None,
    status: str | None = None,
    channel: str | None = None,
    overdue: bool = False,
    assigned_to_me: bool = False,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> QuerySet[Complaint]:
    if not org.can_view_internal(user, unit):
        raise Http404("No such agency.")
    qs = Complaint.objects.filter(unit=unit)
    for term in search_terms(query):
        qs = qs.filter(search_text__contains=term)
    if status in Status.values:
        qs = qs.filter(status=status)
    if channel:
        qs = qs.filter(channel=channel)
    if overdue:
        qs = qs.filter(status__in=OPEN_STATUSES, due_date__lt=timezone.localdate())
    if assigned_to_me:
        qs = qs.filter(assigned_to=user)
    if start:
        qs = qs.filter(received_on__gte=start)
    if end:
        qs = qs.filter(received_on__lte=end)
    return qs.select_related("procedure", "assigned_to")


def get_complaint(user, pk, *, what: str = "Complaint") -> Complaint:
    """A complaint of an agency the user may see (404 otherwise); oversight reads are
    logged on the agency."""
    unit_pk = Complaint.objects.filter(pk=pk).values_list("unit_id", flat=True).first()
    if unit_pk is None:
        raise Http404("No such complaint.")
    unit = org.get_internal_unit(user, unit_pk, what=what)
    return get_object_or_404(
        Complaint.objects.select_related("unit", "procedure", "assigned_to"), unit=unit, pk=pk
    )


def complaint_figures(unit: Unit, start: dt.date, end: dt.date, today=None) -> dict:
    today = today or timezone.localdate()
    qs = Complaint.objects.filter(unit=unit, received_on__gte=start, received_on__lte=end)
    return qs.aggregate(
        received=Count("pk"),
        answered=Count("pk", filter=Q(status__in=[Status.ANSWERED, Status.CLOSED])),
        answered_late=Count(
            "pk",
            filter=Q(status__in=[Status.ANSWERED, Status.CLOSED], responded_on__gt=F("due_date")),
        ),
        overdue=Count("pk", filter=Q(status__in=OPEN_STATUSES, due_date__lt=today)),
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
    )


def assignable_users(unit: Unit):
    from django.contrib.auth import get_user_model

    from govqms.organizations.models import AGENCY_ROLES, Membership

    ids = Membership.objects.active_on().filter(unit=unit, role__in=AGENCY_ROLES).values("user_id")
    return get_user_model().objects.filter(pk__in=ids).order_by("full_name", "username")


# ---------------------------------------------------------------- public forms


def public_unit(code: str) -> Unit:
    """An active agency taking public feedback, by its code (404 otherwise): an
    agency of the DoST's remit (the public list of agencies), not any unit."""
    unit = Unit.objects.active_on().filter(code=code, in_dost_remit=True).first()
    if unit is None:
        raise Http404("No such agency.")
    return unit


def public_procedures(unit: Unit, query: str | None = None) -> list[dict]:
    """The agency's assigned TTHC, for the chooser: id, code, name and folded text."""
    from govqms.procedures.models import Assignment

    qs = (
        Assignment.objects.filter(unit=unit, ended_on=None)
        .select_related("procedure")
        .order_by("procedure__code")
    )
    rows = [
        {
            "id": a.procedure_id,
            "code": a.procedure.code,
            "name": a.procedure.name,
            "folded": fold(f"{a.procedure.code} {a.procedure.name}"),
        }
        for a in qs
    ]
    terms = search_terms(query)
    if terms:
        rows = [r for r in rows if all(t in r["folded"] for t in terms)]
    return rows


def public_procedure(unit: Unit, pk) -> AdministrativeProcedure | None:
    from govqms.procedures.models import Assignment

    if not pk or pk == "other":
        return None
    try:
        return Assignment.objects.get(unit=unit, procedure_id=int(pk), ended_on=None).procedure
    except (Assignment.DoesNotExist, ValueError, TypeError):
        return None
