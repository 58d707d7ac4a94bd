"""The facts of the rollups computed in bulk: buckets by bisection, working hours by
the engine's vectorised functions (one by one only outside its range), and the raw
rows equal to the model instances of `compute_facts`."""

import datetime as dt

import pytest

from govqms.core.calendar import Calendar
from govqms.kpis import services
from govqms.kpis.models import BUCKET_EDGES, DossierFact, bucket_of
from tests.kpis.factories import VN, birth_registration, dossier, import_batch

MON = dt.date(2026, 3, 2)


@pytest.mark.parametrize(
    "hours", [0.0, 0.5, 1.999, 2.0, 7.99, 8.0, 100.0, 719.9, 720.0, 5000.0, *BUCKET_EDGES]
)
def test_bucket_by_bisection_equals_bucket_of(hours):
    assert services._bucket(float(hours)) == bucket_of(float(hours))


def test_working_hours_in_bulk_equal_one_by_one_and_tolerate_the_range():
    cal = Calendar(years=range(2025, 2028))
    pairs = [
        (dt.datetime(2026, 3, 2, 8, tzinfo=VN), dt.datetime(2026, 3, 4, 15, 30, tzinfo=VN)),
        (dt.datetime(2026, 2, 13, 16, tzinfo=VN), dt.datetime(2026, 2, 23, 9, tzinfo=VN)),
        (dt.datetime(2026, 3, 2, 9, tzinfo=VN), dt.datetime(2026, 3, 2, 9, tzinfo=VN)),
    ]
    expected = [round(cal.working_hours_between(a, b), 4) for a, b in pairs]
    assert services._working_hours(cal, pairs) == expected
    # One instant outside the calendar: that pair unknown, the others still counted.
    outside = (dt.datetime(2031, 1, 6, 8, tzinfo=VN), dt.datetime(2031, 1, 7, 8, tzinfo=VN))
    assert services._working_hours(cal, [*pairs, outside]) == [*expected, None]
    assert services._working_hours(cal, []) == []


@pytest.mark.django_db
def test_fact_rows_equal_the_saved_facts(world):
    birth_registration(world.b)
    import_batch(
        world.b,
        [
            dossier("HS-001", MON, resolved=MON),
            dossier("HS-002", MON, resolved=MON + dt.timedelta(days=3)),  # late
            dossier("HS-003", MON),  # open
        ],
        "facts-1",
        now=dt.datetime(2026, 4, 30, 12, tzinfo=VN),
    )
    saved = {
        f.dossier_id: [getattr(f, n) for n in services.FACT_FIELDS]
        for f in DossierFact.objects.all()
    }
    assert len(saved) == 3
    assert services.compute_fact_rows(list(saved)) == saved
    as_models = {f.dossier_id: f for f in services.compute_facts(list(saved))}
    for pk, values in saved.items():
        assert [getattr(as_models[pk], n) for n in services.FACT_FIELDS] == values
    late = next(v for v in saved.values() if v[4] == "late")
    assert late[5] is not None and late[6] == bucket_of(late[5])


def _saved_facts():
    return {
        f.dossier_id: [getattr(f, n) for n in services.FACT_FIELDS]
        for f in DossierFact.objects.all()
    }


@pytest.mark.django_db
def test_import_facts_from_classification_equal_facts_read_back(world):
    """The pipeline computes the facts from the rows classification has just read
    (not read again): they equal the facts computed from the database, with the
    documented steps timed, also when a later batch adds events to a dossier."""
    from govqms.dossiers.models import Dossier
    from govqms.dossiers.services.imports import import_api_batch

    birth_registration(world.b)
    now = dt.datetime(2026, 4, 30, 12, tzinfo=VN)
    first = [
        dossier("HS-101", MON, resolved=MON),
        dossier("HS-102", MON, resolved=MON + dt.timedelta(days=3)),  # late
        dossier("HS-103", MON),  # open: completed by the second batch
        dossier("HS-104", MON, resolved=MON, steps=["Tiếp nhận hồ sơ", "Bước lạ"]),
    ]
    import_api_batch(None, world.b, {"dossiers": first}, "facts-a", now=now)
    saved = _saved_facts()
    assert len(saved) == 4
    assert services.compute_fact_rows(list(saved)) == saved
    assert any(v[13] for v in saved.values())  # steps timed against their allotments
    second = [
        dossier("HS-103", MON, resolved=MON + dt.timedelta(days=1)),
        dossier("HS-105", MON + dt.timedelta(days=1), resolved=MON + dt.timedelta(days=1)),
    ]
    import_api_batch(None, world.b, {"dossiers": second}, "facts-b", now=now)
    saved = _saved_facts()
    assert len(saved) == 5
    assert services.compute_fact_rows(list(saved)) == saved
    # The rollups are those of facts read back: recomputing touches no cell.
    assert services.after_import(list(Dossier.objects.values_list("pk", flat=True))) == 0
