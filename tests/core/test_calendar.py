"""The working-day engine: known cases of 2024-2027, properties checked with hypothesis
against slow reference implementations that walk day by day, the vectorised bulk
functions, and the per-scope cache with the override table."""

import datetime as dt
from functools import cache
from zoneinfo import ZoneInfo

import holidays
import numpy as np
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govqms.core import calendar as engine
from govqms.core import services_calendar as services
from govqms.core.calendar import Calendar, CalendarRangeError, Override
from govqms.core.models import AuditEntry, CalendarOverride

VN = ZoneInfo("Asia/Ho_Chi_Minh")
HOURS = (("07:30", "11:30"), ("13:30", "17:30"))
NEW_YEAR_2026 = (
    Override(dt.date(2026, 1, 2), engine.DAY_OFF, legal_basis="12729/VPCP-KGVX"),
    Override(dt.date(2026, 1, 10), engine.WORKING_DAY, legal_basis="12729/VPCP-KGVX"),
)
# A province's own changes on top of the national ones (for the reference to follow).
PROVINCE = (
    Override(dt.date(2025, 6, 16), engine.DAY_OFF, scope="Bắc Ninh"),
    Override(dt.date(2025, 6, 21), engine.WORKING_DAY, scope="Bắc Ninh"),
    Override(dt.date(2025, 9, 1), engine.REMOVED_HOLIDAY, scope="Bắc Ninh"),
)


def at(*args, tz=VN):
    return dt.datetime(*args, tzinfo=tz)


@pytest.fixture(scope="module")
def cal():
    return Calendar.build(overrides=NEW_YEAR_2026 + PROVINCE, hours=HOURS, cutoff="15:00")


@pytest.fixture(scope="module")
def bare():
    """The holidays package alone, no override."""
    return Calendar.build(hours=HOURS)


# --- the slow references ------------------------------------------------------------------


@cache
def _package(year):
    return holidays.country_holidays("VN", years=year)


def ref_is_working(day, overrides=NEW_YEAR_2026 + PROVINCE):
    """Day by day, straight from the package and the overrides (province last)."""
    chosen = [o for o in overrides if o.date == day]
    if chosen:
        return sorted(chosen, key=lambda o: o.scope != "")[-1].kind != engine.DAY_OFF
    known = _package(day.year)
    if day in known.weekend_workdays:
        return True
    return day.weekday() < 5 and day not in known


def ref_receipt_day(t, cutoff=None):
    local = t.astimezone(VN)
    limit = dt.time(17, 30) if cutoff is None else min(dt.time(17, 30), cutoff)
    day = local.date()
    if ref_is_working(day) and local.time() < limit:
        return day
    day += dt.timedelta(days=1)
    while not ref_is_working(day):
        day += dt.timedelta(days=1)
    return day


def ref_add_working_days(t, n, cutoff=None):
    day = ref_receipt_day(t, cutoff)
    while n:
        day += dt.timedelta(days=1)
        if ref_is_working(day):
            n -= 1
    return dt.datetime.combine(day, dt.time(17, 30), VN)


def ref_working_time(a, b):
    """Sum, day by day, of the overlap of [a, b] with the office intervals."""
    if b < a:
        return -ref_working_time(b, a)
    total = dt.timedelta()
    day = a.astimezone(VN).date()
    while day <= b.astimezone(VN).date():
        if ref_is_working(day):
            for start, end in HOURS:
                s = dt.datetime.combine(day, dt.time.fromisoformat(start), VN)
                e = dt.datetime.combine(day, dt.time.fromisoformat(end), VN)
                lo, hi = max(s, a), min(e, b)
                if hi > lo:
                    total += hi - lo
        day += dt.timedelta(days=1)
    return total


def in_office_hours(t):
    local = t.astimezone(VN).time()
    return any(dt.time.fromisoformat(s) <= local <= dt.time.fromisoformat(e) for s, e in HOURS)


# --- strategies ---------------------------------------------------------------------------

LO = engine.to_us(at(2015, 1, 1))
HI = engine.to_us(at(2035, 6, 30))  # leaves room for the results


@st.composite
def instants(draw, lo=LO, hi=HI):
    us = draw(st.integers(lo, hi))
    tz = draw(st.sampled_from([VN, dt.UTC, engine.LOCAL]))
    return engine.from_us(us).astimezone(tz)


