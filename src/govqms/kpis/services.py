"""Writes of the KPI rollups (derived data, rebuilt from the dossiers).

    after_import(dossier_ids)          # the import pipeline calls it after each batch
    refresh_rollups(unit_ids, days)    # recompute exactly these (agency, day) cells
    rebuild_all(actor=None)            # `govqms refresh_rollups --all`

`after_import` recomputes the `DossierFact` of each touched dossier (reading only
those dossiers and their events), collects the cells it counted on before and
after, and refreshes those cells with a few GROUP BY queries over the facts. The
refresh is idempotent: the same cells recomputed give the same rows. The rollups
are derived from audited imports (one audit entry per batch there); a full
rebuild writes its own audit entry."""

from __future__ import annotations

import datetime as dt
import hashlib
from bisect import bisect_right
from collections import defaultdict

from django.db import transaction
from django.db.models import Count, Q, Sum

from govqms.core import audit
from govqms.core.calendar import Calendar, CalendarRangeError, local_date
from govqms.core.text import fold

from .models import (
    BUCKET_EDGES,
    BUCKETS,
    COUNTERS,
    AgencyMonthlyRollup,
    DailyRollup,
    DossierFact,
    MonthlyRollup,
    StepRollup,
    VariantRollup,
)

CHUNK = 2000
DAY_CHUNK = 400
STEP_KINDS = {"received", "transferred", "resolved", "delivered"}
DONE = {"resolved", "delivered"}


# ---------------------------------------------------------------- facts


def documented_steps(pairs: set[tuple[int, int]]) -> dict[tuple[int, int], list[dict]]:
    """content["steps"] of the effective operational procedure of the open assignment
    linking each (agency, TTHC)."""
    from govqms.documents.models import DocumentVersion, VersionStatus
    from govqms.procedures.models import Assignment

    if not pairs:
        return {}
    docs = {}
    for unit_id, proc_id, doc_id in Assignment.objects.filter(
        unit_id__in={u for u, _p in pairs},
        procedure_id__in={p for _u, p in pairs},
        ended_on__isnull=True,
        document__isnull=False,
    ).values_list("unit_id", "procedure_id", "document_id"):
        if (unit_id, proc_id) in pairs:
            docs[(unit_id, proc_id)] = doc_id
    contents = dict(
        DocumentVersion.objects.filter(
            document_id__in=set(docs.values()), status=VersionStatus.EFFECTIVE
        ).values_list("document_id", "content")
    )
    result = {}
    for pair, doc_id in docs.items():
        steps = (contents.get(doc_id) or {}).get("steps") or []
        if steps:
            result[pair] = steps
    return result


# The steps of a TTHC without a documented procedure: one object, so that the paths
# already assessed are recognised (the cache of `fact_rows` is keyed by its id).
NO_STEPS: tuple = ()


def conformance(events: list[tuple], steps: list[dict]) -> tuple[bool | None, str]:
    """(conformant, path) of a dossier: `events` (kind, step) in time order; `steps`
    the documented steps. An event names the step it ends. Conformant: the named
    events pass through every documented step once, in order, and through nothing
    else. None when no event names a step or there are no documented steps."""
    named = [(kind, step) for kind, step in events if step and kind in STEP_KINDS]
    index = {}
    for i, s in enumerate(steps):
        for key in (s.get("name"), s.get("step")):
            if key:
                index.setdefault(fold(str(key)), i)
    if not named:
        return None, " → ".join(kind for kind, _s in events if kind in STEP_KINDS)[:500]
    labels, order, unknown = [], [], False
    for _kind, step in named:
        i = index.get(fold(step))
        label = str(steps[i].get("name") or step) if i is not None else step
        if labels and labels[-1] == label:
            continue  # a step handed over twice in a row is one pass
        labels.append(label)
        if i is None:
            unknown = True
        else:
            order.append(i)
    path = " → ".join(labels)[:500]
    if not steps:
        return None, path
    return (not unknown and order == list(range(len(steps)))), path


def _calendar(province: str, cache: dict) -> Calendar | None:
    if province not in cache:
        try:
            cache[province] = Calendar.for_scope(province)
        except Exception:  # noqa: BLE001 - a broken calendar leaves working time unknown
            cache[province] = None
    return cache[province]


FACT_FIELDS = [
    "unit_id",
    "procedure_id",
    "received_day",
    "resolved_day",
    "outcome",
    "hours",
    "bucket",
    "overdue_from",
    "overdue_to",
    "conformant",
    "within_allotment",
    "path",
    "path_key",
    "steps",
]
_F = {name: i for i, name in enumerate(FACT_FIELDS)}


def _bucket(hours: float) -> int:
    """`bucket_of` for hours >= 0 (the working time of a fact is never negative)."""
    return max(0, bisect_right(BUCKET_EDGES, hours) - 1)


