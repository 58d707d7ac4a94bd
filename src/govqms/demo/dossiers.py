"""Synthetic one-stop exports for the demo province, imported through the dossier
import pipeline (`dossiers.services.imports`), so that dossiers, events, their time
classification and the KPI rollups are exactly what a real import produces.

    load_demo_dossiers(stdout, full=False)   # `govqms load_demo` calls it

What is generated (deterministic: every agency and month has its own seeded random)
    * Agencies: those with a TTHC assignment (`procedures.demo`), each with the
      TTHCs assigned to it. Months before an agency existed (the 1 July 2025
      merger) go to the agencies it was formed from, so two years of history survive
      the reform (those have no assignment: the steps are then the generic ones).
    * Volumes per kind of agency (`COMMUNE_RATES`, `DEPARTMENT_RATES`: dossiers per
      month of a mid-sized agency), times a size per agency, times the season: more
      in the weeks before Tết and at the end of the year, fewer just after Tết.
    * Receipts on working days only (the working-day engine of the province), inside
      office hours; channel by the TTHC's online level (counter, online, post).
    * Events follow the steps of the agency's operational procedure when it is linked
      to the assignment (the same steps the classification times), else generic
      ones; some dossiers skip a step or go back to the previous one (variants).
      About 8 % have a supplement request (the clock restarts), a few are refused
      or withdrawn. Each agency has its own share of late dossiers (about 4 to 18 %)
      so the ranking has something to show; most late dossiers have an apology,
      some none, some issued too late. Dossiers received near today are still open
      (their events after now are not exported yet), a few of them overdue.
    * Batches as the province's one-stop system pushes them: one JSON batch per
      province and month through the API service (idempotency key; the receiving
      agency in `unit_code`), while every tenth commune exports its own CSV file per
      month in the national portal's format (the built-in profile, status codes
      1-10). Fewer, larger batches keep the load fast: each batch also refreshes
      the KPI rollups of the cells it touched.

Fast by default: the last `FAST_MONTHS` months at `FAST_SCALE` of the volume;
`full=True`: two years at the full volume. Idempotent: a second call finds demo
batches and does nothing; each batch is also skipped if it was imported before, and
the pipeline itself changes nothing on a replay."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import random
import time
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from govqms.core.calendar import LOCAL, Calendar
from govqms.dossiers.classify import _steps_for
from govqms.dossiers.models import (
    BatchStatus,
    Dossier,
    EventKind,
    ImportBatch,
    ImportProfile,
    Outcome,
)
from govqms.dossiers.profiles import NATIONAL_PORTAL, NATIONAL_PORTAL_MAPPING
from govqms.dossiers.services.imports import import_api_batch, import_file
from govqms.organizations.models import Unit, UnitChange, UnitKind
from govqms.procedures.models import Assignment

SEED = 2026
FULL_MONTHS = 24
FAST_MONTHS = 3
FAST_SCALE = 0.25
KEY_PREFIX = "govqms-demo"
API_BATCH = 20000  # dossiers per API push (`services.imports.MAX_API_DOSSIERS`)
CSV_EVERY = 10  # every tenth commune exports CSV files of its own

# Dossiers per month of a mid-sized commune, per TTHC code (others: `OTHER_RATE`).
COMMUNE_RATES = {
    "1.001193": 38,  # khai sinh
    "1.000894": 16,  # kết hôn
    "1.000656": 14,  # khai tử
    "1.004873": 24,  # xác nhận tình trạng hôn nhân
    "1.003583": 20,  # bản sao trích lục hộ tịch
    "2.000815": 45,  # chứng thực bản sao
    "2.000884": 14,  # chứng thực chữ ký
    "1.004222": 12,  # tạm trú
    "1.004194": 8,  # thường trú
    "2.001035": 5,
    "1.004859": 4,
    "2.001261": 4,
    "1.001776": 3,
    "1.001022": 2,
    "1.000689": 2,
}
DEPARTMENT_RATES = {
    "2.000488": 90,  # lý lịch tư pháp
    "2.000637": 120,  # cấp lại giấy phép lái xe
    "2.001268": 45,  # thành lập doanh nghiệp tư nhân
    "1.000105": 12,
    "1.009974": 15,
    "2.001824": 8,
    "1.004346": 10,
    "1.002425": 6,
}
OTHER_RATE = 1.0

# Lunar New Year's day (Tết) of the years the demo covers.
TET = [dt.date(2024, 2, 10), dt.date(2025, 1, 29), dt.date(2026, 2, 17), dt.date(2027, 2, 6)]
MONTH_FACTOR = {1: 1.1, 2: 0.9, 3: 1.0, 4: 0.95, 5: 1.0, 6: 1.0, 7: 0.95, 8: 0.95,
                9: 1.0, 10: 1.05, 11: 1.1, 12: 1.2}  # fmt: skip

CHANNELS = {  # online level of the TTHC -> (counter, online, post) weights
    "full": (0.40, 0.55, 0.05),
    "partial": (0.68, 0.27, 0.05),
    "none": (0.95, 0.0, 0.05),
    "": (0.90, 0.05, 0.05),
}
GENERIC_STEPS = [
    ("Tiếp nhận hồ sơ", "Bộ phận Một cửa", 0.1),
    ("Thẩm định, xử lý hồ sơ", "Chuyên viên xử lý", 0.6),
    ("Phê duyệt, ký kết quả", "Lãnh đạo", 0.2),
    ("Trả kết quả", "Bộ phận Một cửa", 0.1),
]
OFFICE = ((7 * 60 + 30, 11 * 60 + 30), (13 * 60 + 30, 17 * 60 + 30))
SUPPLEMENT = 0.08
REFUSED = 0.012
WITHDRAWN = 0.006
STUCK = 0.02  # of the dossiers received in the last weeks: waiting, overdue
SKIP_STEP = 0.05
REPEAT_STEP = 0.04
APOLOGY_MISSING = 0.15
APOLOGY_TOO_LATE = 0.12

# National portal status codes for the CSV exports (`profiles.NATIONAL_PORTAL_VALUES`).
PORTAL_CODE = {
    EventKind.RECEIVED: "2",
    EventKind.TRANSFERRED: "4",
    EventKind.SUPPLEMENT_REQUESTED: "5",
    EventKind.RETURNED: "3",
    EventKind.RESOLVED: "9",
    EventKind.DELIVERED: "10",
    EventKind.WITHDRAWN: "7",
}


@dataclass
class Tthc:
    code: str
    limit: float
    online: str
    steps: list[tuple[str, str, float]]  # (name, responsible, allotted hours)
    rate: float


@dataclass
class Agency:
    unit: Unit
    tthcs: list[Tthc]
    size: float
    late_share: float
    csv: bool
    # (valid from, valid to, the unit receiving), oldest first
    periods: list[tuple[dt.date, dt.date | None, list[Unit]]] = field(default_factory=list)


def _say(stdout, text):
    if stdout is not None:
        stdout.write(text)


def is_loaded() -> bool:
    return ImportBatch.objects.filter(
        Q(idempotency_key__contains=f":{KEY_PREFIX}/") | Q(filename__startswith=f"{KEY_PREFIX}-"),
        status=BatchStatus.DONE,
    ).exists()


# ---------------------------------------------------------------- agencies


def _agencies(units) -> list[Agency]:
    assignments = (
        Assignment.objects.filter(ended_on=None, unit__in=units)
        .select_related("unit", "procedure")
        .order_by("unit__path", "procedure__code")
    )
    by_unit: dict[int, list] = defaultdict(list)
    unit_of = {}
    for a in assignments:
        by_unit[a.unit_id].append(a.procedure)
        unit_of[a.unit_id] = a.unit
    steps = _steps_for({(u, p.pk) for u, procs in by_unit.items() for p in procs})
    agencies = []
    for index, (unit_id, procs) in enumerate(by_unit.items()):
        unit = unit_of[unit_id]
        rng = random.Random(f"{SEED}:agency:{unit.code}")
        commune = unit.kind == UnitKind.COMMUNE_PC
        rates = COMMUNE_RATES if commune else DEPARTMENT_RATES
        tthcs = []
        for p in procs:
            limit = float(p.time_limit_days or 1)
            documented = steps.get((unit_id, p.pk))
            if documented and len(documented) >= 2:
                tthc_steps = [
                    (
                        str(s.get("name") or s.get("step") or f"Bước {i + 1}"),
                        str(s.get("responsible") or ""),
                        float(s.get("hours") or 0) or 1.0,
                    )
                    for i, s in enumerate(documented)
                ]
            else:
                tthc_steps = [(n, r, max(1.0, limit * 8 * share)) for n, r, share in GENERIC_STEPS]
            tthcs.append(
                Tthc(p.code, limit, p.online_level or "", tthc_steps, rates.get(p.code, OTHER_RATE))
            )
        agencies.append(
            Agency(
                unit=unit,
                tthcs=tthcs,
                size=rng.uniform(0.5, 1.6) if commune else rng.uniform(0.7, 1.3),
                late_share=rng.choice([0.03, 0.05, 0.07, 0.09, 0.12, 0.15, 0.18]),
                csv=commune and index % CSV_EVERY == 0,
                periods=_periods(unit),
            )
        )
    return agencies


def _periods(unit: Unit) -> list:
    """Who received this agency's dossiers when: the agencies it was formed from
    before it existed (one level back), then itself."""
    periods = []
    change = (
        UnitChange.objects.filter(to_units=unit, date=unit.valid_from)
        .prefetch_related("from_units")
        .first()
    )
    if change is not None:
        sources = sorted(
            (u for u in change.from_units.all() if u.pk != unit.pk), key=lambda u: u.code
        )
        if sources:
            start = min(u.valid_from for u in sources)
            periods.append((start, unit.valid_from - dt.timedelta(days=1), sources))
    periods.append((unit.valid_from, unit.valid_to, [unit]))
    return periods


# ---------------------------------------------------------------- one dossier


def _poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, p = math.exp(-lam), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def _season(day: dt.date) -> float:
    factor = MONTH_FACTOR[day.month]
    for tet in TET:
        before = (tet - day).days
        if 0 < before <= 21:
            return factor * 1.45  # papers before Tết
        if 0 <= -before <= 14:
            return factor * 0.6  # the weeks after Tết
    return factor


def _office_time(rng: random.Random, day: dt.date) -> dt.datetime:
    start, end = OFFICE[0] if rng.random() < 0.6 else OFFICE[1]
    minute = rng.randrange(start, end - 5)
    return dt.datetime(day.year, day.month, day.day, minute // 60, minute % 60,
                       rng.randrange(60), tzinfo=LOCAL)  # fmt: skip


def _when(cal: Calendar, start: dt.datetime, hours: float) -> dt.datetime:
    return cal.add_working_hours(start, max(0.05, hours)).replace(microsecond=0)


def _dossier(rng, cal: Calendar, agency: Agency, tthc: Tthc, received: dt.datetime, now):
    """(fields, events) of one dossier, with the events until `now` only."""
    weights = CHANNELS.get(tthc.online, CHANNELS[""])
    channel = rng.choices(("counter", "online", "post"), weights)[0]
    paper = cal.paper_cutoff if channel != "online" else None
    limit_days = int(tthc.limit) if tthc.limit == int(tthc.limit) else None

    def due_from(start, cutoff):
        if limit_days is not None:
            return cal.add_working_days(start, limit_days, cutoff=cutoff)
        return cal.add_working_hours(start, tthc.limit * 8)

    desk = "Bộ phận Một cửa"
    events = [(EventKind.RECEIVED, received, "", desk, None)]
    due = due_from(received, paper)
    clock = received
    roll = rng.random()
    if roll < REFUSED + WITHDRAWN:
        kind = EventKind.RETURNED if roll < REFUSED else EventKind.WITHDRAWN
        events.append((kind, _when(cal, received, rng.uniform(1, 16)), "", desk, None))
        return channel, due, _cut(events, now)
    if rng.random() < SUPPLEMENT:
        asked = _when(cal, received, rng.uniform(1, 20))  # within 3 working days
        back = _when(cal, asked, rng.uniform(4, 60))
        events.append((EventKind.SUPPLEMENT_REQUESTED, asked, "", desk, None))
        events.append((EventKind.SUPPLEMENT_RECEIVED, back, "", desk, None))
        clock = back
        due = due_from(back, None)
    available = max(0.5, cal.working_hours_between(clock, due))
    late = rng.random() < agency.late_share
    if late:
        resolved = _when(cal, due, rng.uniform(1, 8) * rng.choice((1, 1, 2, 4)))
        spent = cal.working_hours_between(clock, resolved)
    else:
        spent = available * rng.uniform(0.15, 0.95)
    stuck = now - received < dt.timedelta(days=45) and rng.random() < STUCK
    # The steps up to the result share the time, by their allotments with noise.
    steps = list(tthc.steps)
    work = steps[:-1]
    shares = [s[2] * rng.uniform(0.5, 1.5) for s in work]
    path = list(range(len(work)))
    variant = rng.random()
    if len(work) >= 3 and variant < SKIP_STEP:
        path.pop(rng.randrange(1, len(work) - 1))
    elif len(work) >= 3 and variant < SKIP_STEP + REPEAT_STEP:
        j = rng.randrange(1, len(work) - 1)  # back from step j+1 to step j, then on
        path = path[: j + 2] + [j, j + 1] + path[j + 2 :]
    total = sum(shares[i] for i in path)
    at = clock
    for position, i in enumerate(path):
        name, responsible, _allotted = work[i]
        at = _when(cal, at, spent * shares[i] / total)
        last = position == len(path) - 1
        if stuck and last:
            break  # never resolved: open, overdue
        kind = EventKind.RESOLVED if last else EventKind.TRANSFERRED
        events.append((kind, at, name, responsible, None))
    if not stuck:
        name, responsible, allotted = steps[-1]
        delivered = _when(cal, at, rng.uniform(0.2, 1.0) * allotted)
        events.append((EventKind.DELIVERED, delivered, name, responsible, None))
    if late or stuck:
        events.extend(_apology(rng, cal, clock, due, at))
    events.sort(key=lambda e: e[1])
    return channel, due, _cut(events, now)


def _apology(rng, cal, clock, due, resolved):
    roll = rng.random()
    if roll < APOLOGY_MISSING:
        return []
    if roll < APOLOGY_MISSING + APOLOGY_TOO_LATE:
        at = _when(cal, due, rng.uniform(0.5, 6))
    else:
        ahead = cal.working_hours_between(clock, due) - rng.uniform(9, 16)
        at = _when(cal, clock, ahead) if ahead > 0.5 else _when(cal, clock, 0.5)
    new_due = cal.add_working_days(max(resolved, at), rng.choice((0, 1, 2)))
    return [(EventKind.APOLOGY_ISSUED, at, "", "Lãnh đạo", new_due)]


def _cut(events, now):
    return [e for e in events if e[1] <= now]


# ---------------------------------------------------------------- batches


def _months(first: dt.date, last: dt.date):
    month = first.replace(day=1)
    while month <= last:
        nxt = (month + dt.timedelta(days=32)).replace(day=1)
        yield month, nxt - dt.timedelta(days=1)
        month = nxt


def _generate_month(agency: Agency, month: dt.date, end: dt.date, scale, now, calendars):
    """{receiving unit: [(code, tthc code, channel, received, due, events)]}."""
    rng = random.Random(f"{SEED}:{agency.unit.code}:{month:%Y-%m}")
    out: dict[int, tuple[Unit, list]] = {}
    seq: dict[tuple[int, dt.date], int] = defaultdict(int)
    day = month
    today = now.astimezone(LOCAL).date()
    while day <= end and day <= today:
        period = next(
            (p for p in agency.periods if p[0] <= day and (p[1] is None or day <= p[1])), None
        )
        if period is None:
            day += dt.timedelta(days=1)
            continue
        receivers = [u for u in period[2] if u.valid_from <= day and (u.valid_to or day) >= day]
        if not receivers:
            day += dt.timedelta(days=1)
            continue
        cal = calendars.get(receivers[0].province)
        if cal is None:
            cal = calendars[receivers[0].province] = Calendar.for_scope(receivers[0].province)
        if not cal.is_working_day(day):
            day += dt.timedelta(days=1)
            continue
        season = _season(day) * agency.size * scale / 21.75
        for tthc in agency.tthcs:
            for _n in range(_poisson(rng, tthc.rate * season)):
                unit = receivers[rng.randrange(len(receivers))]
                received = _office_time(rng, day)
                if received > now:
                    continue
                seq[(unit.pk, day)] += 1
                code = f"{unit.admin_code or unit.code}-{day:%y%m%d}-{seq[(unit.pk, day)]:04d}"
                channel, due, events = _dossier(rng, cal, agency, tthc, received, now)
                out.setdefault(unit.pk, (unit, []))[1].append(
                    (code, tthc.code, channel, received, due, events)
                )
        day += dt.timedelta(days=1)
    return out


def _iso(value: dt.datetime | None) -> str | None:
    return value.astimezone(LOCAL).isoformat(timespec="seconds") if value else None


def _payload(rows) -> dict:
    """The JSON body of a push by the province's one-stop system (`unit_code`: the
    receiving agency)."""
    return {
        "dossiers": [
            {
                "code": code,
                "unit_code": unit_code,
                "procedure_code": tthc,
                "channel": channel,
                "received_at": _iso(received),
                "due_at": _iso(due),
                "events": [
                    {
                        "kind": kind,
                        "at": _iso(at),
                        "step": step,
                        "division": division,
                        "new_due_at": _iso(new_due),
                    }
                    for kind, at, step, division, new_due in events
                ],
            }
            for code, tthc, channel, received, due, events, unit_code in rows
        ]
    }


CHANNEL_WORDS = {"counter": "Trực tiếp", "online": "Trực tuyến", "post": "Bưu chính"}


def _csv(rows) -> bytes:
    m = NATIONAL_PORTAL_MAPPING
    columns = ["code", "procedure_code", "channel", "received_at", "due_at",
               "kind", "at", "step", "event_division", "new_due_at"]  # fmt: skip
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([m[c] for c in columns])
    show = "%d/%m/%Y %H:%M:%S"
    for code, tthc, channel, received, due, events in rows:
        for kind, at, step, division, new_due in events:
            writer.writerow(
                [
                    code,
                    tthc,
                    CHANNEL_WORDS[channel],
                    received.astimezone(LOCAL).strftime(show),
                    due.astimezone(LOCAL).strftime(show),
                    PORTAL_CODE.get(kind, kind),
                    at.astimezone(LOCAL).strftime(show),
                    step,
                    division,
                    new_due.astimezone(LOCAL).strftime(show) if new_due else "",
                ]
            )
    return out.getvalue().encode("utf-8-sig")


def _rollups_missing(batch: ImportBatch) -> list[int]:
    """The batch's dossiers when the pipeline has not refreshed the KPI rollups."""
    from govqms.kpis.models import DossierFact

    ids = list(batch.dossiers.values_list("pk", flat=True))
    if ids and not DossierFact.objects.filter(dossier_id=ids[0]).exists():
        return ids
    return []


