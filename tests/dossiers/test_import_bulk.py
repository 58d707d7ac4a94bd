"""The bulk writes of the import pipeline: COPY on PostgreSQL (inserts, and updates
through a temporary table; ids reserved from the sequence), executemany on SQLite.
The suite runs on both databases, so each test checks the path of the one it runs on."""

import datetime as dt
import gc

import pytest
from django.db import connection

from govqms.dossiers.imports.pipeline import (
    EVENT_COLUMNS,
    gc_paused,
    insert_many,
    read_events,
    reserve_ids,
    update_many,
)
from govqms.dossiers.models import Dossier, DossierEvent, ImportProfile, Outcome
from govqms.dossiers.profiles import NATIONAL_PORTAL
from govqms.dossiers.services.imports import import_file
from govqms.kpis.models import DossierFact
from tests.dossiers.factories import PORTAL_HEADER, VN, at, make_tthc

pytestmark = pytest.mark.django_db


def a_dossier(unit, code="BULK-1"):
    return Dossier.objects.create(unit=unit, code=code, received_at=at("2026-01-05", "08:00"))


def test_reserved_ids_are_fresh_on_postgresql_and_left_to_the_insert_on_sqlite(world):
    ids = reserve_ids(Dossier, 3)
    if connection.vendor == "postgresql":
        assert len(set(ids)) == 3
        # The next row the ORM creates does not collide with the reserved ids.
        assert a_dossier(world.a).pk not in ids
    else:
        assert ids is None
    assert reserve_ids(Dossier, 0) is None


def test_insert_many_writes_every_value_and_read_events_gives_them_back(world):
    d = a_dossier(world.a)
    first = at("2026-01-05", "08:00")
    second = dt.datetime(2026, 1, 6, 14, 30, 15, 123456, tzinfo=VN)
    promised = at("2026-01-09", "17:00")
    insert_many(
        DossierEvent,
        EVENT_COLUMNS,
        [
            (d.pk, 1, "Tiếp nhận", "Nguyễn Văn An", "Một cửa", first, "received", None),
            (d.pk, 2, "Thẩm định", "Lê Văn Cường", "", second, "apology_issued", promised),
        ],
    )
    events = list(DossierEvent.objects.filter(dossier=d).order_by("seq"))
    assert [(e.seq, e.step, e.actor, e.division, e.kind) for e in events] == [
        (1, "Tiếp nhận", "Nguyễn Văn An", "Một cửa", "received"),
        (2, "Thẩm định", "Lê Văn Cường", "", "apology_issued"),
    ]
    assert [e.at for e in events] == [first, second]
    assert [e.new_due_at for e in events] == [None, promised]
    # Raw reads, ordered in the database, give the same instants (aware datetimes).
    rows = list(read_events([d.pk], ("seq", "at", "new_due_at"), order=("at", "seq")))
    assert [tuple(r) for r in rows] == [(1, first, None), (2, second, promised)]
    assert all(r[1].utcoffset() is not None for r in rows)
    insert_many(DossierEvent, EVENT_COLUMNS, [])  # nothing to write: no query, no error


def test_update_many_changes_only_the_given_rows(world):
    d1, d2, d3 = (a_dossier(world.a, f"BULK-{i}") for i in (1, 2, 3))
    due = at("2026-01-08", "17:00")
    update_many(
        Dossier,
        ["due_at", "outcome", "apology_compliant", "steps_late"],
        [(due, Outcome.LATE, False, 2, d1.pk), (None, Outcome.EARLY, None, 0, d3.pk)],
    )
    got = {
        d.code: (d.due_at, d.outcome, d.apology_compliant, d.steps_late)
        for d in Dossier.objects.filter(unit=world.a)
    }
    assert got == {
        "BULK-1": (due, "late", False, 2),
        "BULK-2": (None, "", None, 0),
        "BULK-3": (None, "early", None, 0),
    }
    assert d2.pk  # untouched above


def test_update_many_uses_the_primary_key_of_a_table_without_an_id_column(world):
    """DossierFact's key is its dossier (a one-to-one primary key, no `id`)."""
    d = a_dossier(world.a)
    DossierFact.objects.create(dossier=d, unit=world.a, received_day=dt.date(2026, 1, 5))
    update_many(
        DossierFact,
        ["outcome", "hours", "steps", "resolved_day"],
        [("on_time", 7.5, [["Ký duyệt", 1.5, True]], dt.date(2026, 1, 6), d.pk)],
    )
    fact = DossierFact.objects.get(dossier=d)
    assert (fact.outcome, fact.hours, fact.steps, fact.resolved_day) == (
        "on_time",
        7.5,
        [["Ký duyệt", 1.5, True]],
        dt.date(2026, 1, 6),
    )


