"""Time classification of dossiers (DOMAIN.md, "Dossiers and time"), through the
working-day engine `govqms.core.calendar` only.

Rules
    * Due date = receipt + the TTHC's limit in working days
      (`Calendar.add_working_days`; counter and post dossiers received after the
      paper cutoff, 15:00, count from the next working day; a fractional limit is
      added in working hours, 8 hours a day). Without a TTHC in the catalogue, the
      due date reported by the source is used.
    * A supplement request stops the clock; when the complete supplement arrives
      it restarts from zero: due = supplement received + the limit. While a
      supplement is awaited an open dossier is "in time" (the clock is stopped).
    * Resolved (or delivered) dossiers: **late** if resolved after the due instant;
      otherwise **early** if resolved on a date before the due date, **on time** if
      on the due date itself (dates in Vietnam's time).
      Open dossiers: **overdue** if now is after the due instant, else **in time**.
      Refused, withdrawn and stopped dossiers have no outcome.
    * Steps: an event marks the end of its step (XES "complete"); the step's working
      time runs from the previous event (or the receipt). It is matched to the steps
      of the effective operational procedure that covers the TTHC in the agency
      (`procedures.Assignment.document`, content["steps"] with "hours") by name or
      step code, else by order; on time if within its allotted hours.
    * Apology: compliant when the (first) apology is issued at least one working day
      before the due date and a new date is set at most once. A late dossier without
      an apology is not compliant; a dossier with no apology and not late: None.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from govqms.core.calendar import Calendar, CalendarRangeError, local_date
from govqms.core.text import fold

from .models import (
    CLOSED_STATUSES,
    DONE_STATUSES,
    STATUS_AFTER,
    Channel,
    Dossier,
    DossierEvent,
    DossierStatus,
    EventKind,
    Outcome,
)

CHUNK = 2000
STEP_KINDS = {EventKind.TRANSFERRED, EventKind.RESOLVED, EventKind.RECEIVED, EventKind.DELIVERED}


@dataclass
class Ev:
    at: dt.datetime
    kind: str
    step: str = ""
    new_due_at: dt.datetime | None = None
    pk: int | None = None


@dataclass
class Facts:
    received_at: dt.datetime
    events: list[Ev]
    limit_days: Decimal | None = None
    channel: str = ""
    reported_due_at: dt.datetime | None = None
    reported_status: str = ""
    resolved_at: dt.datetime | None = None
    delivered_at: dt.datetime | None = None
    steps: list[dict] = field(default_factory=list)


@dataclass
class Result:
    due_at: dt.datetime | None
    status: str
    resolved_at: dt.datetime | None
    delivered_at: dt.datetime | None
    outcome: str
    clock_restarts: int = 0
    apology_at: dt.datetime | None = None
    apology_new_due_at: dt.datetime | None = None
    apology_count: int = 0
    apology_compliant: bool | None = None
    steps_late: int = 0
    # pk -> (hours, allotted hours, on time) for the events matched to a step
    step_times: dict = field(default_factory=dict)


def due_from(cal: Calendar, start: dt.datetime, limit: Decimal, channel: str) -> dt.datetime:
    cutoff = cal.paper_cutoff if channel in (Channel.COUNTER, Channel.POST) else None
    if limit == int(limit):
        return cal.add_working_days(start, int(limit), cutoff=cutoff)
    return cal.add_working_hours(start, float(limit) * 8)


def classify(facts: Facts, cal: Calendar | None, now: dt.datetime) -> Result:
    events = sorted(facts.events, key=lambda e: e.at)
    # Status: reported, else the last event that changes it.
    status = DossierStatus.RECEIVED
    for e in events:
        status = STATUS_AFTER.get(e.kind, status)
    resolved_at = facts.resolved_at or next(
        (e.at for e in events if e.kind == EventKind.RESOLVED), None
    )
    delivered_at = facts.delivered_at or next(
        (e.at for e in events if e.kind == EventKind.DELIVERED), None
    )
    if facts.reported_status:
        status = facts.reported_status
    elif delivered_at and status not in CLOSED_STATUSES:
        status = DossierStatus.DELIVERED
    elif resolved_at and status not in CLOSED_STATUSES:
        status = DossierStatus.RESOLVED
    if status in DONE_STATUSES and resolved_at is None:
        resolved_at = delivered_at

    # Due date, with the clock restarted by each complete supplement.
    restarts = 0
    waiting = False
    due = None
    if facts.limit_days is not None and cal is not None:
        try:
            due = due_from(cal, facts.received_at, facts.limit_days, facts.channel)
            for e in events:
                if e.kind == EventKind.SUPPLEMENT_REQUESTED:
                    waiting = True
                elif e.kind == EventKind.SUPPLEMENT_RECEIVED and waiting:
                    due = due_from(cal, e.at, facts.limit_days, "")
                    restarts += 1
                    waiting = False
        except CalendarRangeError:
            due = None
    if due is None:
        due = facts.reported_due_at
        waiting = any(e.kind == EventKind.SUPPLEMENT_REQUESTED for e in events) and not any(
            e.kind == EventKind.SUPPLEMENT_RECEIVED for e in events
        )

    outcome = ""
    if due is not None:
        if status in DONE_STATUSES and resolved_at is not None:
            if resolved_at > due:
                outcome = Outcome.LATE
            elif local_date(resolved_at) < local_date(due):
                outcome = Outcome.EARLY
            else:
                outcome = Outcome.ON_TIME
        elif status not in CLOSED_STATUSES:
            outcome = Outcome.OVERDUE if (now > due and not waiting) else Outcome.IN_TIME

    result = Result(due, status, resolved_at, delivered_at, outcome, clock_restarts=restarts)

    # Apology: at least one working day before the due date; a new date at most once.
    apologies = [e for e in events if e.kind == EventKind.APOLOGY_ISSUED]
    if apologies:
        first = apologies[0]
        result.apology_at = first.at
        dates = [e.new_due_at for e in apologies if e.new_due_at]
        result.apology_new_due_at = dates[-1] if dates else None
        result.apology_count = len(apologies)
        ahead = None
        if due is not None and cal is not None:
            try:
                # Working days d with apology date <= d < due date: at least one.
                day = dt.timedelta(days=1)
                ahead = cal.working_days_between(local_date(first.at) - day, local_date(due) - day)
            except CalendarRangeError:
                ahead = None
        result.apology_compliant = bool(ahead is not None and ahead >= 1 and len(dates) <= 1)
    elif outcome in (Outcome.LATE, Outcome.OVERDUE):
        result.apology_compliant = False

    # Steps against their allotments.
    if facts.steps and cal is not None:
        work = [e for e in events if e.kind in STEP_KINDS]
        by_name = {}
        for s in facts.steps:
            for key in (s.get("name"), s.get("step")):
                if key:
                    by_name.setdefault(fold(str(key)), s)
        named = any(fold(e.step) in by_name for e in work if e.step)
        previous = facts.received_at
        order = 0
        for e in events:
            if e.kind not in STEP_KINDS:
                previous = e.at
                continue
            step = by_name.get(fold(e.step)) if named else None
            if not named:
                step = facts.steps[order] if order < len(facts.steps) else None
                order += 1
            hours_allotted = step.get("hours") if step else None
            if step is not None and hours_allotted not in (None, ""):
                try:
                    spent = cal.working_hours_between(previous, e.at)
                except CalendarRangeError:
                    spent = None
                if spent is not None:
                    allotted = float(hours_allotted)
                    on_time = spent <= allotted + 1e-9
                    result.step_times[e.pk] = (round(spent, 4), allotted, on_time)
                    result.steps_late += not on_time
            previous = e.at
    return result


# ---------------------------------------------------------------- in the database

DERIVED = [
    "due_at",
    "status",
    "resolved_at",
    "delivered_at",
    "outcome",
    "clock_restarts",
    "apology_at",
    "apology_new_due_at",
    "apology_count",
    "apology_compliant",
    "steps_late",
]


def _calendar_for(province: str, cache: dict) -> Calendar | None:
    if province not in cache:
        try:
            cache[province] = Calendar.for_scope(province, years=range(2005, 2041))
        except Exception:  # noqa: BLE001 - a broken calendar must not stop an import
            cache[province] = None
    return cache[province]


def _steps_for(pairs: set[tuple[int, int]]) -> dict[tuple[int, int], list[dict]]:
    """content["steps"] of the effective operational procedure of the open assignment
    linking each (agency, TTHC): the KPI facts' own reading (`classify_dossiers` hands
    them over to `ImportFacts`), so both judge a dossier against the same steps."""
    from govqms.kpis.services import documented_steps

    return documented_steps(pairs)


def classify_stored(
    received_at,
    evs: list[Ev],
    *,
    limit,
    channel,
    reported_due_at,
    reported_status,
    resolved_at,
    delivered_at,
    steps,
    province,
    calendars: dict,
    now: dt.datetime,
) -> Result:
    """`classify` of a dossier as stored (or about to be): its reported result and
    delivery count only when no event says them; the calendar of its province only
    when something needs one. Used by `classify_dossiers` and by the import, which
    classifies the new dossiers it has all the events of before inserting them."""
    needs_calendar = limit is not None or any(e.kind == EventKind.APOLOGY_ISSUED for e in evs)
    cal = _calendar_for(province, calendars) if needs_calendar or steps else None
    facts = Facts(
        received_at=received_at,
        events=evs,
        limit_days=limit,
        channel=channel,
        reported_due_at=reported_due_at,
        reported_status=reported_status,
        resolved_at=resolved_at
        if resolved_at and not any(e.kind == EventKind.RESOLVED for e in evs)
        else None,
        delivered_at=delivered_at
        if delivered_at and not any(e.kind == EventKind.DELIVERED for e in evs)
        else None,
        steps=steps,
    )
    return classify(facts, cal, now)


def _fact_events(evs: list[Ev], step_times: dict, stored: dict) -> list[tuple]:
    """(kind, step, hours, on time) of a dossier's events in the order of time and
    seq, with the step times as just written (else as stored)."""
    out = []
    for e in sorted(evs, key=lambda e: (e.at, stored[e.pk][0])):
        timing = step_times.get(e.pk)
        if timing is not None:
            out.append((e.kind, e.step, timing[0], timing[2]))
        else:
            _seq, hours, on_time = stored[e.pk]
            out.append((e.kind, e.step, hours, on_time))
    return out


def classify_dossiers(
    ids, *, now: dt.datetime | None = None, fact_sink=None, changed_ids: set | None = None
) -> int:
    """Classify the dossiers `ids` (after an import) and write what changed.
    Returns the number of dossiers whose derived fields changed (their ids are added
    to `changed_ids` when it is given).

    `fact_sink` (`kpis.services.ImportFacts.add`): called per chunk, after its writes,
    with the chunk's ids, dossiers, events and documented steps as they now stand,
    so the KPI facts are computed without reading them again."""
    from .imports.pipeline import read_events, update_many

    now = now or timezone.now()
    ids = sorted(ids)
    calendars: dict = {}
    changed_count = 0
    for start in range(0, len(ids), CHUNK):
        part = ids[start : start + CHUNK]
        dossiers = list(
            Dossier.objects.filter(pk__in=part)
            .order_by()
            .values_list(
                "id",
                "unit_id",
                "unit__province",
                "procedure_id",
                "procedure__time_limit_days",
                "channel",
                "received_at",
                "reported_due_at",
                "reported_status",
                *DERIVED,
            )
        )
        events: dict[int, list[Ev]] = {d[0]: [] for d in dossiers}
        timings: dict[int, tuple] = {}
        stored: dict[int, tuple] = {}  # pk -> (seq, hours, on_time) as stored
        for pk, dossier_id, at, kind, step, new_due, hours, allotted, on_time, seq in read_events(
            part,
            (
                "id",
                "dossier_id",
                "at",
                "kind",
                "step",
                "new_due_at",
                "hours",
                "allotted_hours",
                "on_time",
                "seq",
            ),  # fmt: skip
        ):
            events[dossier_id].append(Ev(at, kind, step, new_due, pk))
            if hours is not None:
                timings[pk] = (hours, allotted, bool(on_time))
            if fact_sink is not None:
                stored[pk] = (seq, hours, on_time)
        steps = _steps_for({(d[1], d[3]) for d in dossiers if d[3]})
        dossier_rows, event_rows = [], []
        fact_dossiers, fact_events = [], {}
        resolved_i = 9 + DERIVED.index("resolved_at")
        delivered_i = 9 + DERIVED.index("delivered_at")
        for d in dossiers:
            pk, unit_id, province, proc_id, limit, channel, received, reported_due = d[:8]
            evs = events[pk]
            r = classify_stored(
                received,
                evs,
                limit=limit,
                channel=channel,
                reported_due_at=reported_due,
                reported_status=d[8],
                resolved_at=d[resolved_i],
                delivered_at=d[delivered_i],
                steps=steps.get((unit_id, proc_id), []),
                province=province,
                calendars=calendars,
                now=now,
            )
            new = tuple(getattr(r, name) for name in DERIVED)
            if new != d[9:]:
                dossier_rows.append(new + (pk,))
            for e in evs:
                timing = r.step_times.get(e.pk)
                if timing is not None and timing != timings.get(e.pk):
                    event_rows.append(timing + (e.pk,))
            if fact_sink is not None:
                fact_dossiers.append(
                    (pk, unit_id, province, proc_id, received, r.resolved_at, r.due_at)
                    + (r.status, r.outcome)
                )
                fact_events[pk] = _fact_events(evs, r.step_times, stored)
        update_many(Dossier, DERIVED, dossier_rows)
        update_many(DossierEvent, ["hours", "allotted_hours", "on_time"], event_rows)
        changed_count += len(dossier_rows)
        if changed_ids is not None:
            changed_ids.update(row[-1] for row in dossier_rows)
        if fact_sink is not None:
            fact_sink(part, fact_dossiers, fact_events, steps)
    return changed_count