@st.composite
def office_instants(draw):
    """An instant inside office hours of a working day (the opening excluded)."""
    day = draw(st.dates(dt.date(2015, 1, 1), dt.date(2035, 6, 30)))
    while not ref_is_working(day):
        day += dt.timedelta(days=1)
    start, end = draw(st.sampled_from(HOURS))
    s = dt.datetime.combine(day, dt.time.fromisoformat(start), VN)
    span = (dt.datetime.combine(day, dt.time.fromisoformat(end), VN) - s) // engine.US
    return s + dt.timedelta(microseconds=draw(st.integers(1, span - 1)))


durations = st.integers(1, 400 * engine.HOUR_US).map(lambda us: dt.timedelta(microseconds=us))
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --- known cases --------------------------------------------------------------------------


def test_the_holidays_package_knows_tet_2026_but_not_the_new_year_swap(bare):
    for day in range(16, 21):  # Monday 16 to Friday 20 February 2026
        assert not bare.is_working_day(dt.date(2026, 2, day))
    assert bare.is_working_day(dt.date(2026, 2, 13)) and bare.is_working_day(dt.date(2026, 2, 23))
    assert bare.working_days_in(dt.date(2026, 2, 14), dt.date(2026, 2, 22)) == 0  # nine days off
    # 1 January 2026 is known; the day off on Friday 2 January and the worked Saturday
    # 10 January are not: they need overrides (Công văn 12729/VPCP-KGVX, 25/12/2025).
    assert not bare.is_working_day(dt.date(2026, 1, 1))
    assert bare.is_working_day(dt.date(2026, 1, 2))
    assert not bare.is_working_day(dt.date(2026, 1, 10))


def test_new_year_2026_with_its_overrides(cal):
    assert not cal.is_working_day(dt.date(2026, 1, 1))
    assert not cal.is_working_day(dt.date(2026, 1, 2))
    assert cal.is_working_day(dt.date(2026, 1, 10))
    assert cal.day_kind(dt.date(2026, 1, 10)) == engine.WORKING_DAY
    # Received Wednesday 31 December 2025 at 10:00, 2 days: Monday 5, Tuesday 6 January.
    assert cal.add_working_days(at(2025, 12, 31, 10), 2) == at(2026, 1, 6, 17, 30)
    # Received Friday 9 January at 10:00, 1 day: the worked Saturday 10 January.
    assert cal.add_working_days(at(2026, 1, 9, 10), 1) == at(2026, 1, 10, 17, 30)


def test_liberation_day_labour_day_and_national_day(cal):
    off = [
        (2024, 4, 29), (2024, 4, 30), (2024, 5, 1), (2024, 9, 2), (2024, 9, 3),
        (2025, 4, 30), (2025, 5, 1), (2025, 5, 2), (2025, 9, 2),
        (2026, 4, 27), (2026, 4, 30), (2026, 5, 1), (2026, 8, 31), (2026, 9, 1), (2026, 9, 2),
        (2027, 4, 30), (2027, 5, 3), (2027, 9, 2), (2027, 9, 3),
    ]  # fmt: skip
    for day in off:
        assert not cal.is_working_day(dt.date(*day)), day
    # Saturdays worked in exchange, as the package knows them.
    for day in [(2024, 5, 4), (2025, 4, 26), (2026, 8, 22)]:
        assert cal.is_working_day(dt.date(*day)), day
        assert cal.day_kind(dt.date(*day)) == "swap_working"
    # 2 September 2025 with its adjacent Monday 1 September, nationally.
    bare = Calendar.build(overrides=NEW_YEAR_2026, hours=HOURS)
    assert not bare.is_working_day(dt.date(2025, 9, 1))
    # ... which the province of PROVINCE works (a removed holiday).
    assert cal.is_working_day(dt.date(2025, 9, 1))


def test_the_documented_examples(cal):
    assert cal.add_working_days(at(2026, 1, 5, 10), 3) == at(2026, 1, 8, 17, 30)
    paper = dt.time(15, 0)
    assert cal.receipt_day(at(2026, 1, 9, 16), cutoff=paper) == dt.date(2026, 1, 10)
    assert cal.add_working_days(at(2026, 1, 9, 16), 3, cutoff=paper) == at(2026, 1, 14, 17, 30)
    assert cal.add_working_hours(at(2026, 1, 5, 9, 30), 2) == at(2026, 1, 5, 11, 30)
    assert cal.add_working_hours(at(2026, 1, 9, 9, 30), 8) == at(2026, 1, 10, 9, 30)


