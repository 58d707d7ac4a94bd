"""One import pipeline for dossier evidence, three ways in (CSV/XLSX with a
profile, IEEE XES, the JSON batch API).

Every reader turns its source into `Record`s: one dossier's reported fields (raw
strings or values) and zero or more raw events, each with where it came from
(file, row). The pipeline

1. **validates** the batch as a stream (`normalise` per record), in chunks cut
   between dossiers; the checks that need the whole batch (event before receipt,
   ...) run at the end, the agencies are checked as the chunks name them;
2. **applies** each chunk as soon as it is validated, all in ONE transaction: one
   query for the stored dossiers of a chunk (none on an agency's first import), one
   for their event keys, COPY or executemany for the new rows and the changed ones;
   new dossiers are classified before their insert, stored ones that changed after
   the last chunk (`classify.py`); one audit entry for the batch. If anything was
   wrong anywhere in the batch, the transaction is rolled back: nothing is applied,
   and every problem is reported by file, row and field (decision 0008).

A large file is validated by a child process while this one applies
(`ValidatorProcess`): two cores instead of one.

Idempotent: dossiers are matched by (agency, code), events by their natural key
(dossier, time, kind, step), so the same file or batch twice creates and updates
nothing. Nothing is half-applied: any error, found while validating or while
applying, rolls the whole batch back.

Decisions
    * An unknown TTHC code is a **warning**, not an error: the catalogue may lag
      behind the national database, and refusing evidence for that would lose it.
      The dossier keeps the raw `procedure_code`, has no computed due date (the
      reported one is used) and is flagged in the batch's warnings.
    * An unknown agency code, a bad timestamp, an unknown status or kind, a missing
      dossier code, and an event or a result before the receipt are errors.
      `lenient=True` turns the last two (data consistency, not format) into
      warnings: real logs have them (e.g. 4 of the 1,434 cases of the CoSeLoG
      receipt log by Buijs, J.C.A.M.), and an evidence import must not drop a
      whole log for them.
    * The national portal's "in process" (4) right after "supplement requested"
      (5) is read as "supplement received": the portal has no code of its own for it.
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
import os
import pickle
import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from types import SimpleNamespace
from typing import NamedTuple

from django.conf import settings
from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govqms.core import audit
from govqms.core.imports import ImportIssue
from govqms.core.text import fold
from govqms.organizations.models import Unit
from govqms.procedures.models import AdministrativeProcedure

from ..models import (
    BatchStatus,
    Channel,
    Dossier,
    DossierEvent,
    DossierStatus,
    EventKind,
    ImportBatch,
)

# Vietnam has kept UTC+07:00 without daylight saving since 1975: a fixed offset is
# exact over any range the engine covers, and much cheaper to pickle than a ZoneInfo.
logger = logging.getLogger(__name__)
LOCAL = dt.timezone(dt.timedelta(hours=7), "ICT")
_combine = dt.datetime.combine
CHUNK = 5000
MAX_ISSUES = 500

# Fields a source may give, by level.
DOSSIER_FIELDS = (
    "code",
    "unit_code",
    "procedure_code",
    "channel",
    "received_at",
    "due_at",
    "resolved_at",
    "delivered_at",
    "status",
    "division",
)
EVENT_FIELDS = ("kind", "at", "step", "actor", "event_division", "new_due_at")
FIELDS = DOSSIER_FIELDS + EVENT_FIELDS
TIME_FIELDS = {"received_at", "due_at", "resolved_at", "delivered_at", "at", "new_due_at"}

# Words the sources use, folded; values of our choices are accepted as they are.
CHANNEL_WORDS = {
    "counter": Channel.COUNTER,
    "desk": Channel.COUNTER,
    "truc tiep": Channel.COUNTER,
    "tai quay": Channel.COUNTER,
    "mot cua": Channel.COUNTER,
    "online": Channel.ONLINE,
    "internet": Channel.ONLINE,
    "truc tuyen": Channel.ONLINE,
    "e-mail": Channel.ONLINE,
    "email": Channel.ONLINE,
    "dvc": Channel.ONLINE,
    "post": Channel.POST,
    "buu chinh": Channel.POST,
    "buu dien": Channel.POST,
    "intern": Channel.COUNTER,
}
KIND_VALUES = {k.value for k in EventKind}
STATUS_VALUES = {s.value for s in DossierStatus}

# Dossier fields stored as reported (compared on re-import) -> model attribute.
STORED = {
    "procedure_code": "procedure_code",
    "channel": "channel",
    "received_at": "received_at",
    "due_at": "reported_due_at",
    "resolved_at": "resolved_at",
    "delivered_at": "delivered_at",
    "status": "reported_status",
    "division": "division",
}


# ---------------------------------------------------------------- records


@dataclass
class Record:
    """What a reader read: one dossier's raw fields and its raw events."""

    row: int
    fields: dict
    events: list[dict] = field(default_factory=list)
    # Rows of the events (XES: each event's position); default: the record's row.
    event_rows: list[int] | None = None


@dataclass
class Issue:
    row: int | None
    field: str | None
    message: str
    code: str = "invalid"


class Problems:
    """Errors and warnings of a batch, capped so a broken file does not flood memory."""

    def __init__(self, filename: str, labels: dict[str, str] | None = None):
        self.filename = filename
        self.labels = labels or {}
        self.errors: list[ImportIssue] = []
        self.warnings: list[ImportIssue] = []
        self.error_count = 0
        self.warning_count = 0

    def _make(self, row, field_name, message, code):
        column = self.labels.get(field_name, field_name) if field_name else None
        return ImportIssue(self.filename, row, column, message, code)

    def error(self, row, field_name, message, code="invalid"):
        self.error_count += 1
        if len(self.errors) < MAX_ISSUES:
            self.errors.append(self._make(row, field_name, message, code))

    def warning(self, row, field_name, message, code="warning"):
        self.warning_count += 1
        if len(self.warnings) < MAX_ISSUES:
            self.warnings.append(self._make(row, field_name, message, code))

    @property
    def ok(self) -> bool:
        return not self.error_count

    def extend(self, other: Problems):
        """Add `other`'s problems after these (within the cap)."""
        self.errors += other.errors[: max(0, MAX_ISSUES - len(self.errors))]
        self.warnings += other.warnings[: max(0, MAX_ISSUES - len(self.warnings))]
        self.error_count += other.error_count
        self.warning_count += other.warning_count


class FileProblem(Exception):
    """A problem that stops reading the file (unreadable, not XML, no header)."""

    def __init__(self, message: str, row: int | None = None, column: str | None = None):
        super().__init__(message)
        self.row, self.column = row, column


# ---------------------------------------------------------------- parsing values

_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")