def test_gc_paused_restores_the_collector():
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()  # it was off before: left off
    finally:
        gc.enable()


def portal_rows(dossiers: int) -> bytes:
    """A national portal export: `dossiers` dossiers of 5 events each (2, 4, 4, 9, 10)."""
    lines = [PORTAL_HEADER.rstrip("\n")]
    start = dt.datetime(2026, 1, 5, 8, 0)
    for n in range(dossiers):
        received = start + dt.timedelta(minutes=13 * n)
        r = received.strftime("%d/%m/%Y %H:%M")
        for i, code in enumerate(("2", "4", "4", "9", "10")):
            t = (received + dt.timedelta(hours=3 * i, minutes=i)).strftime("%d/%m/%Y %H:%M")
            lines.append(f"BK-{n:05d},1.001193,Trực tuyến,{r},{code},{t},Bước {i},CB{n % 7}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_an_import_of_several_chunks_then_again_changes_nothing(world, tmp_path):
    """More records than one apply chunk (5,000): ids, events and their order hold
    across chunks, and the same file again creates and updates nothing."""
    make_tthc()
    path = tmp_path / "dvc.csv"
    path.write_bytes(portal_rows(1100))  # 5,500 rows
    profile = ImportProfile.objects.get(name=NATIONAL_PORTAL, unit=None)
    now = at("2026-06-01")
    first = import_file(None, world.a, path, fmt="csv", profile=profile, now=now)
    assert first.ok, first.errors[:3]
    assert (first.batch.dossiers_created, first.batch.events_created) == (1100, 5500)
    assert Dossier.objects.filter(unit=world.a).count() == 1100
    assert DossierEvent.objects.filter(dossier__unit=world.a).count() == 5500
    # Every dossier has its 5 events numbered 1..5 in time order, and is classified.
    last = Dossier.objects.get(unit=world.a, code="BK-01099")
    events = list(last.events.order_by("seq"))
    assert [e.seq for e in events] == [1, 2, 3, 4, 5]
    assert [e.at for e in events] == sorted(e.at for e in events)
    assert Dossier.objects.filter(unit=world.a, due_at__isnull=True).count() == 0
    assert Dossier.objects.filter(unit=world.a, outcome="").count() == 0
    assert DossierFact.objects.filter(unit=world.a).count() == 1100
    before = (
        sorted(Dossier.objects.filter(unit=world.a).values_list("code", "due_at", "outcome")),
        DossierEvent.objects.count(),
        sorted(DossierFact.objects.values_list("dossier_id", "outcome", "hours")),
    )
    again = import_file(None, world.a, path, fmt="csv", profile=profile, now=now)
    assert again.ok
    b = again.batch
    assert (b.dossiers_created, b.dossiers_updated, b.dossiers_unchanged) == (0, 0, 1100)
    assert (b.events_created, b.events_unchanged, b.reclassified) == (0, 5500, 0)
    after = (
        sorted(Dossier.objects.filter(unit=world.a).values_list("code", "due_at", "outcome")),
        DossierEvent.objects.count(),
        sorted(DossierFact.objects.values_list("dossier_id", "outcome", "hours")),
    )
    assert after == before


def test_a_large_batch_refreshes_the_planner_statistics_on_postgresql(world, tmp_path, monkeypatch):
    from govqms.dossiers.imports import pipeline

    calls = []
    real = pipeline._analyze_if_large
    monkeypatch.setattr(pipeline, "ANALYZE_AFTER", 10)
    monkeypatch.setattr(pipeline, "_analyze_if_large", lambda a: calls.append(real(a)) or calls[-1])
    make_tthc()
    path = tmp_path / "dvc.csv"
    path.write_bytes(portal_rows(4))  # 20 events
    profile = ImportProfile.objects.get(name=NATIONAL_PORTAL, unit=None)
    result = import_file(None, world.a, path, fmt="csv", profile=profile, now=at("2026-06-01"))
    assert result.ok and result.batch.events_created == 20
    assert calls == [connection.vendor == "postgresql"]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="ANALYZE and its lock are PostgreSQL's"
)
def test_a_locked_table_skips_the_statistics_and_the_import_goes_on(world, tmp_path, monkeypatch):
    from django.db import connections

    from govqms.dossiers.imports import pipeline

    calls = []
    real = pipeline._analyze_if_large
    monkeypatch.setattr(pipeline, "ANALYZE_AFTER", 10)
    monkeypatch.setattr(pipeline, "_analyze_if_large", lambda a: calls.append(real(a)) or calls[-1])
    make_tthc()
    path = tmp_path / "dvc.csv"
    path.write_bytes(portal_rows(4))
    profile = ImportProfile.objects.get(name=NATIONAL_PORTAL, unit=None)
    other = connections.create_connection("default")  # another session, as another import
    try:
        other.set_autocommit(False)
        with other.cursor() as cursor:
            cursor.execute(
                f"LOCK TABLE {DossierEvent._meta.db_table} IN SHARE UPDATE EXCLUSIVE MODE"
            )
        result = import_file(None, world.a, path, fmt="csv", profile=profile, now=at("2026-06-01"))
    finally:
        other.rollback()
        other.close()
    assert calls == [False]
    assert result.ok and result.batch.events_created == 20
    assert Dossier.objects.filter(unit=world.a, outcome="").count() == 0