def test_receipt_day_around_office_hours(cal):
    monday = dt.date(2026, 3, 2)
    for time, expected in [
        ((6, 0), monday),  # before opening: that day
        ((12, 0), monday),  # lunch break: that day
        ((17, 29, 59), monday),
        ((17, 30), dt.date(2026, 3, 3)),  # at closing: the next working day
        ((22, 0), dt.date(2026, 3, 3)),
    ]:
        assert cal.receipt_day(at(2026, 3, 2, *time)) == expected, time
    assert cal.receipt_day(at(2026, 3, 2, 14, 59), cutoff=dt.time(15)) == monday
    assert cal.receipt_day(at(2026, 3, 2, 15, 0), cutoff=dt.time(15)) == dt.date(2026, 3, 3)
    # A Saturday before Tết: the first working day after it.
    assert cal.receipt_day(at(2026, 2, 14, 9)) == dt.date(2026, 2, 23)
    assert cal.add_working_days(at(2026, 2, 14, 9), 0) == at(2026, 2, 23, 17, 30)


def test_instants_in_utc_and_local_agree(cal):
    local = at(2026, 1, 5, 10)
    utc = local.astimezone(dt.UTC)
    assert cal.add_working_days(utc, 4) == cal.add_working_days(local, 4)
    assert cal.working_hours_between(utc, at(2026, 1, 6, 10)) == 8
    assert cal.add_working_days(local, 4).utcoffset() == dt.timedelta(hours=7)


def test_no_daylight_saving_in_vietnam_over_the_range():
    day = dt.date(2015, 1, 1)
    while day <= dt.date(2035, 12, 31):
        assert dt.datetime.combine(day, dt.time(12), VN).utcoffset() == dt.timedelta(hours=7)
        day += dt.timedelta(days=29)


def test_errors(cal):
    with pytest.raises(CalendarRangeError):
        cal.is_working_day(dt.date(2014, 12, 31))
    with pytest.raises(CalendarRangeError):
        cal.add_working_days(at(2036, 1, 2, 9), 1)
    with pytest.raises(CalendarRangeError):
        cal.add_working_days(at(2035, 12, 20, 9), 30)  # due after the range
    with pytest.raises(CalendarRangeError):
        cal.add_working_days_many(np.array([engine.to_us(at(2036, 1, 2))]), 1)
    with pytest.raises(ValueError, match="timezone-aware"):
        cal.add_working_days(dt.datetime(2026, 1, 5, 9), 1)
    with pytest.raises(ValueError):
        cal.add_working_days(at(2026, 1, 5, 9), -1)
    with pytest.raises(ValueError):
        Calendar.build(hours=(("13:30", "17:30"), ("07:30", "11:30")))


def test_a_calendar_over_other_years_and_office_hours():
    short = Calendar.build(years=range(2026, 2027), hours=(("08:00", "12:00"),), cutoff=None)
    assert short.working_hours_per_day == 4
    assert short.add_working_hours(at(2026, 3, 2, 10), 4) == at(2026, 3, 3, 10)
    assert short.add_working_days(at(2026, 3, 2, 13), 1) == at(2026, 3, 4, 12)  # after closing
    with pytest.raises(CalendarRangeError):
        short.is_working_day(dt.date(2025, 12, 31))


# --- properties ---------------------------------------------------------------------------


def test_is_working_day_agrees_with_the_reference_every_day(cal):
    day = cal.first
    while day <= cal.last:
        assert cal.is_working_day(day) == ref_is_working(day), day
        day += dt.timedelta(days=1)


@FAST
@given(t=instants(), n=st.integers(0, 60), paper=st.booleans())
def test_add_working_days_agrees_with_the_reference(cal, t, n, paper):
    cutoff = dt.time(15) if paper else None
    due = cal.add_working_days(t, n, cutoff=cutoff)
    assert due == ref_add_working_days(t, n, cutoff)
    # Never on a day off, always at the close of office hours.
    assert cal.is_working_day(due) and due.astimezone(VN).time() == dt.time(17, 30)
    # Adding then counting gives back the same number of days.
    assert cal.working_days_between(cal.receipt_day(t, cutoff), due) == n


@FAST
@given(t=office_instants(), n=st.integers(0, 60))
def test_days_round_trip_from_office_hours(cal, t, n):
    assert cal.working_days_between(t, cal.add_working_days(t, n)) == n