def parse_time(value) -> dt.datetime | None:
    """An aware datetime from a cell: ISO 8601 (XES, API), DD/MM/YYYY [HH:MM[:SS]],
    or a datetime/date from a workbook. Naive times are Vietnam's local time.
    Raises ValueError."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return _parse_text_time(value)
    if isinstance(value, dt.datetime):
        result = value
    elif isinstance(value, dt.date):
        result = dt.datetime(value.year, value.month, value.day)
    else:
        return _parse_text_time(str(value))
    return _checked(result, value)


def _checked(result: dt.datetime, value) -> dt.datetime:
    if result.tzinfo is None:
        result = result.replace(tzinfo=LOCAL)
    if not 1990 <= result.year <= 2100:
        raise ValueError(value)
    return result


def _parse_text_time(value: str, _iso=dt.datetime.fromisoformat) -> dt.datetime | None:
    # ISO text is parsed in C faster than a cache could look it up (event times are
    # nearly all distinct): not cached; the DD/MM/YYYY form is.
    text = value.strip()
    if not text:
        return None
    try:
        result = _iso(text)
    except ValueError:
        return _parse_dmy_time(text, value)
    if result.tzinfo is None:
        result = _combine(result.date(), result.time(), LOCAL)  # replace() is slower
    if not 1990 <= result.year <= 2100:
        raise ValueError(value)
    return result


@lru_cache(maxsize=1 << 16)
def _parse_dmy_time(text: str, value: str) -> dt.datetime:
    match = _DMY.match(text)
    if not match:
        raise ValueError(f"Invalid isoformat string: {text!r}")
    d, m, y, hh, mm, ss = match.groups()
    result = dt.datetime(int(y), int(m), int(d), int(hh or 0), int(mm or 0), int(ss or 0))
    return _checked(result, value)


_CHANNEL_VALUES = frozenset(Channel.values)


def parse_channel(value) -> str | None:
    if value is None or value == "":
        return None
    return _parse_channel_text(str(value).strip())


@lru_cache(maxsize=4096)
def _parse_channel_text(text: str) -> str | None:
    if text in _CHANNEL_VALUES:
        return text
    return CHANNEL_WORDS.get(fold(text))


def _text(value, limit: int) -> str:
    if value is None:
        return ""
    if type(value) is str:
        return _clean_text(value, limit)
    return " ".join(str(value).split())[:limit]


@lru_cache(maxsize=1 << 14)
def _clean_text(value: str, limit: int) -> str:
    # Codes, steps and actors repeat on every event row of a dossier: cached.
    return " ".join(value.split())[:limit]


# ---------------------------------------------------------------- normalising


class Norm(NamedTuple):
    """A validated record: reported dossier fields (only those given) and events
    as tuples (at, kind, step, actor, division, new_due_at, row)."""

    row: int
    code: str
    unit_code: str
    fields: dict
    events: list


class Normaliser:
    """Turns raw records into `Norm`s, reporting every bad field, and collects what
    the whole-batch checks need."""

    def __init__(self, problems: Problems, value_maps: dict | None = None, lenient=False):
        self.problems = problems
        self.value_maps = {
            k: {str(a): b for a, b in v.items()}
            for k, v in (value_maps or {}).items()
            if not k.startswith("_")
        }
        self.implies = (value_maps or {}).get("_implies", {})
        self._implies_kind = self.implies.get("kind", {})
        self._memo: dict[str, dict] = defaultdict(dict)
        self.lenient = lenient
        self.unit_rows: dict[str, int] = {}
        # TTHC code -> [first row, number of rows]
        self.procedure_rows: dict[str, list[int]] = {}
        # (unit_code, code) -> [received_at, row, first event at, its row, resolved_at, row,
        # number of records]
        self.timeline: dict[tuple, list] = {}
        self.last_kind: dict[tuple, str] = {}
        self.records = 0
        self.events = 0
        # The dossier fields of the previous record, when they were all text (or
        # empty) and valid, and what they normalised to: the rows of one dossier
        # repeat them, so they are normalised once per run of rows.
        self._last_raw: dict | None = None
        self._last_dossier: tuple | None = None
        # raw kind -> (kind or None when unknown, channel it implies or None)
        self._kinds: dict = {}
        self._kind_mapped = bool(self.value_maps.get("kind"))
        # raw text -> cleaned text of the event columns (see `_cached`)
        self._steps: dict = {None: "", "": ""}
        self._actors: dict = {None: "", "": ""}
        self._divisions: dict = {None: "", "": ""}

    @staticmethod
    def _cached(cache: dict, value, limit: int) -> str:
        """`_text(value, limit)`, remembered in `cache` (text values, up to 16,384)."""
        text = _text(value, limit)
        if type(value) is str and len(cache) < 1 << 14:
            cache[value] = text
        return text

    def _count_procedure(self, code: str, row: int):
        seen = self.procedure_rows.get(code)
        if seen is None:
            self.procedure_rows[code] = [row, 1]
        else:
            seen[1] += 1

    def _map(self, name, value):
        table = self.value_maps.get(name)
        if not table or value is None:
            return value
        # The same few raw values on every row: remembered (hashable ones).
        memo = self._memo[name]
        try:
            return memo[value]
        except (KeyError, TypeError):
            pass
        if type(value) is str:
            key = value.strip()
        elif isinstance(value, float) and value.is_integer():
            key = str(int(value))
        else:
            key = str(value).strip()
        result = table.get(key, value)
        try:
            if len(memo) < 10_000:
                memo[value] = result
        except TypeError:
            pass
        return result

    def _kind(self, raw_kind) -> tuple[str | None, dict | None]:
        """(event kind or None when unknown, what the raw kind implies when that
        includes a channel, else None),
        remembered for hashable raw kinds (the same few on every row)."""
        kind = self._map("kind", raw_kind)
        implied = (
            self._implies_kind.get(
                raw_kind.strip() if type(raw_kind) is str else str(raw_kind).strip()
            )
            if raw_kind is not None and self._implies_kind
            else None
        )
        channel = implied if implied and "channel" in implied else None
        if kind in (None, ""):
            kind = EventKind.TRANSFERRED
        result = (kind if kind in KIND_VALUES else None, channel)
        try:
            if len(self._kinds) < 10_000:
                self._kinds[raw_kind] = result
        except TypeError:
            pass
        return result

    def _time(self, row, name, value):
        try:
            return parse_time(value)
        except (ValueError, TypeError, OverflowError):
            self.problems.error(
                row,
                name,
                _("“%(value)s” is not a date and time (use YYYY-MM-DD HH:MM or DD/MM/YYYY HH:MM).")
                % {"value": value},
                "bad_time",
            )
            return None

    def _normalise_dossier(self, raw: dict, row: int, default_unit: str):
        """(code, agency code, reported fields, TTHC code) of a record's dossier
        fields, reporting the bad ones."""
        code = _text(raw.get("code"), 100)
        if not code:
            self.problems.error(row, "code", _("The dossier code is missing."), "required")
        unit_code = _text(raw.get("unit_code"), 40) or default_unit
        if unit_code not in self.unit_rows:
            self.unit_rows[unit_code] = row
        fields = {}
        for name in ("received_at", "due_at", "resolved_at", "delivered_at"):
            value = raw.get(name)
            if value not in (None, ""):
                parsed = self._time(row, name, value)
                if parsed is not None:
                    fields[name] = parsed
        proc = _text(raw.get("procedure_code"), 60)
        if proc:
            fields["procedure_code"] = proc
            self._count_procedure(proc, row)
        channel_raw = self._map("channel", raw.get("channel"))
        if channel_raw not in (None, ""):
            channel = parse_channel(channel_raw)
            if channel is None:
                self.problems.error(
                    row,
                    "channel",
                    _("Unknown channel “%(value)s” (counter, online or post).")
                    % {"value": channel_raw},
                    "bad_value",
                )
            else:
                fields["channel"] = channel
        status_raw = self._map("status", raw.get("status"))
        if status_raw not in (None, ""):
            if status_raw in STATUS_VALUES:
                fields["status"] = status_raw
            else:
                self.problems.error(
                    row,
                    "status",
                    _("Unknown status “%(value)s”.") % {"value": status_raw},
                    "bad_value",
                )
        division = _text(raw.get("division"), 200)
        if division:
            fields["division"] = division
        return code, unit_code, fields, proc

    def normalise(self, record: Record, default_unit: str) -> Norm | None:
        errors_before = self.problems.error_count
        raw, row = record.fields, record.row
        self.records += 1
        last = self._last_dossier
        if last is not None and last[0] == default_unit and raw == self._last_raw:
            # Same dossier fields as the previous record (text only): same result,
            # the same dict (never changed in place: copied below before a change).
            _unit, code, unit_code, fields, proc = last
            if proc:
                self._count_procedure(proc, row)
        else:
            code, unit_code, fields, proc = self._normalise_dossier(raw, row, default_unit)
            if (
                code
                and self.problems.error_count == errors_before
                and all(type(v) is str or v is None for v in raw.values())
            ):
                self._last_raw = dict(raw)
                self._last_dossier = (default_unit, code, unit_code, dict(fields), proc)
            else:
                self._last_raw = self._last_dossier = None
        key = (unit_code, code)
        events = []
        rows = record.event_rows or [row] * len(record.events)
        kinds = self._kinds
        steps, actors, divisions = self._steps, self._actors, self._divisions
        for ev, ev_row in zip(record.events, rows, strict=False):
            self.events += 1
            raw_kind = ev.get("kind")
            try:
                kind, implied_channel = kinds[raw_kind]
            except (KeyError, TypeError):
                kind, implied_channel = self._kind(raw_kind)
            if implied_channel is not None and "channel" not in fields:
                fields = {**fields, "channel": implied_channel["channel"]}
            if kind is None:
                self.problems.error(
                    ev_row,
                    "kind",
                    _("Unknown status or event kind “%(value)s”.") % {"value": raw_kind},
                    "bad_value",
                )
                continue
            value = ev.get("at")
            if type(value) is str and value:
                try:
                    at = _parse_text_time(value)
                except (ValueError, TypeError, OverflowError):
                    at = self._time(ev_row, "at", value)
            else:
                at = self._time(ev_row, "at", value)
            if at is None:
                if value in (None, ""):
                    self.problems.error(ev_row, "at", _("The event has no time."), "required")
                continue
            if (
                kind == EventKind.TRANSFERRED
                and raw_kind is not None
                and self._kind_mapped
                and self.last_kind.get(key) == EventKind.SUPPLEMENT_REQUESTED
            ):
                kind = EventKind.SUPPLEMENT_RECEIVED
            self.last_kind[key] = kind
            new_due = ev.get("new_due_at")
            new_due = (
                None
                if new_due is None or new_due == ""
                else self._time(ev_row, "new_due_at", new_due)
            )
            # Steps, actors and divisions repeat: cleaned once each (plain dicts,
            # cheaper than the LRU cache of `_text` on a million rows).
            step, actor, division = ev.get("step"), ev.get("actor"), ev.get("event_division")
            try:
                step = steps[step]
            except (KeyError, TypeError):
                step = self._cached(steps, step, 200)
            try:
                actor = actors[actor]
            except (KeyError, TypeError):
                actor = self._cached(actors, actor, 150)
            try:
                division = divisions[division]
            except (KeyError, TypeError):
                division = self._cached(divisions, division, 200)
            events.append((at, kind, step, actor, division, new_due, ev_row))
        # What the whole-batch checks need: receipt, first event, result.
        if code:
            t = self.timeline.get(key)
            if t is None:
                t = self.timeline[key] = [None, None, None, None, None, None, 0]
            t[6] += 1  # records of this dossier
            if "received_at" in fields and t[0] is None:
                t[0], t[1] = fields["received_at"], row
            for ev in events:
                if t[2] is None or ev[0] < t[2]:
                    t[2], t[3] = ev[0], ev[6]
            if "resolved_at" in fields:
                t[4], t[5] = fields["resolved_at"], row
        if self.problems.error_count > errors_before or not code:
            return None
        return Norm(row, code, unit_code, fields, events)

    def check_timeline(self):
        """Events and results before receipt (errors, or warnings when lenient)."""
        report = self.problems.warning if self.lenient else self.problems.error
        for (_unit, code), (
            received,
            _r_row,
            first,
            f_row,
            resolved,
            s_row,
            _records,
        ) in self.timeline.items():
            if received is None:
                continue
            if first is not None and first < received:
                report(
                    f_row,
                    "at",
                    _("Dossier %(code)s: an event at %(at)s is before its receipt at %(received)s.")
                    % {"code": code, "at": _show(first), "received": _show(received)},
                    "event_before_receipt",
                )
            if resolved is not None and resolved < received:
                report(
                    s_row,
                    "resolved_at",
                    _("Dossier %(code)s: resolved at %(at)s, before its receipt at %(received)s.")
                    % {"code": code, "at": _show(resolved), "received": _show(received)},
                    "result_before_receipt",
                )


def _show(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")


# ---------------------------------------------------------------- validation in chunks


def normalised_chunks(
    records: Iterable[Record],
    normaliser: Normaliser,
    default_unit: str,
    position: Callable[[], float | None] | None = None,
) -> Iterator[tuple[list[Norm], int, float | None]]:
    """Validate `records` as a stream: (chunk, records read, share of the file read)
    for each chunk of about `CHUNK` valid records, cut between two dossiers (a new
    dossier whose rows are all in one chunk is classified before its insert, see
    `Applier`). After the first error no chunk has records any more (there is nothing
    to apply), but the rest is still read and checked, so that the report names every
    bad row; empty chunks then carry the progress. The whole-batch checks
    (`Normaliser.check_timeline`) run at the end."""
    problems = normaliser.problems
    buffer: list[Norm] = []
    read = 0
    try:
        for record in records:
            norm = normaliser.normalise(record, default_unit)
            if not problems.ok:
                buffer = []
                read += 1
                if read % CHUNK == 0:
                    yield [], normaliser.records, position() if position else None
                continue
            if norm is None:
                continue
            if len(buffer) >= CHUNK:
                last = buffer[-1]
                if last[1] != norm[1] or last[2] != norm[2] or len(buffer) >= 2 * CHUNK:
                    yield buffer, normaliser.records - 1, position() if position else None
                    buffer = []
            buffer.append(norm)
    except FileProblem as exc:
        problems.error(exc.row, exc.column, str(exc), "unreadable")
    normaliser.check_timeline()
    yield (buffer if problems.ok else []), normaliser.records, 1.0 if position else None


def merge_chunk(norms: list[Norm]) -> list[tuple]:
    """A chunk's records per dossier, as `Applier.apply_chunk` takes them: (first
    row, code, agency code, fields (later values win), events in time order without
    repeats of a natural key, number of repeats left out)."""
    merged: dict[tuple[str, str], list] = {}
    for row, code, unit_code, fields, events in norms:
        m = merged.get((unit_code, code))
        if m is None:
            merged[(unit_code, code)] = [row, code, unit_code, fields, list(events)]
        else:
            if fields is not m[3]:  # (the rows of one dossier often share one dict)
                m[3] = {**m[3], **fields}
            m[4].extend(events)
    out = []
    for row, code, unit_code, fields, events in merged.values():
        kept, seen = [], set()
        for ev in sorted(events, key=_event_time):
            key = (ev[0], ev[1], ev[2])
            if key not in seen:
                seen.add(key)
                kept.append(ev)
        out.append((row, code, unit_code, fields, kept, len(events) - len(kept)))
    return out


def _event_time(event: tuple):
    return event[0]


class InlineValidation:
    """`normalised_chunks` in this process (small files, or where fork is missing),
    each chunk merged per dossier."""

    def __init__(self, records, normaliser, default_unit, position=None):
        self.normaliser = normaliser
        self._chunks = normalised_chunks(records, normaliser, default_unit, position)

    def __iter__(self):
        for chunk, read, share in self._chunks:
            yield merge_chunk(chunk), read, share

    def close(self):
        self._chunks.close()


class ValidatorProcess:
    """`normalised_chunks` in a forked child process: on a large file the parent
    applies one chunk while the child reads and checks the next (two cores instead
    of one). The chunks come through a pipe, merged per dossier; at the end the child
    sends what the whole-batch checks found, and `self.normaliser` (the parent's,
    which read nothing) takes over the child's problems and counts.

    The child only reads the file and normalises (no database, no Django state
    written): it leaves with os._exit, never closing the parent's connections."""

    def __init__(self, records, normaliser, default_unit, position=None):
        import multiprocessing

        self.normaliser = normaliser
        context = multiprocessing.get_context("fork")
        self._receiver, sender = context.Pipe(duplex=False)
        self._process = context.Process(
            target=_validate_in_child,
            args=(sender, self._receiver, records, normaliser, default_unit, position),
            daemon=True,
        )
        self._process.start()
        sender.close()

    def __iter__(self):
        loads = pickle.loads
        while True:
            try:
                kind, payload = loads(self._receiver.recv_bytes())
            except EOFError:
                raise RuntimeError(_("The validation process stopped unexpectedly.")) from None
            if kind == "chunk":
                yield payload
            elif kind == "done":
                self._adopt(payload)
                return
            else:  # the child's traceback: for the log, not for the user
                logger.error("dossier import: the validation process failed:\n%s", payload)
                raise RuntimeError(_("The validation process failed: see the server log."))

    def _adopt(self, summary: dict):
        n, child = self.normaliser, summary["problems"]
        n.problems.errors, n.problems.warnings = child.errors, child.warnings
        n.problems.error_count, n.problems.warning_count = child.error_count, child.warning_count
        n.unit_rows, n.procedure_rows = summary["unit_rows"], summary["procedure_rows"]
        n.records, n.events = summary["records"], summary["events"]

    def close(self):
        """Stop the child: at once when this process gave up early (an error), its
        reading is then of no use."""
        self._receiver.close()
        process = self._process
        process.join(timeout=0.5)
        if process.is_alive():
            process.terminate()
            process.join(timeout=1)
        if process.is_alive():
            process.kill()
            process.join()


