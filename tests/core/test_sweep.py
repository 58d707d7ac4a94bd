"""The daily sweep: its registry, and the `govqms sweep` command."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from govqms.core import sweep
from govqms.documents.models import VersionStatus
from govqms.documents.services import versions
from tests.documents.factories import make_procedure


@pytest.fixture
def jobs():
    """An empty registry for the test; the apps' jobs come back afterwards."""
    saved = dict(sweep._jobs)
    sweep._jobs.clear()
    yield sweep
    sweep._jobs.clear()
    sweep._jobs.update(saved)


def test_run_daily_runs_every_job_in_order_with_the_day(jobs):
    seen = []
    jobs.register_daily("first", lambda today: seen.append(("first", today)) or 2)
    jobs.register_daily("second", lambda today: seen.append(("second", today)) or 0)
    jobs.register_daily("first", lambda today: seen.append(("first", today)) or 3)  # replaces
    out = StringIO()
    day = dt.date(2026, 3, 2)
    assert jobs.run_daily(day, stdout=out) == {"first": 3, "second": 0}
    assert seen == [("first", day), ("second", day)]
    assert out.getvalue() == "first: 3\nsecond: 0\n"
    assert jobs.run_daily()["first"] == 3  # default: today


def test_a_failing_job_does_not_stop_the_others(jobs):
    def broken(today):
        raise RuntimeError("hỏng")

    jobs.register_daily("broken", broken)
    jobs.register_daily("fine", lambda today: 1)
    with pytest.raises(sweep.SweepFailed) as failed:
        jobs.run_daily(dt.date(2026, 3, 2))
    assert failed.value.results == {"fine": 1}
    assert list(failed.value.failures) == ["broken"]
    with pytest.raises(CommandError, match="broken"):
        call_command("sweep", stdout=StringIO())


def test_documents_register_their_daily_jobs():
    names = list(sweep.daily_jobs())
    # Versions take effect (and get their read tasks) before the reminders go out.
    assert names.index("documents.activate_due_versions") < names.index(
        "documents.send_read_reminders"
    )


def test_the_sweep_activates_a_version_scheduled_for_its_day(world):
    w = world
    day = timezone.localdate() + dt.timedelta(days=7)
    document = make_procedure(w.a)
    version = document.versions.get()
    versions.submit_for_review(w.a_secretary, version)
    versions.decide(w.a_secretary, version, approve=True)
    versions.decide(w.a_head, version, approve=True)
    versions.make_effective(w.a_secretary, version, effective_from=day)
    version.refresh_from_db()
    assert version.status == VersionStatus.APPROVED

    out = StringIO()
    call_command("sweep", "--date", (day - dt.timedelta(days=1)).isoformat(), stdout=out)
    version.refresh_from_db()
    assert version.status == VersionStatus.APPROVED
    assert "documents.activate_due_versions: 0" in out.getvalue()

    out = StringIO()
    call_command("sweep", "--date", day.isoformat(), stdout=out)
    version.refresh_from_db()
    document.refresh_from_db()
    assert version.status == VersionStatus.EFFECTIVE
    assert version.acknowledgements.count() == 6  # everyone of agency A must read it
    assert document.next_review_due == versions._add_months(day, 12)
    lines = out.getvalue().splitlines()
    assert lines[0] == f"Daily sweep for {day:%Y-%m-%d}: {len(sweep.daily_jobs())} job(s)"
    assert "documents.activate_due_versions: 1" in lines
    assert "documents.send_read_reminders: 0" in lines

    # Idempotent: the same day again does nothing more.
    out = StringIO()
    call_command("sweep", "--date", day.isoformat(), stdout=out)
    assert "documents.activate_due_versions: 0" in out.getvalue()


def test_a_bad_date_is_refused():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("sweep", "--date", "31/12/2026", stdout=StringIO())
