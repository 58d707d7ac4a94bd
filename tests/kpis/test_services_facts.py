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


@pytest.mark.django_db
def test_new_dossiers_classified_before_insert_equal_those_classified_after(world, monkeypatch):
    """The import classifies a new dossier whose records are all in one apply chunk
    before inserting it (derived fields, step times and facts written with it); a
    dossier whose records span chunks is classified after the apply, from the
    database. Both give what classification from the database gives."""
    from govqms.dossiers import classify
    from govqms.dossiers.imports import pipeline
    from govqms.dossiers.models import Dossier, DossierEvent
    from govqms.dossiers.services.imports import import_api_batch

    birth_registration(world.b)
    now = dt.datetime(2026, 4, 30, 12, tzinfo=VN)
    monkeypatch.setattr(pipeline, "CHUNK", 2)
    after_apply = []
    real = classify.classify_dossiers

    def spy(ids, **kwargs):
        after_apply.extend(ids)
        return real(ids, **kwargs)

    monkeypatch.setattr(classify, "classify_dossiers", spy)
    split = dossier("HS-201", MON, resolved=MON + dt.timedelta(days=3))  # late
    first_half = {**split, "events": split["events"][:2]}
    second_half = {**split, "events": split["events"][2:]}
    batch = [
        first_half,
        dossier("HS-202", MON, resolved=MON),
        dossier("HS-203", MON),  # open
        dossier("HS-204", MON, resolved=MON, steps=["Tiếp nhận hồ sơ", "Bước lạ"]),
        dossier("HS-205", MON + dt.timedelta(days=1), resolved=MON + dt.timedelta(days=1)),
        second_half,  # the rest of HS-201, two chunks later
    ]
    result = import_api_batch(None, world.b, {"dossiers": batch}, "pre-classified", now=now)[1]
    assert result.ok, result.errors
    codes = dict(Dossier.objects.values_list("pk", "code"))
    assert [codes[pk] for pk in after_apply] == ["HS-201"]
    assert result.batch.events_created == sum(len(d["events"]) for d in batch)
    assert result.batch.reclassified == 5
    stored = sorted(Dossier.objects.values_list("code", *classify.DERIVED))
    timings = sorted(
        DossierEvent.objects.values_list(
            "dossier__code", "seq", "hours", "allotted_hours", "on_time"
        )
    )
    assert any(t[2] is not None for t in timings if t[0] == "HS-202")  # steps timed
    assert {s[0]: s[5] for s in stored}["HS-201"] == "late"
    # Classifying every dossier again from the database changes nothing.
    assert real(list(codes), now=now) == 0
    assert sorted(Dossier.objects.values_list("code", *classify.DERIVED)) == stored
    assert (
        sorted(
            DossierEvent.objects.values_list(
                "dossier__code", "seq", "hours", "allotted_hours", "on_time"
            )
        )
        == timings
    )
    saved = _saved_facts()
    assert len(saved) == 5
    assert services.compute_fact_rows(list(saved)) == saved
    assert services.after_import(list(codes)) == 0
