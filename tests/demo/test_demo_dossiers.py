"""The demo's dossiers on a small world: generated, imported through the pipeline,
classified, and loaded once only."""

import datetime as dt

import pytest

from govqms.core.calendar import LOCAL, Calendar
from govqms.demo import dossiers as demo
from govqms.dossiers.models import Dossier, DossierEvent, ImportBatch, Outcome
from govqms.kpis.models import DossierFact
from govqms.procedures.demo import load_demo_procedures

TODAY = dt.date(2026, 11, 20)

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(world):
    load_demo_procedures(units=[world.a, world.b], today=TODAY)
    counts = demo.load_demo_dossiers(units=[world.a, world.b], today=TODAY)
    return world, counts


def snapshot():
    return (
        Dossier.objects.count(),
        DossierEvent.objects.count(),
        ImportBatch.objects.count(),
        sorted(Dossier.objects.values_list("code", "outcome", "status", "due_at")),
    )


def test_counts_and_outcomes(loaded):
    w, counts = loaded
    assert counts["loaded"]
    dossiers = Dossier.objects.filter(unit__in=[w.a, w.b])
    assert dossiers.count() == counts["dossiers"] > 200
    assert DossierEvent.objects.count() == counts["events"] > 3 * counts["dossiers"]
    # Both ways in: the commune's own CSV exports and the province's API pushes.
    sources = set(ImportBatch.objects.values_list("source", flat=True))
    assert sources == {"csv", "api"}
    assert set(dossiers.values_list("unit", flat=True)) == {w.a.pk, w.b.pk}
    outcomes = dict.fromkeys(Outcome.values, 0)
    for outcome in dossiers.values_list("outcome", flat=True):
        if outcome:
            outcomes[outcome] += 1
    assert outcomes["early"] > outcomes["late"] > 0
    assert outcomes["on_time"] > 0
    assert 0.02 < outcomes["late"] / counts["dossiers"] < 0.3
    assert outcomes["in_time"] > 0  # still open near today
    assert counts["late"] == outcomes["late"]
    # Supplements restart the clock; late ones mostly have an apology.
    assert dossiers.filter(clock_restarts__gte=1).exists()
    late = dossiers.filter(outcome=Outcome.LATE)
    assert late.filter(apology_count=1).count() > late.count() / 2
    # The KPI facts are there (the pipeline refreshes the rollups).
    assert DossierFact.objects.count() == counts["dossiers"]


def test_receipts_on_working_days_in_office_hours(loaded):
    cal = Calendar.for_scope("Bắc Ninh")
    now = dt.datetime.combine(TODAY, dt.time(16, 0), tzinfo=LOCAL)
    for received in Dossier.objects.values_list("received_at", flat=True):
        local = received.astimezone(LOCAL)
        assert cal.is_working_day(local)
        assert dt.time(7, 30) <= local.time() < dt.time(17, 30)
        assert not dt.time(11, 30) <= local.time() < dt.time(13, 30)
    assert not DossierEvent.objects.filter(at__gt=now).exists()
    first = Dossier.objects.order_by("received_at").first().received_at.astimezone(LOCAL)
    assert first.date() >= dt.date(2026, 9, 1)


def test_loading_again_changes_nothing(loaded, monkeypatch):
    w, _counts = loaded
    before = snapshot()
    again = demo.load_demo_dossiers(units=[w.a, w.b], today=TODAY)
    assert not again["loaded"]
    # Even without the short-circuit: every batch is found and nothing changes.
    monkeypatch.setattr(demo, "is_loaded", lambda: False)
    replay = demo.load_demo_dossiers(units=[w.a, w.b], today=TODAY)
    assert replay["batches"] == replay["dossiers"] == replay["events"] == 0
    assert snapshot() == before


def test_deterministic(world):
    """The same agency and month give the same dossiers."""
    load_demo_procedures(units=[world.a], today=TODAY)
    agency = demo._agencies([world.a])[0]
    now = dt.datetime.combine(TODAY, dt.time(16, 0), tzinfo=LOCAL)
    month = dt.date(2026, 10, 1)
    end = dt.date(2026, 10, 31)
    first = demo._generate_month(agency, month, end, 0.25, now, {})
    second = demo._generate_month(agency, month, end, 0.25, now, {})
    assert first[world.a.pk][1] == second[world.a.pk][1]