# ---------------------------------------------------------------- validation memo, spool


def _portal_import(world, rows, name="dvc.csv"):
    import io

    from tests.dossiers.factories import portal_csv

    profile = ImportProfile.objects.get(name=NATIONAL_PORTAL, unit=None)
    return import_file(
        None,
        world.a,
        io.BytesIO(portal_csv(rows)),
        fmt="csv",
        profile=profile,
        filename=name,
        now=at("2026-03-01"),
    )


def test_rows_repeating_a_bad_dossier_field_are_each_reported(world):
    """The dossier fields repeated on the rows of one dossier are normalised once
    per run of rows only when valid: each row with the bad value is named."""
    make_tthc()
    rows = [
        "M-1,1.001193,Trực tiếp,05/01/2026 10:00,2,05/01/2026 10:00,Tiếp nhận,An",
        "M-2,1.001193,Bồ câu,05/01/2026 10:00,2,05/01/2026 10:00,Tiếp nhận,An",
        "M-2,1.001193,Bồ câu,05/01/2026 10:00,4,06/01/2026 10:00,Thẩm định,An",
        "M-3,1.001193,Trực tiếp,31/02/2026 10:00,2,05/01/2026 10:00,Tiếp nhận,An",
        "M-3,1.001193,Trực tiếp,31/02/2026 10:00,4,06/01/2026 10:00,Thẩm định,An",
    ]
    result = _portal_import(world, rows)
    found = [(e.row, e.code) for e in result.errors]
    assert found == [(3, "bad_value"), (4, "bad_value"), (5, "bad_time"), (6, "bad_time")]
    assert not Dossier.objects.exists()


def test_repeated_rows_keep_each_rows_own_events_and_implied_channel(world):
    make_tthc()
    rows = [
        "R-1,1.001193,,05/01/2026 08:00,1,05/01/2026 08:00,Nộp trực tuyến,An",
        "R-1,1.001193,,05/01/2026 08:00,2,05/01/2026 10:00,Tiếp nhận,Bình",
        "R-1,1.001193,,05/01/2026 08:00,4,06/01/2026 14:00,Thẩm định,Cường",
        "R-2,1.001193,,05/01/2026 08:00,2,05/01/2026 10:00,Tiếp nhận,Bình",
        "R-2,1.001193,,05/01/2026 08:00,9,06/01/2026 14:00,Ký duyệt,Dũng",
        "R-1,1.001193,,05/01/2026 08:00,9,07/01/2026 09:00,Ký duyệt,Dũng",
    ]
    result = _portal_import(world, rows)
    assert result.ok, result.errors
    r1, r2 = Dossier.objects.get(code="R-1"), Dossier.objects.get(code="R-2")
    assert r1.channel == "online" and r2.channel == ""  # code 1 implies online for R-1 only
    assert list(r1.events.order_by("at", "seq").values_list("kind", "actor")) == [
        ("received", "An"),
        ("received", "Bình"),
        ("transferred", "Cường"),
        ("resolved", "Dũng"),
    ]
    assert r2.events.count() == 2