def _working_hours(cal: Calendar, pairs: list[tuple]) -> list[float | None]:
    """Working hours from receipt to result of many dossiers at once (numpy), one by
    one only when some instant is outside the calendar's range."""
    if not pairs:
        return []
    try:
        hours = cal.working_hours_between_many([a for a, _b in pairs], [b for _a, b in pairs])
        return [round(max(0.0, h), 4) for h in hours.tolist()]
    except CalendarRangeError:
        out = []
        for a, b in pairs:
            try:
                out.append(round(max(0.0, cal.working_hours_between(a, b)), 4))
            except CalendarRangeError:
                out.append(None)
        return out


def compute_fact_rows(dossier_ids) -> dict[int, list]:
    """{dossier id: values of FACT_FIELDS} of these dossiers, from the dossiers and
    their own events only (raw rows: no model instances for a million dossiers)."""
    from govqms.dossiers.imports.pipeline import read_events
    from govqms.dossiers.models import Dossier

    ids = list(dossier_ids)
    dossiers = list(
        Dossier.objects.filter(pk__in=ids)
        .order_by()
        .values_list(
            "pk",
            "unit_id",
            "unit__province",
            "procedure_id",
            "received_at",
            "resolved_at",
            "due_at",
            "status",
            "outcome",
        )
    )
    events = defaultdict(list)
    for dossier_id, kind, step, hours, on_time in read_events(
        ids, ("dossier_id", "kind", "step", "hours", "on_time"), order=("dossier_id", "at", "seq")
    ):
        events[dossier_id].append((kind, step, hours, on_time))
    documented = documented_steps({(d[1], d[3]) for d in dossiers if d[3]})
    return fact_rows(dossiers, events, documented)


def fact_rows(dossiers: list[tuple], events: dict, documented: dict) -> dict[int, list]:
    """{dossier id: values of FACT_FIELDS} from rows already read: `dossiers` as
    (pk, unit id, province, TTHC id, received, resolved, due, status, outcome),
    `events` {pk: [(kind, step, hours, on time)] in the order of time and seq},
    `documented` as `documented_steps` gives it."""
    calendars: dict = {}
    seen_paths: dict[tuple, tuple] = {}
    facts: dict[int, list] = {}
    to_time: dict[str, list] = defaultdict(list)  # province -> [(pk, received, resolved)]
    for pk, unit_id, province, proc_id, received, resolved, due, status, outcome in dossiers:
        done = status in DONE and resolved is not None
        resolved_day = local_date(resolved) if done else None
        overdue_from = overdue_to = None
        if outcome in ("late", "overdue") and due is not None:
            overdue_from = local_date(due)
            overdue_to = resolved_day if outcome == "late" else None
        # unit, TTHC, received, resolved, outcome, hours, bucket, overdue from/to,
        # conformant, within allotment, path, path key, steps
        fact = [unit_id, proc_id, local_date(received), resolved_day, outcome or "", None, None]
        fact += [overdue_from, overdue_to, None, None, "", "", []]
        if done:
            to_time[province or ""].append((pk, received, resolved))
            evs = events.get(pk, ())
            steps = documented.get((unit_id, proc_id), NO_STEPS)
            key = (tuple((k, s) for k, s, _h, _o in evs), id(steps))
            known = seen_paths.get(key)
            if known is None:
                conformant, path = conformance(list(key[0]), steps)
                path_key = hashlib.sha1(path.encode()).hexdigest()[:20] if path else ""
                known = seen_paths[key] = (conformant if steps else None, path, path_key)
            fact[9], fact[11], fact[12] = known
            timed = [(s or k, h, o) for k, s, h, o in evs if h is not None and o is not None]
            fact[13] = [[label[:200], h, bool(o)] for label, h, o in timed]
            if timed:
                fact[10] = all(o for _l, _h, o in timed)
        facts[pk] = fact
    for province, items in to_time.items():
        cal = _calendar(province, calendars)
        if cal is None:
            continue
        for (pk, _a, _b), hours in zip(
            items, _working_hours(cal, [(a, b) for _pk, a, b in items]), strict=True
        ):
            if hours is not None:
                facts[pk][5] = hours
                facts[pk][6] = _bucket(hours)
    return facts


def compute_facts(dossier_ids) -> list[DossierFact]:
    """The facts of these dossiers, as (unsaved) model instances."""
    return [
        DossierFact(dossier_id=pk, **dict(zip(FACT_FIELDS, values, strict=True)))
        for pk, values in compute_fact_rows(dossier_ids).items()
    ]


def _cells(values) -> set[tuple[int, dt.date]]:
    unit_id = values[0]
    days = (values[2], values[3], values[7], values[8])
    return {(unit_id, d) for d in days if d is not None}