def _child_hygiene(receiver):
    """In the validating child: keep nothing of the parent that could hold it alive
    or keep the parent's resources open. It closes its copy of the pipe's reading
    end (so that a write fails once the parent stops reading), takes the default
    signal handlers back (a worker's or a web server's own handler may ignore
    SIGTERM), dies with its parent (Linux), and closes its copies of the parent's
    database sockets without a word to the server (os.close, not a disconnection)."""
    import signal

    receiver.close()
    for name in ("SIGTERM", "SIGINT", "SIGQUIT", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
    try:
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    from django.db import connections

    for conn in connections.all(initialized_only=True):
        raw = getattr(conn, "connection", None)
        pgconn = getattr(raw, "pgconn", None)
        try:
            fd = pgconn.socket if pgconn is not None else None
        except Exception:  # a closed connection has no socket
            fd = None
        if fd is not None and fd >= 0:
            try:
                os.close(fd)
            except OSError:
                pass


def _validate_in_child(sender, receiver, records, normaliser, default_unit, position):
    _child_hygiene(receiver)
    dumps, protocol = pickle.dumps, pickle.HIGHEST_PROTOCOL
    try:
        for chunk, count, share in normalised_chunks(records, normaliser, default_unit, position):
            sender.send_bytes(dumps(("chunk", (merge_chunk(chunk), count, share)), protocol))
        summary = {
            "problems": normaliser.problems,
            "unit_rows": normaliser.unit_rows,
            "procedure_rows": normaliser.procedure_rows,
            "records": normaliser.records,
            "events": normaliser.events,
        }
        sender.send_bytes(dumps(("done", summary), protocol))
    except (BrokenPipeError, ConnectionResetError):
        pass  # the parent stopped reading (it gave up): nothing to say
    except BaseException:  # the parent reports it; the child must not raise past here
        import traceback

        try:
            sender.send_bytes(dumps(("failed", traceback.format_exc()), protocol))
        except OSError:
            pass
    finally:
        sender.close()


# ---------------------------------------------------------------- result


@dataclass
class BatchResult:
    batch: ImportBatch
    errors: list[ImportIssue]
    warnings: list[ImportIssue]
    error_count: int = 0
    warning_count: int = 0
    timings: dict = field(default_factory=dict)
    cpu_timings: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.error_count

    def summary(self) -> str:
        b = self.batch
        if not self.ok:
            return _("%(count)d error(s): nothing was imported.") % {"count": self.error_count}
        return _(
            "Dossiers: %(dc)d created, %(du)d updated, %(dn)d unchanged. "
            "Events: %(ec)d created, %(en)d unchanged."
        ) % {
            "dc": b.dossiers_created,
            "du": b.dossiers_updated,
            "dn": b.dossiers_unchanged,
            "ec": b.events_created,
            "en": b.events_unchanged,
        }


class _Rollback(Exception):
    pass


# ---------------------------------------------------------------- progress


class Progress:
    """Writes a batch's progress where other sessions can see it. Inside the apply
    transaction the batch row is written through a second connection (PostgreSQL);
    SQLite allows one writer, so there the page shows the phase without numbers."""

    def __init__(self, batch: ImportBatch, callback: Callable | None = None, every: int = CHUNK):
        self.batch, self.callback, self.every = batch, callback, every
        self._last = 0
        self._at = 0.0
        self._side = None

    def _write(self, **values):
        if not self.batch.pk:
            return
        if not connection.in_atomic_block:
            ImportBatch.objects.filter(pk=self.batch.pk).update(**values)
            return
        if connection.vendor != "postgresql":
            return
        try:
            if self._side is None:
                from django.db import connections

                self._side = connections.create_connection("default")
                self._side.set_autocommit(True)
                with self._side.cursor() as cursor:
                    # A progress figure lost in a crash is harmless: no wait for the
                    # disk on each of its commits.
                    cursor.execute("SET synchronous_commit = off")
            sets = ", ".join(f"{k} = %s" for k in values)
            with self._side.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {ImportBatch._meta.db_table} SET {sets} WHERE id = %s",
                    [*values.values(), self.batch.pk],
                )
        except Exception:  # progress is a courtesy: never fail an import for it
            self._side = None

    def set(self, processed: int, total: int | None = None, force: bool = False):
        if self.callback:
            self.callback(processed, total)
        if force or (processed - self._last >= self.every and time.monotonic() - self._at >= 0.5):
            self._last, self._at = processed, time.monotonic()
            values = {"processed": processed}
            if total is not None:
                values["total"] = total
            self._write(**values)

    def close(self):
        if self._side is not None:
            self._side.close()
            self._side = None


