"""Rollups against a direct computation from the dossiers; refresh by cell."""

import datetime as dt
from collections import Counter

import pytest

from govqms.core.calendar import Calendar, local_date
from govqms.dossiers.models import Dossier
from govqms.kpis import services
from govqms.kpis.models import (
    COUNTERS,
    DailyRollup,
    DossierFact,
    MonthlyRollup,
    StepRollup,
    VariantRollup,
    bucket_of,
)
from tests.kpis.factories import VN, birth_registration, dossier, import_batch

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 4, 30, 12, tzinfo=VN)
MON = dt.date(2026, 3, 2)
CHECKED = {"received", "resolved", "early", "on_time", "late", "overdue_in", "overdue_out"}
CHECKED |= {"hours_sum"}


def day(n):
    return MON + dt.timedelta(days=n)


def first_batch():
    return [
        dossier("HS-001", day(0), resolved=day(0)),  # early
        dossier("HS-002", day(0), resolved=day(1)),  # on time
        dossier("HS-003", day(0), resolved=day(3)),  # late
        dossier(
            "HS-004", day(1), resolved=day(1), steps=["Tiếp nhận hồ sơ", "Ký duyệt", "Trả kết quả"]
        ),
        dossier("HS-005", day(1)),  # open, overdue
        dossier("HS-006", day(2), resolved=day(2)),
    ]


def rollup_rows(model=DailyRollup):
    return {
        (r.unit_id, r.procedure_id, r.day): {n: getattr(r, n) for n in COUNTERS}
        for r in model.objects.all()
    }


def test_daily_rollups_equal_a_direct_computation(world):
    birth_registration(world.b)
    import_batch(world.b, first_batch(), "k1", now=NOW)
    cal = Calendar.for_scope(world.b.province)
    expected = Counter()
    for d in Dossier.objects.all():
        key = (d.unit_id, d.procedure_id)
        expected[(*key, local_date(d.received_at), "received")] += 1
        if d.status in ("resolved", "delivered"):
            rday = local_date(d.resolved_at)
            expected[(*key, rday, "resolved")] += 1
            expected[(*key, rday, d.outcome)] += 1
            hours = cal.working_hours_between(d.received_at, d.resolved_at)
            expected[(*key, rday, f"b{bucket_of(hours)}")] += 1
            expected[(*key, rday, "hours_sum")] += hours
        if d.outcome in ("late", "overdue"):
            expected[(*key, local_date(d.due_at), "overdue_in")] += 1
            if d.outcome == "late":
                expected[(*key, local_date(d.resolved_at), "overdue_out")] += 1
    got = Counter()
    for (u, p, dday), values in rollup_rows().items():
        for name, value in values.items():
            if value and (name in CHECKED or name.startswith("b")):
                got[(u, p, dday, name)] += value
    assert got == expected
    # Open overdue at the end of each day = the running sum of the flows.
    open_end = 0
    by_day = rollup_rows()
    for n in range(6):
        cell = by_day.get((world.b.pk, Dossier.objects.first().procedure_id, day(n)), {})
        open_end += cell.get("overdue_in", 0) - cell.get("overdue_out", 0)
        if day(n) == day(2):
            assert open_end == 2  # HS-003 (until the 5th) and HS-005
    assert open_end == 1  # HS-005 is still open
    # The month sums its days; the total row sums the TTHC.
    (month,) = MonthlyRollup.objects.filter(total=True)
    assert month.received == 6 and month.resolved == 5 and month.late == 1
    assert month.early + month.on_time + month.late == 5
    # Steps and variants: one dossier skipped "Thẩm định".
    assert VariantRollup.objects.filter(conformant=False).get().count == 1
    assessed = StepRollup.objects.filter(step="Thẩm định")
    assert sum(r.count for r in assessed) == 4


def test_rollups_are_idempotent_and_rebuild_gives_the_same_rows(world):
    birth_registration(world.b)
    import_batch(world.b, first_batch(), "k1", now=NOW)
    before = rollup_rows(), rollup_rows_month()
    ids = list(Dossier.objects.values_list("pk", flat=True))
    assert services.after_import(ids) == 0  # nothing changed: no cell touched
    services.refresh_rollups([world.b.pk], [day(n) for n in range(10)])
    assert (rollup_rows(), rollup_rows_month()) == before
    services.rebuild_all()
    assert (rollup_rows(), rollup_rows_month()) == before
    assert DossierFact.objects.count() == 6


def rollup_rows_month():
    return {
        (r.unit_id, r.procedure_id, r.month, r.total): {n: getattr(r, n) for n in COUNTERS}
        for r in MonthlyRollup.objects.all()
    }


def test_a_second_import_changes_only_the_touched_cells(world):
    birth_registration(world.b)
    import_batch(world.b, first_batch(), "k1", now=NOW)
    ids_before = dict(DailyRollup.objects.values_list("day", "pk"))
    # The same batch again: nothing is rewritten.
    import_batch(world.b, first_batch(), "k1", now=NOW)
    assert dict(DailyRollup.objects.values_list("day", "pk")) == ids_before
    # A second batch: a new dossier on day 7, and HS-005 (received day 1) resolved on day 8.
    second = [
        dossier("HS-007", day(7), resolved=day(7)),
        dossier("HS-005", day(1), resolved=day(8)),
    ]
    import_batch(world.b, second, "k2", now=NOW)
    after = dict(DailyRollup.objects.values_list("day", "pk"))
    untouched = {d: pk for d, pk in ids_before.items() if d not in (day(1), day(2))}
    # day(2) is HS-005's due day (its overdue_in): touched; day(0) and day(3) were not.
    assert {d: after[d] for d in untouched} == untouched
    assert day(7) in after and day(8) in after
    cell8 = DailyRollup.objects.get(day=day(8))
    assert (cell8.resolved, cell8.late, cell8.overdue_out) == (1, 1, 1)
    open_now = sum(r.overdue_in - r.overdue_out for r in DailyRollup.objects.all())
    assert open_now == 0
