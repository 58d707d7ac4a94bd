"""The working-day engine: the one place that counts working time.

Everything that says "N working days" or "N working hours" (due dates of dossiers,
step allotments, the 5-working-day deadline to update an ISO list, apology notices)
goes through a `Calendar`:

    cal = Calendar.for_scope("Bắc Ninh")          # national rules + that province
    due = cal.add_working_days(received, 15)      # a 15-working-day limit
    cal.working_hours_between(received, resolved) # exact working time, in hours

Which days are worked
    A day is a working day unless it is a weekend day (Saturday, Sunday) or a public
    holiday of Vietnam as the `holidays` package knows it (`country_holidays("VN")`,
    with its substitute days off and the weekend days worked in their exchange, its
    `weekend_workdays`). On top of that come the `CalendarOverride` rows: national ones
    (empty scope) then the province's own; `day_off` makes a day non-working,
    `working_day` and `removed_holiday` make it worked.

Office hours
    `settings.GOVQMS_OFFICE_HOURS` (default 07:30-11:30 and 13:30-17:30: 8 hours a day,
    so 8 working hours = 1 working day), local time of Asia/Ho_Chi_Minh. Instants are
    timezone-aware datetimes (stored in UTC by Django); the engine computes in local
    time, which is UTC+07:00 with no daylight saving over the whole range (true since
    1975), and returns datetimes carrying that fixed +07:00 offset.

Definitions
    * Working clock. `W(t)` = the working time elapsed from the start of the range
      until instant t: whole working days before t's date times the day's working
      length, plus the office time of t's own day before t (0 on a day off). It is
      continuous and non-decreasing; it stands still outside office hours.
    * `working_time_between(a, b)` = W(b) - W(a) (exact, negative when b < a);
      `working_hours_between` is the same in hours (a float).
    * `add_working_time(t, d)` (d > 0) = the earliest instant u with W(u) = W(t) + d:
      it always lies inside office hours of a working day (the closing time included,
      e.g. 8 hours from 09:30 Friday is 09:30 the next working day, and 2 hours from
      09:30 is 11:30, not 13:30). With d = 0 it returns t unchanged.
    * Receipt day of an instant t (`receipt_day`): the date of t if that date is a
      working day and t is before the close of office hours (17:30) — so a dossier
      received at 06:50 or during the lunch break counts from that day — otherwise the
      next working day. With a `cutoff` (e.g. `PAPER_CUTOFF`, 15:00 by default for
      paper dossiers), receipt at or after the cutoff also moves to the next working day.
    * Due date of a limit of N working days (`add_working_days(t, N)`): the close of
      office hours (17:30) of the N-th working day after the receipt day. N = 0 means
      the close of the receipt day itself ("within the day"). For example a dossier
      received at 10:00 on Monday 5 January 2026 with a limit of 3 days is due on
      Thursday 8 January at 17:30; received at 16:00 on Friday 9 January (paper, cutoff
      15:00) its receipt day is Saturday 10 January (a worked Saturday in 2026) and a
      3-day limit is due Wednesday 14 January at 17:30.
    * `working_days_between(d1, d2)` = the number of working days d with
      d1 < d <= d2 (dates, or the local dates of datetimes; negative when d2 < d1).
      So `working_days_between(receipt_day(t), add_working_days(t, N)) == N`.

Constant time
    Building a calendar precomputes, for every day of the range, whether it is worked
    and the number of working days before it (`cum`), and the inverse (`nth`: the day
    of the k-th working day). After that every call is a few array lookups and a little
    arithmetic within one day: no loop over days. `add_working_days_many` and
    `working_hours_between_many` do the same over numpy arrays for bulk work.

Range
    2015-01-01 to 2035-12-31 by default (`DEFAULT_YEARS`); any instant or result outside
    the calendar's range raises `CalendarRangeError`.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

import numpy as np

TIME_ZONE = "Asia/Ho_Chi_Minh"
ZONE = ZoneInfo(TIME_ZONE)
# Vietnam has kept UTC+07:00 without daylight saving since 1975 (checked in the tests
# against the tz database over the whole range), so local time is a fixed offset.
LOCAL = dt.timezone(dt.timedelta(hours=7), "ICT")
DEFAULT_YEARS = range(2015, 2036)
DEFAULT_OFFICE_HOURS = (("07:30", "11:30"), ("13:30", "17:30"))
DEFAULT_PAPER_CUTOFF = "15:00"

US = dt.timedelta(microseconds=1)
SECOND_US = 1_000_000
HOUR_US = 3600 * SECOND_US
DAY_US = 24 * HOUR_US
OFFSET_US = 7 * HOUR_US
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_fromtimestamp = dt.datetime.fromtimestamp
_EPOCH_DAY = dt.date(1970, 1, 1).toordinal()

DAY_OFF = "day_off"
WORKING_DAY = "working_day"
REMOVED_HOLIDAY = "removed_holiday"
OVERRIDE_KINDS = (DAY_OFF, WORKING_DAY, REMOVED_HOLIDAY)


class CalendarRangeError(ValueError):
    """An instant, a date or a result outside the range the calendar was built for."""


@dataclass(frozen=True)
class Override:
    """One override as the engine sees it (from a `CalendarOverride` row)."""

    date: dt.date
    kind: str
    scope: str = ""
    legal_basis: str = ""
    note: str = ""


# --- settings -------------------------------------------------------------------------


def _parse_time(value) -> dt.time:
    if isinstance(value, dt.time):
        return value
    return dt.time.fromisoformat(str(value))


def _time_us(value: dt.time) -> int:
    return ((value.hour * 60 + value.minute) * 60 + value.second) * SECOND_US + value.microsecond


def office_hours() -> tuple[tuple[dt.time, dt.time], ...]:
    """The office intervals of a working day: `settings.GOVQMS_OFFICE_HOURS`, a list of
    (start, end) as "HH:MM" strings or `datetime.time`, local time."""
    from django.conf import settings

    raw = getattr(settings, "GOVQMS_OFFICE_HOURS", DEFAULT_OFFICE_HOURS)
    return tuple((_parse_time(a), _parse_time(b)) for a, b in raw)


def paper_cutoff() -> dt.time:
    """Paper dossiers received at or after this local time count from the next working
    day: `settings.GOVQMS_PAPER_CUTOFF`, default 15:00."""
    from django.conf import settings

    return _parse_time(getattr(settings, "GOVQMS_PAPER_CUTOFF", DEFAULT_PAPER_CUTOFF))


# --- instants -------------------------------------------------------------------------


def to_us(instant: dt.datetime) -> int:
    """Microseconds since the Unix epoch (UTC) of an aware datetime, exactly."""
    if instant.tzinfo is None:
        raise ValueError("The working-day engine needs timezone-aware datetimes.")
    return (instant - _EPOCH) // US


def from_us(us: int) -> dt.datetime:
    """The instant `us` microseconds after the epoch, as a local (+07:00) datetime.

    (Through a float of seconds, which is exact to the microsecond until 2038: the
    float's error stays under 0.25 µs and `fromtimestamp` rounds to the microsecond.)"""
    return _fromtimestamp(us / SECOND_US, LOCAL)


def local_date(value: dt.date | dt.datetime) -> dt.date:
    """A date as is; an aware datetime's date in Vietnam."""
    if isinstance(value, dt.datetime):
        return dt.date.fromordinal((to_us(value) + OFFSET_US) // DAY_US + _EPOCH_DAY)
    return value


@lru_cache(maxsize=16)
def _package_holidays(first_year: int, last_year: int, language: str = "vi"):
    """What the `holidays` package knows: {date: name}, its worked weekend days (the
    Saturdays worked in exchange for a substitute day off) and the weekend."""
    import holidays

    known = holidays.country_holidays(
        "VN", years=range(first_year, last_year + 1), language=language
    )
    names = {day: str(name) for day, name in known.items()}
    workdays = frozenset(getattr(known, "weekend_workdays", ()) or ())
    weekend = frozenset(getattr(known, "weekend", {5, 6}))
    return names, workdays, weekend


def package_holidays(years: Iterable[int], language: str = "vi") -> dict[dt.date, str]:
    """Vietnam's public holidays for `years` as the installed `holidays` package has them,
    named in `language` ("vi", "en_US" or "th")."""
    years = list(years)
    return dict(_package_holidays(min(years), max(years), language)[0])


def package_weekend_workdays(years: Iterable[int]) -> frozenset[dt.date]:
    """The weekend days the `holidays` package knows to be worked (exchanges)."""
    years = list(years)
    return _package_holidays(min(years), max(years))[1]


# --- the calendar ---------------------------------------------------------------------


class Calendar:
    """An immutable, precomputed working calendar for one scope (the nation or a
    province) over a range of years. Build it with `Calendar.for_scope` (cached, with
    the overrides from the database) or `Calendar.build` (no database)."""

    __slots__ = (
        "province_code",
        "first",
        "last",
        "office_hours",
        "paper_cutoff",
        "holidays",
        "overrides",
        "weekend",
        "weekend_workdays",
        "_base",
        "_n",
        "_working",
        "_cum",
        "_nth",
        "_k_open",
        "_k_next",
        "_due_close",
        "_intervals",
        "_day",
        "_open",
        "_close",
        "_cutoff",
        "_np_working",
        "_np_cum",
        "_np_nth",
        "__weakref__",
    )

    def __init__(
        self,
        *,
        years: Iterable[int] = DEFAULT_YEARS,
        overrides: Iterable[Override] = (),
        province_code: str | None = None,
        hours: Sequence[tuple] | None = None,
        cutoff: dt.time | str | None = None,
        holiday_names: dict[dt.date, str] | None = None,
        weekend_workdays: Iterable[dt.date] | None = None,
    ):
        years = list(years)
        if not years:
            raise ValueError("A calendar needs at least one year.")
        first_year, last_year = min(years), max(years)
        names, package_workdays, weekend = _package_holidays(first_year, last_year)
        if holiday_names is not None:
            names = holiday_names
        if weekend_workdays is not None:
            package_workdays = frozenset(weekend_workdays)
        self.province_code = province_code or ""
        self.first = dt.date(first_year, 1, 1)
        self.last = dt.date(last_year, 12, 31)
        self.weekend = weekend
        self.holidays = {d: n for d, n in names.items() if self.first <= d <= self.last}
        self.weekend_workdays = frozenset(
            d for d in package_workdays if self.first <= d <= self.last
        )
        # National overrides first, the province's own on top.
        ordered = sorted(overrides, key=lambda o: (o.scope != "", o.date))
        self.overrides = {o.date: o for o in ordered if self.first <= o.date <= self.last}

        self._office(hours if hours is not None else office_hours(), cutoff)

        self._base = self.first.toordinal() - _EPOCH_DAY  # epoch day of the first day
        n = (self.last - self.first).days + 1
        self._n = n
        working = bytearray(n)
        for i in range(n):
            day = self.first + dt.timedelta(days=i)
            worked = day.weekday() not in weekend and day not in self.holidays
            if day in self.weekend_workdays:
                worked = True
            override = self.overrides.get(day)
            if override is not None:
                worked = override.kind != DAY_OFF
            working[i] = worked
        cum = [0] * (n + 1)
        nth = []
        for i in range(n):
            cum[i + 1] = cum[i] + working[i]
            if working[i]:
                nth.append(i)
        self._working = bytes(working)
        self._cum = tuple(cum)
        self._nth = tuple(nth)
        # For `add_working_days`, the hot path: the rank of the first working day that
        # counts for a receipt on day i before the close (the day itself if worked) and
        # after it; the due instant (close of office hours) of each working day, made
        # once (datetimes are immutable, so one object serves every call).
        self._k_open = tuple(cum[i] if working[i] else cum[i + 1] for i in range(n))
        self._k_next = tuple(cum[1:])
        self._due_close = tuple(
            _fromtimestamp(
                ((self._base + day) * DAY_US + self._close - OFFSET_US) / SECOND_US, LOCAL
            )
            for day in nth
        )
        self._np_working = np.frombuffer(self._working, dtype=np.uint8).astype(bool)
        self._np_cum = np.array(cum, dtype=np.int64)
        self._np_nth = np.array(nth, dtype=np.int64)
        for array in (self._np_working, self._np_cum, self._np_nth):
            array.setflags(write=False)

    def _office(self, hours, cutoff):
        intervals, before, previous_end = [], 0, -1
        for start, end in hours:
            s, e = _time_us(_parse_time(start)), _time_us(_parse_time(end))
            if not (previous_end <= s < e <= DAY_US):
                raise ValueError(
                    "Office hours must be ordered, non-overlapping intervals within a day."
                )
            intervals.append((s, e, before))
            before += e - s
            previous_end = e
        if not intervals:
            raise ValueError("Office hours are empty.")
        self.office_hours = tuple((_parse_time(a), _parse_time(b)) for a, b in hours)
        self._intervals = tuple(intervals)
        self._day = before
        self._open = intervals[0][0]
        self._close = intervals[-1][1]
        self.paper_cutoff = _parse_time(cutoff) if cutoff is not None else None
        self._cutoff = None if cutoff is None else _time_us(_parse_time(cutoff))

    # -- construction with the database ------------------------------------------------

    @classmethod
    def build(cls, province_code=None, years=DEFAULT_YEARS, overrides=(), **kwargs) -> Calendar:
        """A calendar from explicit overrides (no database)."""
        return cls(province_code=province_code, years=years, overrides=overrides, **kwargs)

    @classmethod
    def for_scope(cls, province_code: str | None = None, years=None) -> Calendar:
        """The calendar of a province (its `Unit.province`; None or "" for the national
        calendar), with the national and that province's overrides from the database.

        Cached per scope and range; each call reads the scope's overrides (one small
        query) and rebuilds only if they changed, so a change made by another process
        is seen at the next call. Keep the returned calendar for a whole batch."""
        from .selectors_calendar import overrides_for_engine

        years = DEFAULT_YEARS if years is None else years
        first_year, last_year = min(years), max(years)
        scope = province_code or ""
        rows = overrides_for_engine(scope)
        hours, cutoff = office_hours(), paper_cutoff()
        key = (scope, first_year, last_year)
        fingerprint = (rows, hours, cutoff)
        with _lock:
            hit = _cache.get(key)
            if hit is not None and hit[0] == fingerprint:
                return hit[1]
        calendar = cls(
            province_code=scope,
            years=range(first_year, last_year + 1),
            overrides=rows,
            hours=hours,
            cutoff=cutoff,
        )
        with _lock:
            _cache[key] = (fingerprint, calendar)
        return calendar

    def __repr__(self):
        scope = self.province_code or "national"
        return f"<Calendar {scope} {self.first.year}-{self.last.year}>"

    # -- days --------------------------------------------------------------------------

    @property
    def working_hours_per_day(self) -> float:
        return self._day / HOUR_US

    def _index(self, day: dt.date) -> int:
        i = day.toordinal() - _EPOCH_DAY - self._base
        if not 0 <= i < self._n:
            raise CalendarRangeError(
                f"{day.isoformat()} is outside the working calendar "
                f"({self.first.isoformat()} to {self.last.isoformat()})."
            )
        return i

    def _day_of(self, i: int) -> dt.date:
        return dt.date.fromordinal(self._base + i + _EPOCH_DAY)

    def is_working_day(self, day: dt.date | dt.datetime) -> bool:
        """Is this date (or the local date of this instant) a working day?"""
        return bool(self._working[self._index(local_date(day))])

    def working_days_between(self, d1: dt.date | dt.datetime, d2: dt.date | dt.datetime) -> int:
        """The number of working days d with d1 < d <= d2 (negative if d2 < d1)."""
        i1, i2 = self._index(local_date(d1)), self._index(local_date(d2))
        return self._cum[i2 + 1] - self._cum[i1 + 1]

    def working_days_in(self, start: dt.date, end: dt.date) -> int:
        """The number of working days from `start` to `end`, both included."""
        return self._cum[self._index(end) + 1] - self._cum[self._index(start)]

    def next_working_day(self, day: dt.date | dt.datetime, n: int = 1) -> dt.date:
        """The n-th working day after `day` (n >= 1)."""
        if n < 1:
            raise ValueError("n must be at least 1.")
        k = self._cum[self._index(local_date(day)) + 1] + n - 1
        if k >= len(self._nth):
            raise CalendarRangeError("The result is after the end of the working calendar.")
        return self._day_of(self._nth[k])

    def day_kind(self, day: dt.date) -> str:
        """What a day is, for display: "working", "weekend", "holiday", "swap_working"
        (a weekend day worked by the package's exchange) or an override kind."""
        self._index(day)
        override = self.overrides.get(day)
        if override is not None:
            return override.kind
        if day in self.weekend_workdays:
            return "swap_working"
        if day in self.holidays:
            return "holiday"
        if day.weekday() in self.weekend:
            return "weekend"
        return "working"

    # -- instants ----------------------------------------------------------------------

    def _locate(self, instant: dt.datetime) -> tuple[int, int]:
        """(day index in the range, microseconds since local midnight)."""
        if instant.tzinfo is None:
            raise ValueError("The working-day engine needs timezone-aware datetimes.")
        i, tod = divmod((instant - _EPOCH) // US + OFFSET_US, DAY_US)
        i -= self._base
        if not 0 <= i < self._n:
            raise CalendarRangeError(
                f"{instant.isoformat()} is outside the working calendar "
                f"({self.first.isoformat()} to {self.last.isoformat()})."
            )
        return i, tod

    def _clock(self, i: int, tod: int) -> int:
        """W: working microseconds from the start of the range to (day i, time tod)."""
        w = self._cum[i] * self._day
        if self._working[i]:
            for start, end, before in self._intervals:
                if tod <= start:
                    return w + before
                if tod < end:
                    return w + before + tod - start
            return w + self._day
        return w

    def _at_clock(self, x: int) -> int:
        """The earliest epoch microsecond at which W reaches x (x > 0)."""
        k, r = divmod(x, self._day)
        if r == 0:
            k, r = k - 1, self._day
        if not 0 <= k < len(self._nth):
            raise CalendarRangeError("The result is after the end of the working calendar.")
        for start, end, before in self._intervals:
            if r <= before + end - start:
                tod = start + r - before
                break
        return (self._base + self._nth[k]) * DAY_US + tod - OFFSET_US

    def working_clock(self, instant: dt.datetime) -> dt.timedelta:
        """W(instant): working time from the start of the calendar's range."""
        return dt.timedelta(microseconds=self._clock(*self._locate(instant)))

    def working_time_between(self, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
        """Exact working time from `start` to `end` (negative if end < start)."""
        return dt.timedelta(
            microseconds=self._clock(*self._locate(end)) - self._clock(*self._locate(start))
        )

    def working_hours_between(self, start: dt.datetime, end: dt.datetime) -> float:
        """Working time from `start` to `end`, in hours (8 hours = 1 working day)."""
        return (self._clock(*self._locate(end)) - self._clock(*self._locate(start))) / HOUR_US

    def add_working_time(self, instant: dt.datetime, amount: dt.timedelta) -> dt.datetime:
        """The earliest instant when `amount` of working time has elapsed since `instant`."""
        us = amount // US
        if us < 0:
            raise ValueError("Working time to add must not be negative.")
        if us == 0:
            self._locate(instant)
            return instant
        return from_us(self._at_clock(self._clock(*self._locate(instant)) + us))

    def add_working_hours(self, instant: dt.datetime, hours: float) -> dt.datetime:
        """`add_working_time` with an amount in hours (rounded to the microsecond)."""
        return self.add_working_time(instant, dt.timedelta(hours=hours))

    def receipt_day(self, instant: dt.datetime, cutoff: dt.time | None = None) -> dt.date:
        """The working day from which a limit counts (see the module's definitions)."""
        i, tod = self._locate(instant)
        return self._day_of(self._nth[self._receipt_k(i, tod, cutoff)])

    def _receipt_k(self, i: int, tod: int, cutoff) -> int:
        limit = self._close if cutoff is None else min(self._close, _time_us(_parse_time(cutoff)))
        k = self._cum[i] if (self._working[i] and tod < limit) else self._cum[i + 1]
        if k >= len(self._nth):
            raise CalendarRangeError("The result is after the end of the working calendar.")
        return k

    def add_working_days(
        self, instant: dt.datetime, days: int, *, cutoff: dt.time | None = None
    ) -> dt.datetime:
        """Due instant of a limit of `days` working days from receipt at `instant`: the
        close of office hours of the `days`-th working day after the receipt day.
        `cutoff` (local time, e.g. `calendar.paper_cutoff` for paper dossiers): a
        receipt at or after it counts from the next working day."""
        # Inlined (`_locate`, `_receipt_k`, `from_us`) and read from tables made with
        # the calendar: this is the hot path (millions of dossiers).
        if days < 0:
            raise ValueError("A limit in working days must not be negative.")
        try:
            i, tod = divmod((instant - _EPOCH) // US + OFFSET_US, DAY_US)
        except TypeError:
            if getattr(instant, "tzinfo", 0) is None:  # a naive datetime
                raise ValueError("The working-day engine needs timezone-aware datetimes.") from None
            raise
        i -= self._base
        if not 0 <= i < self._n:
            self._locate(instant)  # raises the range error
        limit = self._close if cutoff is None else min(self._close, _time_us(_parse_time(cutoff)))
        k = (self._k_open[i] if tod < limit else self._k_next[i]) + days
        try:
            return self._due_close[k]
        except IndexError:
            raise CalendarRangeError(
                "The due date is after the end of the working calendar."
            ) from None

    # -- many at once (numpy) ----------------------------------------------------------

    def _as_us_array(self, instants) -> tuple[np.ndarray, bool]:
        if isinstance(instants, np.ndarray):
            if np.issubdtype(instants.dtype, np.datetime64):
                return instants.astype("datetime64[us]").astype(np.int64), True
            return instants.astype(np.int64, copy=False), False
        return np.fromiter((to_us(t) for t in instants), dtype=np.int64), False

    def _locate_many(self, us: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        i, tod = np.divmod(us + OFFSET_US, DAY_US)
        i -= self._base
        if i.size and (i.min() < 0 or i.max() >= self._n):
            raise CalendarRangeError(
                f"An instant is outside the working calendar "
                f"({self.first.isoformat()} to {self.last.isoformat()})."
            )
        return i, tod

    def add_working_days_many(self, instants, days, *, cutoff: dt.time | None = None):
        """`add_working_days` over arrays. `instants`: a numpy datetime64 array (UTC), an
        int64 array of epoch microseconds, or a sequence of aware datetimes; `days`: an
        int or an int array. Returns datetime64[us] (UTC) for a datetime64 input, else
        int64 epoch microseconds."""
        us, as_datetime = self._as_us_array(instants)
        days = np.asarray(days, dtype=np.int64)
        if days.size and days.min() < 0:
            raise ValueError("A limit in working days must not be negative.")
        i, tod = self._locate_many(us)
        limit = self._close if cutoff is None else min(self._close, _time_us(_parse_time(cutoff)))
        same_day = self._np_working[i] & (tod < limit)
        k = np.where(same_day, self._np_cum[i], self._np_cum[i + 1]) + days
        if k.size and k.max() >= len(self._np_nth):
            raise CalendarRangeError("A due date is after the end of the working calendar.")
        due = (self._base + self._np_nth[k]) * DAY_US + (self._close - OFFSET_US)
        return due.astype("datetime64[us]") if as_datetime else due

    def working_clock_many(self, instants) -> np.ndarray:
        """W over an array of instants, in microseconds (int64)."""
        us, _ = self._as_us_array(instants)
        i, tod = self._locate_many(us)
        within = np.zeros_like(tod)
        for start, end, _before in self._intervals:
            within += np.clip(tod - start, 0, end - start)
        return self._np_cum[i] * self._day + np.where(self._np_working[i], within, 0)

    def working_hours_between_many(self, starts, ends) -> np.ndarray:
        """`working_hours_between` over arrays of instants (float64 hours)."""
        return (self.working_clock_many(ends) - self.working_clock_many(starts)) / HOUR_US


_cache: dict[tuple, tuple] = {}
_lock = threading.Lock()


def invalidate() -> None:
    """Forget every cached calendar (called when overrides change)."""
    with _lock:
        _cache.clear()