# ---------------------------------------------------------------- apply


def _db_prep(model, names, rows):
    """Values ready for the driver. Date-times are converted the way Django does (on
    SQLite: naive UTC text), other values go as they are: far faster than calling
    get_db_prep_save for every value of a million rows."""
    fields = [model._meta.get_field(n) for n in names]
    kinds = []
    for f in fields:
        if isinstance(f, models.DateTimeField):
            kinds.append("dt")
        elif isinstance(f, models.DateField):
            kinds.append("date")
        elif f.get_internal_type() in ("CharField", "TextField", "PositiveIntegerField",
                                       "PositiveSmallIntegerField", "IntegerField",
                                       "BigAutoField", "AutoField", "FloatField",
                                       "ForeignKey", "OneToOneField",
                                       "BooleanField"):  # fmt: skip
            kinds.append("raw")
        else:
            kinds.append(f)
    # PostgreSQL: psycopg adapts date-times and dates as they are.
    as_is = {"raw"} if connection.vendor == "sqlite" else {"raw", "dt", "date"}
    if all(k in as_is for k in kinds):
        return rows  # nothing to convert
    utc = dt.UTC

    def prep_dt(v):  # SQLite
        if v is None:
            return v
        offset = v.utcoffset()
        if offset is None:
            return str(v.astimezone(utc).replace(tzinfo=None))
        return str(_combine(v.date(), v.time()) - offset)  # faster than replace()

    def prep_date(v):  # SQLite
        return v.isoformat() if v is not None else v

    def prep_field(f):
        return lambda v: f.get_db_prep_save(v, connection)

    convert = [
        (i, prep_dt if k == "dt" else prep_date if k == "date" else prep_field(k))
        for i, k in enumerate(kinds)
        if k not in as_is
    ]
    out = []
    for row in rows:
        prepared = list(row)
        for i, f in convert:
            prepared[i] = f(prepared[i])
        out.append(prepared)
    return out


