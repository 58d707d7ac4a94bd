"""The daily sweep: jobs that must run once a day (versions taking effect on their
date, reminders, deadlines). Apps register them, in their AppConfig.ready(), with
`register_daily(name, fn)`, where `fn(today) -> int` returns how many things it did;
`govqms sweep`, run daily by cron or a systemd timer, calls `run_daily`.

Every job runs even if an earlier one fails; the failures are reported at the end.
Jobs must be idempotent: running the sweep twice on the same day does nothing more.
"""

import datetime as dt
import logging
from collections.abc import Callable

from django.utils import timezone

logger = logging.getLogger(__name__)

_jobs: dict[str, Callable[[dt.date], int]] = {}
_last: set[str] = set()


class SweepFailed(Exception):
    """One or more jobs raised; `results` holds the counts of those that did not."""

    def __init__(self, results: dict, failures: dict):
        self.results = results
        self.failures = failures
        names = ", ".join(f"{name} ({exc})" for name, exc in failures.items())
        super().__init__(f"daily sweep: {len(failures)} job(s) failed: {names}")


def register_daily(name: str, fn: Callable[[dt.date], int], *, last: bool = False) -> None:
    """Add (or replace) the daily job `name`; jobs run in registration order, those
    registered with `last=True` after all the others (the e-mail digest must see the
    reminders the other jobs create that day)."""
    _jobs[name] = fn
    if last:
        _last.add(name)
    else:
        _last.discard(name)


def daily_jobs() -> dict[str, Callable[[dt.date], int]]:
    ordered = [n for n in _jobs if n not in _last] + [n for n in _jobs if n in _last]
    return {name: _jobs[name] for name in ordered}


def run_daily(today: dt.date | None = None, stdout=None) -> dict[str, int]:
    """Run every registered job for `today` (default: the local date); return
    {name: count}. Writes one line per job to `stdout` if given."""
    today = today or timezone.localdate()
    results, failures = {}, {}
    for name, fn in daily_jobs().items():
        try:
            count = int(fn(today) or 0)
        except Exception as exc:  # the other jobs must still run
            logger.exception("daily job %s failed", name)
            failures[name] = exc
            if stdout is not None:
                stdout.write(f"{name}: FAILED: {exc}\n")
            continue
        results[name] = count
        if stdout is not None:
            stdout.write(f"{name}: {count}\n")
    if failures:
        raise SweepFailed(results, failures)
    return results