def _three_events_each(dossiers: int) -> list[str]:
    return [
        f"S-{d},1.001193,Trực tiếp,05/01/2026 08:00,{kind},{day}/01/2026 10:00,{step},An"
        for d in range(dossiers)
        for kind, day, step in (
            ("2", "05", "Tiếp nhận"),
            ("4", "06", "Thẩm định"),
            ("9", "07", "Ký"),
        )
    ]


def _stored():
    return (
        sorted(DossierEvent.objects.values_list("dossier__code", "seq", "kind", "at", "step")),
        sorted(Dossier.objects.values_list("code", "status", "outcome", "due_at")),
        sorted(DossierFact.objects.values_list("dossier__code", "outcome", "hours")),
    )


def test_small_chunks_and_the_validating_child_process_import_what_one_chunk_does(
    world, monkeypatch, settings
):
    """The same file imported in one chunk, in chunks of two records, and validated by
    a child process while this one applies: the same rows, classification and facts."""
    from govqms.dossiers.imports import pipeline

    make_tthc()
    rows = _three_events_each(4)
    result = _portal_import(world, rows, "a.csv")
    assert result.ok and result.batch.events_created == 12
    assert "validate and apply (one process)" in result.timings
    one_chunk = _stored()
    Dossier.objects.all().delete()

    monkeypatch.setattr(pipeline, "CHUNK", 2)
    result = _portal_import(world, rows, "b.csv")
    assert result.ok and result.batch.events_created == 12
    assert _stored() == one_chunk
    Dossier.objects.all().delete()

    settings.GOVQMS_DOSSIER_PARALLEL_BYTES = 0
    result = _portal_import(world, rows, "c.csv")
    assert result.ok, result.errors
    assert "validate and apply" in result.timings  # the child process validated it
    assert result.batch.events_created == 12 and result.batch.dossiers_created == 4
    assert _stored() == one_chunk
    again = _portal_import(world, rows, "c.csv")
    assert (again.batch.events_created, again.batch.events_unchanged) == (0, 12)
    assert _stored() == one_chunk


def test_chunks_are_cut_between_dossiers_and_stop_at_the_first_error(world, monkeypatch):
    from govqms.dossiers.imports import pipeline

    monkeypatch.setattr(pipeline, "CHUNK", 2)
    raw = [("A", "01/02/2026"), ("A", "02/02/2026"), ("A", "03/02/2026"), ("B", "01/02/2026")]
    raw += [("C", "01/02/2026"), ("D", "31/02/2026"), ("E", "01/02/2026")]
    records = [
        pipeline.Record(i, {"code": code}, [{"kind": "received", "at": day}])
        for i, (code, day) in enumerate(raw, start=2)
    ]
    problems = pipeline.Problems("x.csv")
    chunks = list(pipeline.normalised_chunks(records, pipeline.Normaliser(problems), world.a.code))
    # Dossier A's three rows stay together; once D's date is found bad, nothing
    # more is passed on (B and C, not sent yet, are dropped), but E is still read
    # (the count) and the error names D's row.
    assert [[n.code for n in chunk] for chunk, _read, _share in chunks] == [
        ["A", "A", "A"],
        [],
        [],
    ]
    assert [read for _chunk, read, _share in chunks] == [3, 7, 7]
    assert [(e.row, e.column) for e in problems.errors] == [(7, "at")]


def test_a_bad_row_found_by_the_child_process_imports_nothing(world, settings):
    settings.GOVQMS_DOSSIER_PARALLEL_BYTES = 0
    make_tthc()
    rows = _three_events_each(3)
    rows[8] = rows[8].replace("07/01/2026 10:00", "32/01/2026 10:00")
    result = _portal_import(world, rows)
    assert not result.ok
    assert [(e.row, e.code) for e in result.errors] == [(10, "bad_time")]
    assert result.batch.status == "failed"
    assert not Dossier.objects.exists() and not DossierFact.objects.exists()