# Column types (as Django declares them, without their size) that psycopg writes in
# COPY's binary format: the server then parses no text (a date-time as text costs it
# more than the row's insert), and the driver packs numbers and instants in C.
_BINARY_TYPES = {
    "bigint": "int8",
    "integer": "int4",
    "smallint": "int2",
    "varchar": "text",
    "text": "text",
    "timestamp with time zone": "timestamptz",
    "date": "date",
    "boolean": "bool",
    "double precision": "float8",
    "jsonb": "jsonb",
}


def copy_types(model, names: list[str]) -> list[str] | None:
    """The binary COPY types of these fields of `model`, or None when one of them
    has a type not listed in `_BINARY_TYPES` (then COPY goes as text)."""
    types = []
    for name in names:
        field = model._meta.get_field(name)
        db_type = (field.db_type(connection) or "").split("(")[0].strip().lower()
        pg = _BINARY_TYPES.get(db_type)
        if pg is None:
            return None
        types.append(pg)
    return types


def _copy_rows(cursor, table: str, columns: list[str], rows, types: list[str] | None = None):
    """COPY rows (driver-ready values) into `table` (PostgreSQL, psycopg 3): in the
    binary format when the column `types` are given, else as text."""
    qn = connection.ops.quote_name
    sql = f"COPY {qn(table)} ({', '.join(qn(c) for c in columns)}) FROM STDIN"
    if types is not None:
        sql += " (FORMAT BINARY)"
    with cursor.cursor.copy(sql) as copy:
        if types is not None:
            copy.set_types(types)
        write = copy.write_row
        for row in rows:
            write(row)


def update_many(model, names: list[str], rows: list[tuple]):
    """UPDATE model SET names... WHERE id = ? for many rows (last item: the id).
    PostgreSQL: COPY into a temporary table, then one UPDATE ... FROM; SQLite: one
    executemany. Both far faster than bulk_update's CASE expressions."""
    if not rows:
        return
    table = model._meta.db_table
    pk = model._meta.pk.column
    qn = connection.ops.quote_name
    columns = [model._meta.get_field(n).column for n in names]
    prepared = _db_prep(model, names, [r[:-1] for r in rows])
    if connection.vendor == "postgresql":
        temp = f"_govqms_upd_{table}"
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {qn(temp)}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {qn(temp)} AS SELECT {qn(pk)}, "
                f"{', '.join(qn(c) for c in columns)} FROM {qn(table)} WITH NO DATA"
            )
            _copy_rows(
                cursor,
                temp,
                [pk, *columns],
                ([r[-1], *p] for p, r in zip(prepared, rows, strict=True)),
                copy_types(model, [model._meta.pk.name, *names]),
            )
            cursor.execute(
                f"UPDATE {qn(table)} AS t SET "
                f"{', '.join(f'{qn(c)} = u.{qn(c)}' for c in columns)} "
                f"FROM {qn(temp)} AS u WHERE t.{qn(pk)} = u.{qn(pk)}"
            )
            cursor.execute(f"DROP TABLE {qn(temp)}")
        return
    sql = (
        f"UPDATE {qn(table)} SET {', '.join(f'{qn(c)} = %s' for c in columns)} WHERE {qn(pk)} = %s"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, [[*p, r[-1]] for p, r in zip(prepared, rows, strict=True)])


def insert_many(model, names: list[str], rows: list[tuple]):
    """INSERT model (names...) for many rows (no ids back): COPY on PostgreSQL, one
    executemany on SQLite."""
    if not rows:
        return
    qn = connection.ops.quote_name
    columns = [model._meta.get_field(n).column for n in names]
    prepared = _db_prep(model, names, rows)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _copy_rows(cursor, model._meta.db_table, columns, prepared, copy_types(model, names))
            return
        sql = (
            f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(c) for c in columns)}) "
            f"VALUES ({', '.join(['%s'] * len(columns))})"
        )
        cursor.executemany(sql, prepared)


def reserve_ids(model, count: int) -> list[int] | None:
    """`count` fresh primary keys from the table's sequence (PostgreSQL), so rows can
    be COPied with their ids; None elsewhere (ids are read back after the insert)."""
    if connection.vendor != "postgresql" or not count:
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [model._meta.db_table, count],
        )
        return [r[0] for r in cursor.fetchall()]


def _fast_timestamps(cursor):
    """psycopg's own (C) loader of timestamptz for this cursor: Django's loader is
    written in Python and costs more than the query. Both give aware datetimes in
    the session's time zone (UTC, which Django sets)."""
    from psycopg.types.datetime import TimestamptzLoader

    cursor.cursor.adapters.register_loader("timestamptz", TimestamptzLoader)


def read_events(dossier_ids, columns=("dossier_id", "at", "kind", "step", "seq"), order=()):
    """Rows of the events of these dossiers, straight from the cursor (date-times
    parsed here: Django's per-value converters cost more than the query), in the
    `order` of these columns within each slice of ids (ids in increasing order)."""
    qn = connection.ops.quote_name
    table = qn(DossierEvent._meta.db_table)
    at_index = [i for i, c in enumerate(columns) if c in ("at", "new_due_at")]
    sqlite = connection.vendor == "sqlite"
    parse = dt.datetime.fromisoformat
    combine = _combine  # faster than replace(tzinfo=...)
    utc = dt.UTC
    ids = list(dossier_ids)
    with connection.cursor() as cursor:
        if not sqlite:
            _fast_timestamps(cursor)
        for start in range(0, len(ids), 900):
            part = ids[start : start + 900]
            cursor.execute(
                f"SELECT {', '.join(qn(c) for c in columns)} FROM {table} "
                f"WHERE {qn('dossier_id')} IN ({', '.join(['%s'] * len(part))})"
                + (f" ORDER BY {', '.join(qn(c) for c in order)}" if order else ""),
                part,
            )
            for row in cursor.fetchall():
                if sqlite:
                    row = list(row)
                    for i in at_index:
                        v = row[i]
                        if v is not None:
                            if isinstance(v, str):
                                v = parse(v)
                            row[i] = combine(v.date(), v.time(), utc) if v.tzinfo is None else v
                yield row


EVENT_COLUMNS = ["dossier", "seq", "step", "actor", "division", "at", "kind", "new_due_at"]
# The import writes the step times of the dossiers it classifies before inserting.
EVENT_INSERT = [*EVENT_COLUMNS, "hours", "allotted_hours", "on_time"]
# Derived fields of a dossier that `Applier.DOSSIER_INSERT` does not list already.
_DERIVED_EXTRA = ["due_at", "apology_at", "apology_new_due_at", "apology_compliant"]


@lru_cache(maxsize=1)
def _new_dossier_defaults() -> dict:
    return {
        f.attname: f.get_default()
        for f in Dossier._meta.concrete_fields
        if f.attname in {Dossier._meta.get_field(n).attname for n in Applier.DOSSIER_INSERT}
    }