@FAST
@given(t=instants(), d=durations)
def test_add_then_count_working_time(cal, t, d):
    u = cal.add_working_time(t, d)
    assert u > t
    assert cal.working_time_between(t, u) == d
    assert cal.working_time_between(u, t) == -d
    # Inside office hours of a working day, and the earliest such instant.
    assert cal.is_working_day(u) and in_office_hours(u)
    assert cal.working_time_between(t, u - engine.US) == d - engine.US


@FAST
@given(t=office_instants(), h=st.floats(0.001, 300, allow_nan=False))
def test_add_then_count_working_hours(cal, t, h):
    u = cal.add_working_hours(t, h)
    assert abs(cal.working_hours_between(t, u) - h) < 1e-9
    assert cal.is_working_day(u) and in_office_hours(u)


@FAST
@given(a=instants(), span=st.integers(0, 40 * 24 * engine.HOUR_US))
def test_working_time_agrees_with_the_reference(cal, a, span):
    b = a + dt.timedelta(microseconds=span)
    assert cal.working_time_between(a, b) == ref_working_time(a, b)


@FAST
@given(a=instants(), b=instants(), n=st.integers(0, 30), m=st.integers(0, 30), d=durations)
def test_monotonic(cal, a, b, n, m, d):
    a, b = min(a, b), max(a, b)
    assert cal.add_working_days(a, n) <= cal.add_working_days(b, n)
    assert cal.add_working_days(a, min(n, m)) <= cal.add_working_days(a, max(n, m))
    assert cal.add_working_time(a, d) <= cal.add_working_time(b, d)
    assert cal.working_time_between(a, b) >= dt.timedelta(0)
    assert cal.working_days_between(a, b) >= 0


@FAST
@given(d1=st.dates(dt.date(2015, 1, 1), dt.date(2035, 12, 31)), n=st.integers(1, 40))
def test_next_working_day_and_counting(cal, d1, n):
    try:
        d2 = cal.next_working_day(d1, n)
    except CalendarRangeError:
        return
    assert cal.is_working_day(d2) and cal.working_days_between(d1, d2) == n
    assert cal.working_days_between(d2, d1) == -n


@FAST
@given(ts=st.lists(instants(), min_size=1, max_size=30), n=st.integers(0, 40))
def test_the_vectorised_functions_agree_with_the_scalar_ones(cal, ts, n):
    us = np.array([engine.to_us(t) for t in ts], dtype=np.int64)
    days = np.arange(len(ts)) % (n + 1)
    for cutoff in (None, dt.time(15)):
        due = cal.add_working_days_many(us, days, cutoff=cutoff)
        pairs = zip(ts, days, strict=True)
        expected = [cal.add_working_days(t, int(k), cutoff=cutoff) for t, k in pairs]
        assert [engine.from_us(int(x)) for x in due] == expected
    as_dt64 = cal.add_working_days_many(us.astype("datetime64[us]"), n)
    assert as_dt64.dtype == np.dtype("datetime64[us]")
    ends = us[::-1]
    hours = cal.working_hours_between_many(us, ends)
    for t, e, h in zip(ts, ts[::-1], hours, strict=True):
        assert abs(h - cal.working_hours_between(t, e)) < 1e-9


# --- the override table and the cached calendars -----------------------------------------


def test_for_scope_reads_the_overrides_and_is_cached(world):
    national = Calendar.for_scope()
    assert Calendar.for_scope() is national
    assert national.is_working_day(dt.date(2026, 1, 2))  # not loaded yet
    added = services.load_official_overrides()
    assert [o.date for o in added] == [dt.date(2026, 1, 2), dt.date(2026, 1, 10)]
    assert services.load_official_overrides() == []  # idempotent
    after = Calendar.for_scope()
    assert after is not national
    assert not after.is_working_day(dt.date(2026, 1, 2)) and after.is_working_day(
        dt.date(2026, 1, 10)
    )
    # A province's change applies to that province only.
    services.add_override(
        world.dost_admin,
        date=dt.date(2026, 3, 9),
        kind=engine.DAY_OFF,
        legal_basis="Quyết định 12/QĐ-UBND tỉnh Bắc Ninh",
        scope="Bắc Ninh",
    )
    assert not Calendar.for_scope("Bắc Ninh").is_working_day(dt.date(2026, 3, 9))
    assert Calendar.for_scope("Lạng Sơn").is_working_day(dt.date(2026, 3, 9))
    assert Calendar.for_scope().is_working_day(dt.date(2026, 3, 9))
    assert not Calendar.for_scope("Bắc Ninh").is_working_day(dt.date(2026, 1, 2))  # national