def _root(unit: Unit, roots: dict) -> Unit:
    """The provincial People's Committee at the top of the agency's tree."""
    root_id = int(unit.path.strip("/").split("/")[0])
    if root_id not in roots:
        roots[root_id] = Unit.objects.get(pk=root_id)
    return roots[root_id]


class _Importer:
    def __init__(self, now, profile, counts):
        self.now, self.profile, self.counts = now, profile, counts
        self.rollups: list[int] = []

    def done(self, batch, result, name):
        if not result.ok:
            raise RuntimeError(f"Demo batch {name} refused: {result.errors[:3]}")
        self.counts["batches"] += 1
        self.counts["dossiers"] += batch.dossiers_created
        self.counts["events"] += batch.events_created
        self.rollups.extend(_rollups_missing(batch))

    def csv(self, unit: Unit, month: dt.date, rows):
        name = f"{KEY_PREFIX}-{unit.code}-{month:%Y-%m}.csv"
        if ImportBatch.objects.filter(unit=unit, filename=name, status=BatchStatus.DONE).exists():
            return
        data = io.BytesIO(_csv(rows))
        result = import_file(
            None, unit, data, fmt="csv", profile=self.profile, filename=name, now=self.now
        )
        self.done(result.batch, result, name)

    def api(self, root: Unit, month: dt.date, rows):
        for part, start in enumerate(range(0, len(rows), API_BATCH)):
            key = f"{KEY_PREFIX}/{root.code}/{month:%Y-%m}/{part + 1}"
            payload = _payload(rows[start : start + API_BATCH])
            batch, result = import_api_batch(None, root, payload, key, now=self.now)
            if result is not None:
                self.done(batch, result, key)