def test_rows_of_a_dossier_far_apart_in_the_file_make_one_dossier(world, monkeypatch):
    """A dossier whose rows are in different chunks is created by the first and
    completed by the later one: its result given on the last row is kept, its
    events numbered in time order, and it is classified from all of them."""
    from govqms.dossiers.imports import pipeline

    make_tthc()
    monkeypatch.setattr(pipeline, "CHUNK", 2)
    first = "F-1,1.001193,Trực tiếp,05/01/2026 08:00,2,05/01/2026 08:00,Tiếp nhận,An"
    last = "F-1,1.001193,Trực tiếp,05/01/2026 08:00,10,20/01/2026 10:00,Trả kết quả,An"
    rows = [first, *_three_events_each(3), last]
    result = _portal_import(world, rows)
    assert result.ok, result.errors
    b = result.batch
    assert (b.dossiers_created, b.dossiers_updated, b.events_created) == (4, 0, 11)
    f1 = Dossier.objects.get(code="F-1")
    assert list(f1.events.order_by("seq").values_list("kind", flat=True)) == [
        "received",
        "delivered",
    ]
    assert f1.status == "delivered" and f1.outcome == "late"
    assert DossierFact.objects.get(dossier=f1).outcome == "late"


def test_every_event_belongs_to_a_stored_dossier_and_goes_with_it(world, monkeypatch):
    """Events carry no foreign-key constraint in the database (decision 0008): the
    import writes them only for dossiers of the batch, and deleting a dossier
    through the ORM deletes its events."""
    from govqms.dossiers.imports import pipeline

    make_tthc()
    monkeypatch.setattr(pipeline, "CHUNK", 2)
    rows = _three_events_each(5)
    rows.append(rows[0].replace(",2,05/01/2026 10:00,", ",4,08/01/2026 09:00,"))  # S-0 again
    result = _portal_import(world, rows)
    assert result.ok and result.batch.events_created == 16
    stored = set(Dossier.objects.values_list("pk", flat=True))
    assert set(DossierEvent.objects.values_list("dossier_id", flat=True)) == stored
    Dossier.objects.filter(code="S-0").delete()
    assert DossierEvent.objects.count() == 12
    assert not DossierEvent.objects.exclude(dossier_id__in=Dossier.objects.values("pk")).exists()


def test_a_later_record_of_a_dossier_created_by_the_batch_updates_its_fields(world, monkeypatch):
    """The result time given only by the last record of a dossier, two chunks after
    its first, is stored and classifies it."""
    from govqms.dossiers.imports import pipeline
    from govqms.dossiers.services.imports import import_api_batch

    make_tthc()
    monkeypatch.setattr(pipeline, "CHUNK", 1)

    def item(code, **fields):
        return {"code": code, "procedure_code": "1.001193", **fields}

    received = "2026-01-05T08:00:00+07:00"
    batch = [
        item("L-1", received_at=received, events=[{"kind": "received", "at": received}]),
        item("L-2", received_at=received),
        item("L-3", received_at=received),
        item("L-1", resolved_at="2026-01-06T09:00:00+07:00", status="resolved"),
    ]
    result = import_api_batch(None, world.a, {"dossiers": batch}, "later-fields")[1]
    assert result.ok, result.errors
    assert (result.batch.dossiers_created, result.batch.dossiers_updated) == (3, 0)
    l1 = Dossier.objects.get(code="L-1")
    assert l1.resolved_at == dt.datetime(2026, 1, 6, 9, tzinfo=VN)
    assert l1.reported_status == "resolved" and l1.outcome != ""


def test_progress_tells_the_rows_read_and_the_expected_total(world, tmp_path, monkeypatch):
    """A CSV's position tells how far the import is: each call gives the rows read
    and the rows expected from the share of the file read; the last, all of them."""
    from govqms.dossiers.imports import pipeline

    make_tthc()
    monkeypatch.setattr(pipeline, "CHUNK", 3)
    path = tmp_path / "dvc.csv"
    path.write_bytes(portal_rows(20))  # 100 events, one row each
    profile = ImportProfile.objects.get(name=NATIONAL_PORTAL, unit=None)
    calls = []
    result = import_file(
        None,
        world.a,
        path,
        fmt="csv",
        profile=profile,
        now=at("2026-06-01"),
        progress=lambda done, total: calls.append((done, total)),
    )
    assert result.ok
    assert calls[-1] == (100, 100)
    assert all(total is not None and total >= done for done, total in calls)
    assert [done for done, _t in calls] == sorted(done for done, _t in calls)


# ---------------------------------------------------------------- the validating child