def test_changes_are_audited(world):
    override = services.add_override(
        world.dost_admin,
        date=dt.date(2026, 3, 9),
        kind=engine.DAY_OFF,
        legal_basis="Quyết định 12/QĐ-UBND",
        note="Ngày hội văn hóa tỉnh",
        scope="Bắc Ninh",
    )
    entry = AuditEntry.objects.get(action="calendar_override_add")
    assert entry.actor == world.dost_admin and entry.unit == world.p
    assert entry.changes["legal_basis"] == [None, "Quyết định 12/QĐ-UBND"]
    services.delete_override(world.dost_admin, override, reason="Nhập nhầm")
    entry = AuditEntry.objects.get(action="calendar_override_delete")
    assert entry.changes["date"] == ["2026-03-09", None] and entry.note == "Nhập nhầm"
    assert not CalendarOverride.objects.exists()
    assert Calendar.for_scope("Bắc Ninh").is_working_day(dt.date(2026, 3, 9))


def test_who_may_change_which_calendar(world, django_user_model):
    args = {"date": dt.date(2026, 3, 9), "kind": engine.DAY_OFF, "legal_basis": "QĐ 1"}
    with pytest.raises(PermissionDenied):  # national: superusers only
        services.add_override(world.dost_admin, **args)
    with pytest.raises(PermissionDenied):  # another province
        services.add_override(world.dost_admin, scope="Lạng Sơn", **args)
    for user in (world.dost_officer, world.q_officer, world.a_secretary, world.b_secretary):
        with pytest.raises(PermissionDenied):
            services.add_override(user, scope="Bắc Ninh", **args)
    root = django_user_model.objects.create_superuser("root", "root@example.vn", "x")
    national = services.add_override(root, **args)
    with pytest.raises(PermissionDenied):
        services.delete_override(world.dost_admin, national)
    services.delete_override(root, national)


def test_changes_are_validated(world, request):
    admin, scope = world.dost_admin, "Bắc Ninh"
    translation.activate("en")  # the messages are read in English here
    request.addfinalizer(translation.deactivate)

    def add(day, kind, basis="QĐ 1"):
        return services.add_override(admin, date=day, kind=kind, legal_basis=basis, scope=scope)

    with pytest.raises(ValidationError, match="legal basis"):
        add(dt.date(2026, 3, 9), engine.DAY_OFF, basis="  ")
    with pytest.raises(ValidationError, match="already a day off"):
        add(dt.date(2026, 2, 17), engine.DAY_OFF)  # Tết
    with pytest.raises(ValidationError):
        add(dt.date(2026, 3, 9), engine.WORKING_DAY)  # a Monday
    with pytest.raises(ValidationError):
        add(dt.date(2026, 3, 7), engine.REMOVED_HOLIDAY)  # a Saturday
    with pytest.raises(ValidationError, match="covers"):
        add(dt.date(2036, 3, 7), engine.WORKING_DAY)
    add(dt.date(2026, 3, 7), engine.WORKING_DAY)
    add(dt.date(2026, 9, 1), engine.REMOVED_HOLIDAY)
    with pytest.raises(ValidationError, match="already has a change"):
        add(dt.date(2026, 3, 7), engine.WORKING_DAY)
    calendar = Calendar.for_scope(scope)
    assert calendar.is_working_day(dt.date(2026, 3, 7)) and calendar.is_working_day(
        dt.date(2026, 9, 1)
    )


def test_office_hours_come_from_the_settings(db, settings):
    settings.GOVQMS_OFFICE_HOURS = [("08:00", "12:00"), ("13:00", "17:00")]
    settings.GOVQMS_PAPER_CUTOFF = "16:00"
    calendar = Calendar.for_scope()
    assert calendar.add_working_days(at(2026, 3, 2, 9), 1) == at(2026, 3, 3, 17, 0)
    assert calendar.add_working_hours(at(2026, 3, 2, 11), 2) == at(2026, 3, 2, 14, 0)
    assert calendar.paper_cutoff == dt.time(16, 0)