def _new_events(events: list, have: set, seq: int) -> tuple[list, int]:
    """The events of a dossier that are not there yet (natural key not in `have`,
    which grows), in time order, numbered from `seq` + 1; and how many were there."""
    out, dup = [], 0
    for ev in sorted(events, key=lambda e: e[0]):
        k = (ev[0], ev[1], ev[2])
        if k in have:
            dup += 1
            continue
        have.add(k)
        seq += 1
        out.append((seq, ev))
    return out, dup


class Applier:
    """Applies the validated chunks (`units`: the batch's agencies by code, checked
    before each chunk). A new dossier is classified before it is inserted, its step
    times written with its events and its KPI facts handed to `facts`
    (`kpis.services.ImportFacts`): nothing is read back or rewritten for it. The
    chunks cut between dossiers, so a dossier's rows are usually all in one; when a
    later chunk brings more rows of a dossier created by the batch, that dossier is
    then treated as a stored one. Stored dossiers that change are in `touched`,
    classified after the apply."""

    def __init__(
        self,
        batch: ImportBatch,
        units: dict[str, Unit],
        *,
        facts=None,
        now: dt.datetime | None = None,
    ):
        self.batch = batch
        self.units = units
        self.procedures: dict[str, int | None] = {}  # TTHC code -> id (None: unknown)
        self.created: set[int] = set()
        self.created_keys: set[tuple[int, str]] = set()  # (agency id, code)
        self._empty_units: dict[int, bool] = {}
        self.updated: set[int] = set()
        self.seen: set[int] = set()
        self.touched: set[int] = set()
        self.classified: set[int] = set()  # new dossiers classified before insert
        self.preclassified_changed: set[int] = set()  # ... whose classification set fields
        self.events_created = 0
        self.events_unchanged = 0
        self.problems: list[tuple[int, str, str]] = []
        self.facts = facts
        self.now = now or timezone.now()
        self.limits: dict[int, object] = {}  # TTHC id -> time limit in working days
        self.steps: dict[tuple[int, int], list] = {}  # documented steps, as read
        self._steps_read: set[tuple[int, int]] = set()
        self.calendars: dict = {}
        self._derived_defaults = None

    DOSSIER_INSERT = [
        "unit",
        "code",
        "procedure",
        "received_at",
        "batch",
        "search_text",
        "status",
        "clock_restarts",
        "apology_count",
        "steps_late",
        "outcome",
        *[a for a in STORED.values() if a != "received_at"],
        *_DERIVED_EXTRA,
    ]

    def _resolve_procedures(self, codes: set[str]):
        """Look up the TTHC codes not seen yet (the catalogue's ids and time limits)."""
        missing = [c for c in codes if c not in self.procedures]
        for start in range(0, len(missing), 900):
            part = missing[start : start + 900]
            for code, pk, limit in AdministrativeProcedure.objects.filter(
                code__in=part
            ).values_list("code", "id", "time_limit_days"):
                self.procedures[code] = pk
                self.limits[pk] = limit
            for code in part:
                self.procedures.setdefault(code, None)

    def _had_no_dossiers(self, unit_id: int) -> bool:
        """Whether the agency had no dossier when this batch reached it (its first
        import): then the chunks need not look for stored ones. (Should another batch
        commit dossiers of the same codes for that agency meanwhile, this batch then
        fails on the unique code and is rolled back whole: run it again.)"""
        empty = self._empty_units.get(unit_id)
        if empty is None:
            empty = self._empty_units[unit_id] = not Dossier.objects.filter(
                unit_id=unit_id
            ).exists()
        return empty

    def _insert_dossiers(self, dossiers: list[Dossier]):
        """One executemany, then one query per agency for the new ids."""
        names = self.DOSSIER_INSERT
        ids = reserve_ids(Dossier, len(dossiers))
        if ids is not None:  # PostgreSQL: COPY the rows with their ids
            for d, pk in zip(dossiers, ids, strict=True):
                d.pk = d.id = pk
            names = ["id", *names]
        attnames = [Dossier._meta.get_field(n).attname for n in names]
        insert_many(Dossier, names, [tuple(getattr(d, a) for a in attnames) for d in dossiers])
        if ids is not None:
            return
        by_unit: dict[int, dict[str, Dossier]] = defaultdict(dict)
        for d in dossiers:
            by_unit[d.unit_id][d.code] = d
        for unit_id, codes in by_unit.items():
            names_list = list(codes)
            for start in range(0, len(names_list), 900):
                for pk, code in Dossier.objects.filter(
                    unit_id=unit_id, code__in=names_list[start : start + 900]
                ).values_list("pk", "code"):
                    codes[code].pk = pk

    def _read_steps(self, pairs: set[tuple[int, int]]):
        from govqms.kpis.services import documented_steps

        missing = pairs - self._steps_read
        if missing:
            self.steps.update(documented_steps(missing))
            self._steps_read |= missing

    def _classify_new(self, complete: list[tuple]):
        """Classify new dossiers `complete` [(namespace, unit, [(seq, event)])] in
        memory (as `classify.classify_dossiers` would once they are stored): their
        derived fields are set on them, the step times kept by seq in `d.timings`."""
        from .. import classify

        derived = classify.DERIVED
        if self._derived_defaults is None:
            defaults = _new_dossier_defaults()
            self._derived_defaults = tuple(
                defaults[Dossier._meta.get_field(n).attname] for n in derived
            )
        self._read_steps({(unit.pk, d.procedure_id) for d, unit, _e in complete if d.procedure_id})
        Ev = classify.Ev
        for d, unit, numbered in complete:
            evs = [Ev(ev[0], ev[1], ev[2], ev[5], seq) for seq, ev in numbered]
            r = classify.classify_stored(
                d.received_at,
                evs,
                limit=self.limits.get(d.procedure_id),
                channel=d.channel,
                reported_due_at=d.reported_due_at,
                reported_status=d.reported_status,
                resolved_at=d.resolved_at,
                delivered_at=d.delivered_at,
                steps=self.steps.get((unit.pk, d.procedure_id), []),
                province=unit.province,
                calendars=self.calendars,
                now=self.now,
            )
            new = tuple(getattr(r, name) for name in derived)
            if new != self._derived_defaults:
                d.changed_by_classification = True
            for name, value in zip(derived, new, strict=True):
                setattr(d, name, value)
            d.timings = r.step_times
            d.fact = (r.resolved_at, r.due_at, r.status, r.outcome)

    def apply_chunk(self, chunk: list[tuple]):
        """Apply a chunk merged per dossier (`merge_chunk`)."""
        merged: dict[tuple[int, str], list] = {}
        units = self.units
        for row, code, unit_code, fields, events, repeats in chunk:
            merged[(units[unit_code].pk, code)] = [row, fields, events, repeats, unit_code]
            self.events_unchanged += repeats
        self._resolve_procedures(
            {m[1]["procedure_code"] for m in merged.values() if "procedure_code" in m[1]}
        )
        by_unit: dict[int, list[str]] = defaultdict(list)
        for unit_id, code in merged:
            by_unit[unit_id].append(code)
        existing: dict[tuple[int, str], Dossier] = {}
        for unit_id, codes in by_unit.items():
            if self._had_no_dossiers(unit_id):
                # Only what this batch created can be there: no query for the rest.
                created = self.created_keys
                codes = [c for c in codes if (unit_id, c) in created]
                if not codes:
                    continue
            for d in Dossier.objects.filter(unit_id=unit_id, code__in=codes).only(
                "id", "unit_id", "code", "procedure_id", *STORED.values()
            ):
                existing[(unit_id, d.code)] = d
        new_dossiers, changed, complete = [], [], []
        for key, m in merged.items():
            row, fields, events, _repeats, unit_code = m
            d = existing.get(key)
            proc_code = fields.get("procedure_code")
            if d is None:
                received = fields.get("received_at")
                if received is None and events:
                    received = min(e[0] for e in events)
                if received is None:
                    self.problems.append(
                        (
                            row,
                            "received_at",
                            _("Dossier %(code)s has no receipt time and no event.")
                            % {"code": key[1]},
                        )
                    )
                    continue
                # A plain namespace, not a model instance: a million of those cost more
                # than the insert itself.
                d = SimpleNamespace(**_new_dossier_defaults())
                d.pk = None
                d.unit_id, d.code = key
                d.procedure_id = self.procedures.get(proc_code) if proc_code else None
                d.received_at = received
                d.batch_id = self.batch.pk
                d.search_text = fold(key[1])[:200]
                for name, attr in STORED.items():
                    if name in fields and name != "received_at":
                        setattr(d, attr, fields[name])
                new_dossiers.append(d)
                numbered = list(enumerate(events, start=1))  # (in order, without repeats)
                d.numbered = numbered
                complete.append((d, units[unit_code], numbered))
            else:
                diff = False
                for name, attr in STORED.items():
                    if name in fields and getattr(d, attr) != fields[name]:
                        setattr(d, attr, fields[name])
                        diff = True
                if proc_code and d.procedure_id != self.procedures.get(proc_code):
                    d.procedure_id = self.procedures.get(proc_code)
                    diff = True
                if diff:  # (a dossier created by an earlier chunk counts as created)
                    changed.append(d)
            m.append(d)
        if complete:
            self._classify_new(complete)
        if new_dossiers:
            self._insert_dossiers(new_dossiers)
            self.created.update(d.pk for d in new_dossiers)
            self.created_keys.update((d.unit_id, d.code) for d in new_dossiers)
            self.classified.update(d.pk for d, _u, _e in complete)
            self.preclassified_changed.update(
                d.pk for d, _u, _e in complete if getattr(d, "changed_by_classification", False)
            )
        if changed:
            names = ["procedure", *STORED.values()]
            update_many(
                Dossier,
                names,
                [
                    tuple(getattr(d, Dossier._meta.get_field(n).attname) for n in names) + (d.pk,)
                    for d in changed
                ],
            )
            self.updated.update(d.pk for d in changed if d.pk not in self.created)
            self.touched.update(d.pk for d in changed)
        # Events: the existing natural keys of the touched dossiers, in one query.
        old_ids = [d.pk for d in existing.values()]
        keys: dict[int, set] = defaultdict(set)
        max_seq: dict[int, int] = defaultdict(int)
        for dossier_id, at, kind, step, seq in read_events(old_ids):
            keys[dossier_id].add((at, kind, step))
            if seq > max_seq[dossier_id]:
                max_seq[dossier_id] = seq
        rows = []
        for m in merged.values():
            if len(m) < 6:
                continue
            d, events = m[5], m[2]
            self.seen.add(d.pk)
            pk = d.pk
            numbered = getattr(d, "numbered", None)
            if numbered is not None:  # classified before insert: with its step times
                timings = d.timings
                for seq, (at, kind, step, actor, division, new_due, _row) in numbered:
                    t = timings.get(seq)
                    rows.append(
                        (pk, seq, step, actor, division, at, kind, new_due)
                        + ((t[0], t[1], t[2]) if t is not None else (None, None, None))
                    )
                continue
            numbered, dup = _new_events(events, keys[pk], max_seq[pk])
            self.events_unchanged += dup
            for seq, (at, kind, step, actor, division, new_due, _row) in numbered:
                rows.append((pk, seq, step, actor, division, at, kind, new_due, None, None, None))
            if numbered:
                self.touched.add(pk)
                max_seq[pk] = numbered[-1][0]
        insert_many(DossierEvent, EVENT_INSERT, rows)
        self.events_created += len(rows)
        if complete and self.facts is not None:
            self._hand_facts(complete)

    def _hand_facts(self, complete: list[tuple]):
        """The KPI facts of the dossiers classified before insert, as
        `classify.classify_dossiers` hands them over (`fact_sink`)."""
        dossiers, events = [], {}
        for d, unit, numbered in complete:
            resolved, due, status, outcome = d.fact
            dossiers.append(
                (d.pk, unit.pk, unit.province, d.procedure_id, d.received_at, resolved, due)
                + (status, outcome)
            )
            timings = d.timings
            out = []
            for seq, ev in numbered:
                t = timings.get(seq)
                if t is None:
                    out.append((ev[1], ev[2], None, None))
                else:
                    out.append((ev[1], ev[2], t[0], t[2]))
            events[d.pk] = out
        self.facts.add([d.pk for d, _u, _e in complete], dossiers, events, self.steps, fresh=True)