def load_demo_dossiers(stdout=None, *, full: bool = False, units=None, today=None) -> dict:
    """Generate and import the demo's dossiers (see the module). `units`: the agencies
    (default: every agency with a TTHC assignment). Returns the counts."""
    counts = {"batches": 0, "dossiers": 0, "events": 0, "late": 0, "overdue": 0, "seconds": 0.0}
    if is_loaded():
        _say(stdout, "The demo dossiers are already loaded: nothing changed.")
        return {**counts, "loaded": False}
    started = time.perf_counter()
    if today is None:
        now = timezone.now()
    else:
        now = dt.datetime.combine(today, dt.time(16, 0), tzinfo=LOCAL)
    today = now.astimezone(LOCAL).date()
    months = FULL_MONTHS if full else FAST_MONTHS
    scale = 1.0 if full else FAST_SCALE
    index = today.year * 12 + today.month - 1 - (months - 1)
    first = dt.date(index // 12, index % 12 + 1, 1)
    if units is None:
        units = Unit.objects.filter(
            pk__in=Assignment.objects.filter(ended_on=None).values("unit_id")
        )
    agencies = _agencies(units)
    profile = ImportProfile.objects.filter(name=NATIONAL_PORTAL, unit=None).first()
    importer = _Importer(now, profile, counts)
    calendars: dict = {}
    roots: dict = {}
    for month, end in _months(first, today):
        pushed: dict[int, tuple[Unit, list]] = {}
        for agency in agencies:
            generated = _generate_month(agency, month, end, scale, now, calendars)
            for unit, rows in generated.values():
                if agency.csv and profile is not None:
                    importer.csv(unit, month, rows)
                    continue
                root = _root(unit, roots)
                entry = pushed.setdefault(root.pk, (root, []))
                unit_code = unit.code if unit.pk != root.pk else None
                entry[1].extend((*row, unit_code) for row in rows)
        for root, rows in pushed.values():
            importer.api(root, month, rows)
        _say(stdout, f"  {month:%m/%Y}: {counts['dossiers']} dossiers so far\n")
    if importer.rollups:
        from govqms.kpis.services import after_import

        for start in range(0, len(importer.rollups), 20000):
            after_import(importer.rollups[start : start + 20000])
    mine = Dossier.objects.filter(
        Q(batch__idempotency_key__contains=f":{KEY_PREFIX}/")
        | Q(batch__filename__startswith=f"{KEY_PREFIX}-")
    )
    counts["late"] = mine.filter(outcome=Outcome.LATE).count()
    counts["overdue"] = mine.filter(outcome=Outcome.OVERDUE).count()
    counts["seconds"] = round(time.perf_counter() - started, 1)
    _say(
        stdout,
        "Demo dossiers: {batches} batches, {dossiers} dossiers, {events} events "
        "({late} late, {overdue} open overdue) in {seconds} s.".format(**counts),
    )
    return {**counts, "loaded": True}
