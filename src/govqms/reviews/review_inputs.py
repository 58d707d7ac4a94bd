"""The inputs of a management review that the review itself provides (9.3.2):
the status of earlier reviews' actions, changes in external and internal issues,
process performance (the dossier KPIs), and the two inputs the secretary enters by
hand (external providers, resources). Registered from ReviewsConfig.ready()."""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from govqms.organizations.models import Membership

from .inputs import Section, current_reader, current_review, register
from .models import ActionStatus, ReviewDecision, ReviewStatus


def _d(day) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


# ---------------------------------------------------------------- 9.3.2 a


@register("previous_actions")
def previous_actions(unit, start, end) -> Section:
    """Actions decided by the agency's earlier reviews: every one still open, and those
    closed since the period began."""
    review = current_review.get()
    qs = (
        ReviewDecision.objects.filter(
            unit=unit,
            review__status__in=[ReviewStatus.HELD, ReviewStatus.MINUTES_ISSUED],
            review__held_at__date__lte=end,
        )
        .filter(Q(status=ActionStatus.OPEN) | Q(done_on__gte=start))
        .select_related("review", "owner")
        .order_by("review__held_at", "pk")
    )
    if review is not None and review.pk:
        qs = qs.exclude(review=review)
    today = timezone.localdate()
    rows, done, overdue = [], 0, 0
    for d in qs:
        if d.status == ActionStatus.DONE:
            done += 1
            state = _("done on %s") % _d(d.done_on)
        elif d.is_overdue(today):
            overdue += 1
            state = _("overdue")
        else:
            state = _("open")
        rows.append(
            [
                d.review.title,
                d.text,
                d.owner.display_name if d.owner else "",
                _d(d.due_date),
                state,
            ]
        )
    total = len(rows)
    if not total:
        return Section(
            summary=_("No action from an earlier review is open or was closed in the period.")
        )
    return Section(
        summary=_(
            "%(total)s actions from earlier reviews: %(done)s done, %(open)s open "
            "(%(overdue)s overdue)."
        )
        % {"total": total, "done": done, "open": total - done, "overdue": overdue},
        columns=[
            _("Review"),
            pgettext("an action to carry out", "Action"),
            _("Owner"),
            _("Due"),
            _("Status"),
        ],
        rows=rows,
        links=[
            {
                "label": _("Actions of management reviews"),
                "url": reverse("review_actions", args=[unit.pk]),
            }
        ],
        figures={"total": total, "done": done, "open": total - done, "overdue": overdue},
    )


# ---------------------------------------------------------------- 9.3.2 b


@register("context_changes")
def context_changes(unit, start, end) -> Section:
    """Legal changes to fold into the agency's documents, changes to its TTHC and
    their assignment, and restructurings of the agency, in the period."""
    from govqms.documents.models import UpdateTask
    from govqms.organizations.models import UnitChange
    from govqms.procedures.models import Assignment, ProcedureRevision

    rows, links = [], []
    figures = {"legal_updates": 0, "procedure_changes": 0, "assignments": 0, "restructurings": 0}

    tasks = (
        UpdateTask.objects.filter(document__unit=unit)
        .filter(
            Q(created_at__date__gte=start, created_at__date__lte=end)
            | Q(done_at__date__gte=start, done_at__date__lte=end)
            | Q(status="open", created_at__date__lt=start)
        )
        .select_related("legal_document", "document")
        .order_by("due", "pk")
    )
    for task in tasks:
        figures["legal_updates"] += 1
        state = _("folded in") if task.status == "done" else _("due %s") % _d(task.due)
        rows.append(
            [
                _("Legal update"),
                f"{task.legal_document.number} → {task.document.code}: {task.reason}",
                _d(timezone.localtime(task.created_at).date()),
                state,
            ]
        )

    revisions = (
        ProcedureRevision.objects.filter(
            changed_at__date__gte=start,
            changed_at__date__lte=end,
            procedure__assignments__unit=unit,
        )
        .filter(
            Q(procedure__assignments__ended_on__isnull=True)
            | Q(procedure__assignments__ended_on__gte=start)
        )
        .select_related("procedure")
        .distinct()
        .order_by("changed_at", "pk")
    )
    for rev in revisions:
        figures["procedure_changes"] += 1
        changed = ", ".join(sorted(rev.changes)) if isinstance(rev.changes, dict) else ""
        rows.append(
            [
                _("TTHC changed"),
                f"{rev.procedure.code} {rev.procedure.name}"
                + (f" ({rev.announced_by})" if rev.announced_by else "")
                + (f": {changed}" if changed else ""),
                _d(timezone.localtime(rev.changed_at).date()),
                "",
            ]
        )

    assignments = (
        Assignment.objects.filter(unit=unit)
        .filter(
            Q(assigned_on__gte=start, assigned_on__lte=end)
            | Q(ended_on__gte=start, ended_on__lte=end)
        )
        .select_related("procedure")
        .order_by("assigned_on", "pk")
    )
    for a in assignments:
        figures["assignments"] += 1
        ended = a.ended_on and start <= a.ended_on <= end
        rows.append(
            [
                _("TTHC no longer assigned") if ended else _("TTHC assigned"),
                f"{a.procedure.code} {a.procedure.name}",
                _d(a.ended_on if ended else a.assigned_on),
                "",
            ]
        )

    changes = (
        UnitChange.objects.filter(date__gte=start, date__lte=end)
        .filter(Q(from_units=unit) | Q(to_units=unit))
        .distinct()
        .order_by("date", "pk")
    )
    for change in changes:
        figures["restructurings"] += 1
        rows.append(
            [
                _("Restructuring"),
                f"{change.get_kind_display()}: {change.legal_basis}",
                _d(change.date),
                "",
            ]
        )

    if not rows:
        return Section(
            summary=_("No legal update, TTHC change or restructuring in the period."),
            figures=figures,
        )
    links.append(
        {
            "label": _("Administrative procedures"),
            "url": reverse("agency_procedures", args=[unit.pk]),
        }
    )
    return Section(
        summary=_(
            "%(legal)s legal updates, %(revisions)s TTHC changes, %(assignments)s assignment "
            "changes, %(restructurings)s restructurings."
        )
        % {
            "legal": figures["legal_updates"],
            "revisions": figures["procedure_changes"],
            "assignments": figures["assignments"],
            "restructurings": figures["restructurings"],
        },
        columns=[_("Change"), _("What"), _("Date"), _("Status")],
        rows=rows,
        links=links,
        figures=figures,
    )