def update_facts(dossier_ids) -> dict[int, set[dt.date]]:
    """Recompute the facts of these dossiers; return {agency: days} of the cells they
    counted on before or count on now (only those need refreshing)."""
    touched: dict[int, set[dt.date]] = defaultdict(set)
    ids = sorted(set(dossier_ids))
    for start in range(0, len(ids), CHUNK):
        part = ids[start : start + CHUNK]
        _write_facts(part, compute_fact_rows(part), touched)
    return touched


def _write_facts(
    part: list[int], facts: dict[int, list], touched: dict[int, set[dt.date]], fresh=False
):
    """Store the facts of the dossiers `part` (`facts`: those that still exist) and
    add the cells they counted on before or count on now to `touched`. `fresh`: the
    dossiers were created in this transaction, so they have no facts yet to read."""
    from govqms.dossiers.imports.pipeline import insert_many, update_many

    old = (
        {}
        if fresh
        else {
            row[0]: list(row[1:])
            for row in DossierFact.objects.filter(dossier_id__in=part)
            .order_by()
            .values_list("dossier_id", *FACT_FIELDS)
        }
    )
    new, changed = [], []
    for pk, fact in facts.items():
        before = old.pop(pk, None)
        if before == fact:
            continue
        for unit_id, day in _cells(fact) | (_cells(before) if before else set()):
            touched[unit_id].add(day)
        if before is None:
            new.append((pk, *fact))
        else:
            changed.append((*fact, pk))
    for gone in old.values():  # dossiers deleted since
        for unit_id, day in _cells(gone):
            touched[unit_id].add(day)
    if old:
        DossierFact.objects.filter(dossier_id__in=list(old)).delete()
    insert_many(DossierFact, ["dossier_id", *FACT_FIELDS], new)
    update_many(DossierFact, FACT_FIELDS, changed)


# ---------------------------------------------------------------- rollups


def _resolved_aggregates():
    values = {
        "resolved": Count("pk"),
        "early": Count("pk", filter=Q(outcome="early")),
        "on_time": Count("pk", filter=Q(outcome="on_time")),
        "late": Count("pk", filter=Q(outcome="late")),
        "hours_count": Count("hours"),
        "hours_sum": Sum("hours"),
        "conform_checked": Count("conformant"),
        "conformant": Count("pk", filter=Q(conformant=True)),
        "allot_checked": Count("within_allotment"),
        "within_allotment": Count("pk", filter=Q(within_allotment=True)),
    }
    for i, name in enumerate(BUCKETS):
        values[name] = Count("pk", filter=Q(bucket=i))
    return values


def _refresh_days(unit_ids: list[int], days: list[dt.date]):
    from govqms.dossiers.imports.pipeline import insert_many

    facts = DossierFact.objects.filter(unit_id__in=unit_ids).order_by()
    rows: dict[tuple, dict] = defaultdict(dict)
    for r in (
        facts.filter(received_day__in=days)
        .values("unit_id", "procedure_id", "received_day")
        .annotate(n=Count("pk"))
    ):
        rows[(r["unit_id"], r["procedure_id"], r["received_day"])]["received"] = r["n"]
    for r in (
        facts.filter(resolved_day__in=days)
        .values("unit_id", "procedure_id", "resolved_day")
        .annotate(**_resolved_aggregates())
    ):
        key = (r.pop("unit_id"), r.pop("procedure_id"), r.pop("resolved_day"))
        r["hours_sum"] = r["hours_sum"] or 0.0
        rows[key].update(r)
    for field, counter in (("overdue_from", "overdue_in"), ("overdue_to", "overdue_out")):
        for r in (
            facts.filter(**{f"{field}__in": days})
            .values("unit_id", "procedure_id", field)
            .annotate(n=Count("pk"))
        ):
            rows[(r["unit_id"], r["procedure_id"], r[field])][counter] = r["n"]
    steps: dict[tuple, list] = defaultdict(lambda: [0, 0, 0.0])
    variants: dict[tuple, int] = defaultdict(int)
    for unit_id, proc_id, day, fact_steps, path_key, path, conformant in facts.filter(
        resolved_day__in=days
    ).values_list(
        "unit_id", "procedure_id", "resolved_day", "steps", "path_key", "path", "conformant"
    ):
        for label, hours, on_time in fact_steps or []:
            s = steps[(unit_id, proc_id, day, label)]
            s[0] += 1
            s[1] += 0 if on_time else 1
            s[2] += hours or 0.0
        if path_key:
            variants[(unit_id, proc_id, day, path_key, path, conformant)] += 1
    DailyRollup.objects.filter(unit_id__in=unit_ids, day__in=days).delete()
    StepRollup.objects.filter(unit_id__in=unit_ids, day__in=days).delete()
    VariantRollup.objects.filter(unit_id__in=unit_ids, day__in=days).delete()
    insert_many(
        DailyRollup,
        ["unit_id", "procedure_id", "day", *COUNTERS],
        [(u, p, d, *(values.get(n, 0) for n in COUNTERS)) for (u, p, d), values in rows.items()],
    )
    insert_many(
        StepRollup,
        ["unit_id", "procedure_id", "day", "step", "count", "late", "hours_sum"],
        [(u, p, d, label, c, late, h) for (u, p, d, label), (c, late, h) in steps.items()],
    )
    insert_many(
        VariantRollup,
        ["unit_id", "procedure_id", "day", "path_key", "path", "conformant", "count"],
        [(u, p, d, k, path, c, n) for (u, p, d, k, path, c), n in variants.items()],
    )


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _refresh_months(unit_ids: list[int], months: set[dt.date]):
    sums = {name: Sum(name) for name in COUNTERS}
    for month in sorted(months):
        daily = DailyRollup.objects.filter(
            unit_id__in=unit_ids, day__gte=month, day__lt=next_month(month)
        ).order_by()
        MonthlyRollup.objects.filter(unit_id__in=unit_ids, month=month).delete()
        created = [
            MonthlyRollup(month=month, total=False, **r)
            for r in daily.values("unit_id", "procedure_id").annotate(**sums)
        ]
        created += [
            MonthlyRollup(month=month, total=True, procedure_id=None, **r)
            for r in daily.values("unit_id").annotate(**sums)
        ]
        MonthlyRollup.objects.bulk_create(created, batch_size=1000)
        AgencyMonthlyRollup.objects.filter(unit_id__in=unit_ids, month=month).delete()
        AgencyMonthlyRollup.objects.bulk_create(
            [
                AgencyMonthlyRollup(
                    month=month, **{n: getattr(r, n) for n in COUNTERS}, unit_id=r.unit_id
                )
                for r in created
                if r.total
            ]
        )


