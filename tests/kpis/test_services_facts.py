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
