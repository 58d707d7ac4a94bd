"""Benchmark of the working-day engine (govqms.core.calendar): due dates per second.

Target (issue 4): at least 1,000,000 due dates per second. Runs without a database:
the calendar is built from the `holidays` package plus the official 2026 New Year
swap, with the default office hours. `run()` returns (what, result, how) rows for
bench/run.py; run this file alone to print them.
"""

import datetime as dt
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from govqms.core import calendar as engine  # noqa: E402

HOURS = engine.DEFAULT_OFFICE_HOURS
OVERRIDES = (
    engine.Override(dt.date(2026, 1, 2), engine.DAY_OFF, legal_basis="12729/VPCP-KGVX"),
    engine.Override(dt.date(2026, 1, 10), engine.WORKING_DAY, legal_basis="12729/VPCP-KGVX"),
)
SCALAR_N = 300_000
VECTOR_N = 10_000_000


def _best(fn, repeat=3):
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def _inputs(n, seed=2026):
    """Receipt instants spread over 2015-2034 (any time of day) and limits of 1-60 days."""
    rng = np.random.default_rng(seed)
    lo = engine.to_us(dt.datetime(2015, 1, 1, tzinfo=engine.ZONE))
    hi = engine.to_us(dt.datetime(2035, 1, 1, tzinfo=engine.ZONE))
    us = rng.integers(lo, hi, n, dtype=np.int64)
    days = rng.integers(1, 61, n, dtype=np.int64)
    return us, days


def run() -> list[tuple[str, str, str]]:
    rows = []
    engine._package_holidays.cache_clear()
    t0 = time.perf_counter()
    cal = engine.Calendar.build(overrides=OVERRIDES, hours=HOURS)
    cold = time.perf_counter() - t0
    warm = _best(lambda: engine.Calendar.build(overrides=OVERRIDES, hours=HOURS))
    days_in_range = (cal.last - cal.first).days + 1
    rows.append(
        (
            "Working-day engine: building a calendar (precomputation)",
            f"{cold * 1000:.0f} ms cold, {warm * 1000:.0f} ms warm",
            f"{cal.first.year}-{cal.last.year} ({days_in_range:,} days); cold includes "
            "the holidays package's 21 years; warm reuses them (per-scope cache)",
        )
    )

    us, days = _inputs(SCALAR_N)
    utc = [engine._EPOCH + dt.timedelta(microseconds=int(x)) for x in us]
    local = [t.astimezone(engine.ZONE) for t in utc]
    limits = [int(d) for d in days]
    add = cal.add_working_days
    for label, instants in [
        ("UTC datetimes, as read from the database", utc),
        ("Asia/Ho_Chi_Minh datetimes", local),
    ]:
        s = _best(lambda instants=instants: list(map(add, instants, limits)))
        rows.append(
            (
                f"Due dates, one call each ({label})",
                f"{SCALAR_N / s:,.0f} /s",
                f"Calendar.add_working_days over {SCALAR_N:,} receipts 2015-2034, "
                "limits 1-60 days, one thread, best of 3",
            )
        )
    between = cal.working_hours_between
    ends = list(map(add, utc, limits))
    s = _best(lambda: list(map(between, utc, ends)))
    rows.append(
        (
            "Working hours between two instants, one call each",
            f"{SCALAR_N / s:,.0f} /s",
            f"Calendar.working_hours_between over {SCALAR_N:,} (receipt, due) pairs",
        )
    )

    us, days = _inputs(VECTOR_N)
    s = _best(lambda: cal.add_working_days_many(us, days))
    rows.append(
        (
            "Due dates, vectorised (numpy)",
            f"{VECTOR_N / s:,.0f} /s",
            f"Calendar.add_working_days_many over {VECTOR_N:,} receipts "
            "(int64 epoch microseconds), best of 3",
        )
    )
    paper = dt.time(15, 0)
    s = _best(lambda: cal.add_working_days_many(us, days, cutoff=paper))
    rows.append(
        (
            "Due dates, vectorised, paper cut-off 15:00",
            f"{VECTOR_N / s:,.0f} /s",
            f"the same {VECTOR_N:,} receipts with cutoff=15:00",
        )
    )
    due = cal.add_working_days_many(us, days)
    s = _best(lambda: cal.working_hours_between_many(us, due))
    rows.append(
        (
            "Working hours between two instants, vectorised",
            f"{VECTOR_N / s:,.0f} /s",
            f"Calendar.working_hours_between_many over {VECTOR_N:,} pairs",
        )
    )
    # The two paths agree (a sample).
    sample = range(0, VECTOR_N, VECTOR_N // 1000)
    for i in sample:
        t = engine._EPOCH + dt.timedelta(microseconds=int(us[i]))
        assert engine.to_us(cal.add_working_days(t, int(days[i]))) == int(due[i])
    return rows


def main():
    rows = run()
    width = max(len(r[0]) for r in rows)
    for what, result, how in rows:
        print(f"{what:<{width}}  {result:>22}  {how}")


if __name__ == "__main__":
    main()