def refresh_rollups(unit_ids, days) -> int:
    """Recompute the rollups of every (agency, day) cell of `unit_ids` × `days`, and
    the months they fall in. Returns the number of cells."""
    unit_ids = sorted(set(unit_ids))
    days = sorted(set(days))
    if not unit_ids or not days:
        return 0
    with transaction.atomic():
        for start in range(0, len(days), DAY_CHUNK):
            _refresh_days(unit_ids, days[start : start + DAY_CHUNK])
        _refresh_months(unit_ids, {month_of(d) for d in days})
    return len(unit_ids) * len(days)


def after_import(dossier_ids) -> int:
    """Called by the import pipeline after each batch (inside its transaction) with the
    ids of the dossiers the batch touched. Returns the number of cells refreshed."""
    with transaction.atomic():
        touched = update_facts(dossier_ids)
        return sum(refresh_rollups([unit_id], days) for unit_id, days in touched.items())


class ImportFacts:
    """`after_import` in two halves, for the import pipeline: the facts of each chunk
    of dossiers as classification hands them over (the dossiers and events it has
    just read, so they are not read again), then the rollups of the cells touched.

        facts = ImportFacts()
        classify_dossiers(ids, fact_sink=facts.add)   # facts.add per chunk
        facts.finish()                            # == after_import(ids)
    """

    def __init__(self):
        self.touched: dict[int, set[dt.date]] = defaultdict(set)

    def add(
        self, part: list[int], dossiers: list[tuple], events: dict, documented: dict, fresh=False
    ):
        """`part`: the ids of the chunk; the rest as `fact_rows` takes them. `fresh`:
        dossiers created by this import (no facts stored for them yet)."""
        with transaction.atomic():
            _write_facts(part, fact_rows(dossiers, events, documented), self.touched, fresh)

    def finish(self) -> int:
        with transaction.atomic():
            return sum(refresh_rollups([unit_id], days) for unit_id, days in self.touched.items())


def rebuild_all(actor=None, *, progress=None) -> dict:
    """Rebuild every fact and rollup from the dossiers (`govqms refresh_rollups --all`)."""
    from govqms.dossiers.models import Dossier

    with transaction.atomic():
        DossierFact.objects.all().delete()
        for model in (DailyRollup, MonthlyRollup, AgencyMonthlyRollup, StepRollup, VariantRollup):
            model.objects.all().delete()
        ids = list(Dossier.objects.order_by("pk").values_list("pk", flat=True))
        cells = 0
        for start in range(0, len(ids), CHUNK * 5):
            touched = update_facts(ids[start : start + CHUNK * 5])
            for unit_id, days in touched.items():
                cells += refresh_rollups([unit_id], days)
            if progress:
                progress(min(len(ids), start + CHUNK * 5), len(ids))
        counts = {"dossiers": len(ids), "cells": cells}
        audit.record(
            actor=actor,
            action="kpi_rollups_rebuilt",
            object_type="kpis.dailyrollup",
            object_repr="KPI rollups",
            changes=counts,
        )
    return counts