# ---------------------------------------------------------------- running a batch


ANALYZE_AFTER = 50_000


def _analyze_if_large(applier) -> bool:
    """PostgreSQL: after a large batch, refresh the planner's statistics of the tables
    it grew (in the same transaction: ANALYZE sees the batch's own rows), so that
    classifying and rolling up read them by index, not by scanning the table.

    ANALYZE holds its lock (SHARE UPDATE EXCLUSIVE: it blocks no reads or writes,
    only another ANALYZE or VACUUM) until the batch commits, so a second large batch
    running at the same time would wait here: it waits at most two seconds, then
    goes on without fresh statistics."""
    if connection.vendor != "postgresql" or applier.events_created < ANALYZE_AFTER:
        return False
    qn = connection.ops.quote_name
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '2s'")
            cursor.execute(
                f"ANALYZE {qn(Dossier._meta.db_table)}, {qn(DossierEvent._meta.db_table)}"
            )
            cursor.execute("SET LOCAL lock_timeout TO DEFAULT")
    except DatabaseError:  # the lock was not granted in time: statistics stay as they are
        logger.info("dossier import #%s: tables not analysed (locked)", applier.batch.pk)
        return False
    return True


@contextmanager
def gc_paused():
    """Python's cyclic garbage collector off for the duration of a batch: an import
    allocates millions of small objects (rows, tuples, datetimes), none of them in
    reference cycles, and the collector's passes over them cost about a third of the
    batch's CPU time. Reference counting still frees everything as it goes."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def run_batch(
    batch: ImportBatch,
    records: Iterable[Record],
    *,
    actor=None,
    value_maps: dict | None = None,
    labels: dict | None = None,
    progress: Callable | None = None,
    now: dt.datetime | None = None,
    stream=None,
    sequential: bool = True,
) -> BatchResult:
    """Validate `records` and apply them to `batch.unit` in one transaction, which
    is rolled back when anything is wrong. `batch` must be saved. `progress(processed,
    total)` is called as it goes. `stream`: the binary file `records` are read from,
    if any: a large one is validated by a child process while this one applies
    (`ValidatorProcess`); `sequential`: the records are read from it in order (not
    a workbook), so its position tells how far the import is."""
    with gc_paused():
        return _run_batch(
            batch, records, actor, value_maps, labels, progress, now, stream, sequential
        )


def parallel_bytes() -> int:
    """Files from this size on are validated in a child process (setting
    GOVQMS_DOSSIER_PARALLEL_BYTES; below it, forking costs more than it saves)."""
    return settings.GOVQMS_DOSSIER_PARALLEL_BYTES


def _may_fork() -> bool:
    """Whether this process may start a child process (not where fork is missing, nor
    in a daemonic multiprocessing worker, which may have no children)."""
    import multiprocessing

    return hasattr(os, "fork") and not multiprocessing.current_process().daemon


def _share_read(stream):
    """(size of `stream` in bytes, a function giving the share read so far), or
    (None, None) when the stream cannot tell."""
    try:
        here = stream.tell()
        size = stream.seek(0, 2)
        stream.seek(here)
    except (AttributeError, OSError, ValueError):
        return None, None
    if not size:
        return None, None

    def share():
        try:
            return min(1.0, stream.tell() / size)
        except (OSError, ValueError):
            return None

    return size, share


def _run_batch(
    batch, records, actor, value_maps, labels, progress, now, stream, sequential
) -> BatchResult:
    from govqms.kpis import services as kpis

    from .. import classify

    timings, cpu = {}, {}
    clock = [time.perf_counter(), time.process_time()]

    def phase(name):  # wall and CPU time of each phase (the machine may be busy)
        now_wall, now_cpu = time.perf_counter(), time.process_time()
        timings[name], cpu[name] = now_wall - clock[0], now_cpu - clock[1]
        clock[:] = [now_wall, now_cpu]

    problems = Problems(batch.filename or batch.source, labels)
    normaliser = Normaliser(problems, value_maps, lenient=batch.lenient)
    tracker = Progress(batch, progress)
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=BatchStatus.RUNNING, started_at=timezone.now()
    )
    size, share = _share_read(stream) if stream is not None else (None, None)
    if not sequential:
        share = None
    parallel = size is not None and size >= parallel_bytes() and _may_fork()
    validation = None
    # Agencies are checked as the chunks name them; their problems are listed after
    # those of the rows.
    unit_problems = Problems(problems.filename, labels)
    units: dict[str, Unit] = {}  # those checked and allowed
    checked: set[str] = set()
    total = 0
    try:
        if parallel:
            try:
                validation = ValidatorProcess(records, normaliser, batch.unit.code, share)
            except OSError:  # no fork (memory, process limit): validate here instead
                logger.warning("dossier import #%s: no child process, validating here", batch.pk)
                parallel = False
        if validation is None:
            validation = InlineValidation(records, normaliser, batch.unit.code, share)
        now = now or timezone.now()
        facts = kpis.ImportFacts()
        applier = Applier(batch, units, facts=facts, now=now)
        try:
            with transaction.atomic():
                for chunk, read, part in validation:
                    new_units = {}
                    for norm in chunk:
                        if norm[2] not in checked and norm[2] not in new_units:
                            new_units[norm[2]] = norm[0]
                    if new_units:
                        units.update(_check_units(batch, new_units, unit_problems, actor))
                        checked.update(new_units)
                    if chunk and unit_problems.ok and not applier.problems:
                        applier.apply_chunk(chunk)
                    tracker.set(read, int(read / part) if part else None)
                total = normaliser.records
                phase("validate and apply" if parallel else "validate and apply (one process)")
                unchecked = {c: r for c, r in normaliser.unit_rows.items() if c not in checked}
                _check_units(batch, unchecked, unit_problems, actor)
                problems.extend(unit_problems)
                for row, name, message in applier.problems[:MAX_ISSUES]:
                    problems.error(row, name, message, "required")
                _check_procedures(normaliser, problems)
                if not problems.ok:
                    raise _Rollback
                _analyze_if_large(applier)
                # The dashboards read rollups: the facts of the touched dossiers
                # from what classification has just read (chunk by chunk), then
                # the cells they touched (as `kpis.after_import` does).
                # (The new dossiers were classified before their insert, their facts
                # handed over then.)
                changed_after: set[int] = set()
                classify.classify_dossiers(
                    applier.touched, now=now, fact_sink=facts.add, changed_ids=changed_after
                )
                reclassified = len(applier.preclassified_changed | changed_after)
                phase("classify")
                facts.finish()
                phase("rollups")
                batch.dossiers_created = len(applier.created)
                batch.dossiers_updated = len(applier.updated)
                batch.dossiers_unchanged = len(applier.seen - applier.created - applier.updated)
                batch.events_created = applier.events_created
                batch.events_unchanged = applier.events_unchanged
                batch.reclassified = reclassified
                audit.record(
                    actor=actor,
                    action="dossiers_imported",
                    obj=batch,
                    unit=batch.unit,
                    changes={
                        "source": batch.source,
                        "file": batch.filename,
                        "sha256": batch.file_sha256,
                        **batch.counts(),
                    },
                )
                _finish(batch, problems, total, BatchStatus.DONE)
        except _Rollback:
            pass
        if not problems.ok:
            batch.dossiers_created = batch.dossiers_updated = batch.dossiers_unchanged = 0
            batch.events_created = batch.events_unchanged = batch.reclassified = 0
            _finish(batch, problems, total, BatchStatus.FAILED)
    except Exception as exc:
        problems.error(None, None, _("The import failed: %(error)s") % {"error": exc}, "failed")
        _finish(batch, problems, 0, BatchStatus.FAILED)
        raise
    finally:
        if validation is not None:
            validation.close()
        tracker.close()
    logger.info(
        "dossier import #%s: %s", batch.pk, ", ".join(f"{k} {v:.2f}s" for k, v in timings.items())
    )
    return BatchResult(
        batch,
        problems.errors,
        problems.warnings,
        problems.error_count,
        problems.warning_count,
        timings,
        cpu,
    )


def _finish(batch, problems, total, status):
    batch.errors = [e.as_dict() for e in problems.errors]
    if problems.error_count > len(problems.errors):
        batch.errors.append(
            {
                "text": _("… and %(n)d more errors.")
                % {"n": problems.error_count - len(problems.errors)}
            }
        )
    batch.warnings = [w.as_dict() for w in problems.warnings]
    if problems.warning_count > len(problems.warnings):
        batch.warnings.append(
            {
                "text": _("… and %(n)d more warnings.")
                % {"n": problems.warning_count - len(problems.warnings)}
            }
        )
    batch.total = total
    batch.processed = total if status == BatchStatus.DONE else batch.processed
    batch.status = status
    batch.finished_at = timezone.now()
    batch.save()


def _check_units(batch, unit_rows: dict[str, int], problems, actor) -> dict[str, Unit]:
    """The agencies of these codes ({code: first row}) that this batch may write to;
    a problem for each of the others."""
    from ..services.imports import may_import

    if not unit_rows:
        return {}
    units = {u.code: u for u in Unit.objects.filter(code__in=list(unit_rows))}
    allowed = {}
    for code, row in unit_rows.items():
        unit = units.get(code)
        if unit is None:
            problems.error(
                row,
                "unit_code",
                _("Unknown agency code “%(code)s”.") % {"code": code},
                "unknown_agency",
            )
        elif unit.pk != batch.unit.pk and not unit.path.startswith(batch.unit.path):
            problems.error(
                row,
                "unit_code",
                _("Agency “%(code)s” is not %(unit)s or under it.")
                % {"code": code, "unit": batch.unit},
                "other_agency",
            )
        elif actor is not None and not may_import(actor, unit):
            problems.error(
                row,
                "unit_code",
                _("You may not import dossiers for %(unit)s.") % {"unit": unit},
                "permission",
            )
        else:
            allowed[code] = unit
    return allowed


def _check_procedures(normaliser, problems) -> dict[str, int]:
    codes = list(normaliser.procedure_rows)
    known = {}
    for start in range(0, len(codes), 900):
        known.update(
            AdministrativeProcedure.objects.filter(code__in=codes[start : start + 900]).values_list(
                "code", "id"
            )
        )
    for code, (first_row, count) in normaliser.procedure_rows.items():
        if code not in known:
            more = count - 1
            message = _(
                "TTHC code “%(code)s” is not in the catalogue: "
                "imported without a computed due date."
            ) % {"code": code}
            if more:
                message += " " + _("(%(n)d more rows with this code)") % {"n": more}
            problems.warning(first_row, "procedure_code", message, "unknown_procedure")
    return known