def test_the_child_goes_when_the_apply_fails_even_if_sigterm_is_ignored(
    world, settings, monkeypatch
):
    """An apply that fails mid-way leaves no child behind, with the pipe full of
    chunks nobody reads any more, even where the process's own SIGTERM handler
    ignores the signal (as a task worker's may): the batch fails and is rolled back."""
    import multiprocessing
    import signal
    import threading

    from django.db import DatabaseError

    from govqms.dossiers.imports import pipeline

    settings.GOVQMS_DOSSIER_PARALLEL_BYTES = 0
    make_tthc()
    monkeypatch.setattr(pipeline, "CHUNK", 20)
    calls = []

    def failing(self, chunk):
        calls.append(len(chunk))
        if len(calls) == 2:
            raise DatabaseError("the server went away")
        return real(self, chunk)

    real = pipeline.Applier.apply_chunk
    monkeypatch.setattr(pipeline.Applier, "apply_chunk", failing)
    rescued = []

    def watchdog():  # only so that a regression fails instead of hanging the suite
        if not done.wait(60):
            for child in multiprocessing.active_children():
                rescued.append(child.pid)
                child.kill()

    done = threading.Event()
    threading.Thread(target=watchdog, daemon=True).start()
    previous = signal.signal(signal.SIGTERM, lambda *args: None)
    try:
        with pytest.raises(DatabaseError):
            _portal_import(world, _three_events_each(3000))
    finally:
        done.set()
        signal.signal(signal.SIGTERM, previous)
    assert rescued == [] and multiprocessing.active_children() == []
    assert not Dossier.objects.exists()
    from govqms.dossiers.models import ImportBatch

    assert ImportBatch.objects.get().status == "failed"


def test_without_a_child_process_the_file_is_validated_here(world, settings, monkeypatch):
    import multiprocessing.process

    def no_fork(self):
        raise OSError(12, "Cannot allocate memory")

    settings.GOVQMS_DOSSIER_PARALLEL_BYTES = 0
    monkeypatch.setattr(multiprocessing.process.BaseProcess, "start", no_fork)
    make_tthc()
    result = _portal_import(world, _three_events_each(2))
    assert result.ok and result.batch.events_created == 6
    assert "validate and apply (one process)" in result.timings


def test_a_crash_in_the_child_fails_the_batch_without_a_traceback_for_the_user(
    world, settings, monkeypatch
):
    from govqms.dossiers.imports import pipeline
    from govqms.dossiers.models import ImportBatch

    def broken(*args, **kwargs):
        raise ValueError("a bug in the reader")
        yield  # pragma: no cover - a generator

    settings.GOVQMS_DOSSIER_PARALLEL_BYTES = 0
    monkeypatch.setattr(pipeline, "normalised_chunks", broken)
    make_tthc()
    with pytest.raises(RuntimeError, match="Tiến trình kiểm tra dữ liệu bị lỗi"):
        _portal_import(world, _three_events_each(2))
    batch = ImportBatch.objects.get()
    assert batch.status == "failed" and not Dossier.objects.exists()
    text = " ".join(e.get("text", "") for e in batch.errors)
    assert "xem nhật ký máy chủ" in text and "Traceback" not in text


def test_dossiers_classified_twice_are_counted_once(world, monkeypatch):
    """`reclassified` counts the dossiers whose classification changed, whether a
    dossier's records came in one chunk or in several."""
    from govqms.dossiers.imports import pipeline
    from govqms.dossiers.services.imports import import_api_batch

    make_tthc()
    received = "2026-01-05T08:00:00+07:00"

    def batch():
        return [
            {"code": "R-1", "procedure_code": "1.001193", "received_at": received,
             "events": [{"kind": "received", "at": received}]},
            {"code": "R-2", "procedure_code": "1.001193", "received_at": received},
            {"code": "R-3", "procedure_code": "1.001193", "received_at": received},
            {"code": "R-1", "division": "Một cửa"},
        ]  # fmt: skip

    one_chunk = import_api_batch(None, world.a, {"dossiers": batch()}, "one")[1]
    Dossier.objects.all().delete()
    monkeypatch.setattr(pipeline, "CHUNK", 1)
    spread = import_api_batch(None, world.a, {"dossiers": batch()}, "spread")[1]
    assert one_chunk.ok and spread.ok
    assert one_chunk.batch.reclassified == spread.batch.reclassified == 3