# ---------------------------------------------------------------- 9.3.2 c (process performance)


def _reader(unit):
    """The user the KPI selectors read for: the one compiling the review, else any
    active member of the agency (the figures are the agency's own)."""
    reader = current_reader.get()
    if reader is not None and getattr(reader, "is_authenticated", False):
        return reader
    membership = Membership.objects.active_on().filter(unit=unit).select_related("user").first()
    return membership.user if membership else None


@register("process_performance")
def process_performance(unit, start, end) -> Section:
    from govqms.kpis import selectors as kpis
    from govqms.kpis.services import month_of

    reader = _reader(unit)
    if reader is None:
        return Section(summary=_("No dossier figures recorded in the period."))
    period = kpis.Period(month_of(start), month_of(end))
    total = kpis.agency_kpis(reader, unit, period)
    if not (total.received or total.resolved or total.overdue_open):
        return Section(
            summary=_("No dossier figures recorded in the period."), figures=total.as_dict()
        )
    steps = kpis.slowest_steps(reader, unit, period, limit=100)
    slowest = {}
    for step in steps:  # sorted slowest first: keep each TTHC's slowest step
        slowest.setdefault(step["procedure"], step)
    rows = []
    for item in kpis.agency_procedures(reader, unit, period):
        k = item["kpis"]
        step = slowest.get(item["code"])
        rows.append(
            [
                f"{item['code']} {item['name']}".strip(),
                k.received,
                k.resolved,
                "" if k.on_time_rate is None else f"{k.on_time_rate} %",
                k.overdue_open,
                f"{step['step']} ({step['mean_hours']} h)" if step else "",
            ]
        )
    rate = "—" if total.on_time_rate is None else f"{total.on_time_rate} %"
    return Section(
        summary=_(
            "%(received)s dossiers received, %(resolved)s resolved, %(rate)s early or on "
            "time, %(overdue)s open past their due time (%(start)s–%(end)s)."
        )
        % {
            "received": total.received,
            "resolved": total.resolved,
            "rate": rate,
            "overdue": total.overdue_open,
            "start": f"{period.start:%m/%Y}",
            "end": f"{period.end:%m/%Y}",
        },
        columns=[
            _("TTHC"),
            _("Received"),
            _("Resolved"),
            _("On time"),
            _("Overdue"),
            _("Slowest step"),
        ],
        rows=rows,
        links=[
            {
                "label": _("Service KPIs"),
                "url": reverse("kpi_agency_dashboard", args=[unit.pk]) + "?" + period.query(),
            }
        ],
        figures=total.as_dict(),
    )


# ---------------------------------------------------------------- 9.3.2 e, f (manual)


def _manual(field: str, nothing: str):
    review = current_review.get()
    text = (getattr(review, field, "") or "").strip() if review is not None else ""
    if not text:
        return Section(summary=nothing)
    return Section(summary=text, figures={"manual": True})


@register("external_providers")
def external_providers(unit, start, end) -> Section:
    return _manual("external_providers", _("Not entered for this review."))


@register("resources")
def resources(unit, start, end) -> Section:
    return _manual("resources", _("Not entered for this review."))
