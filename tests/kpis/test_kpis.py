"""KPI arithmetic, conformance and variants on hand-made sequences."""

import datetime as dt
import random

import pytest

from govqms.kpis.models import BUCKET_EDGES, bucket_of
from govqms.kpis.selectors import Kpis, Period, agency_kpis, percentile_from_buckets, variants
from govqms.kpis.services import conformance
from tests.kpis.factories import VN, birth_registration, dossier, import_batch

STEPS = [
    {"step": "B1", "name": "Tiếp nhận hồ sơ", "hours": 1},
    {"step": "B2", "name": "Thẩm định", "hours": 4},
    {"step": "B3", "name": "Ký duyệt", "hours": 2},
    {"step": "B4", "name": "Trả kết quả", "hours": 1},
]


def width_at(value):
    i = bucket_of(value)
    return (BUCKET_EDGES[i + 1] - BUCKET_EDGES[i]) if i + 1 < len(BUCKET_EDGES) else 0


def exact_quantile(values, q):
    ordered = sorted(values)
    return ordered[max(0, int(round(q * len(ordered) + 0.5)) - 1)]


@pytest.mark.parametrize("seed", range(5))
def test_median_and_p90_from_buckets_are_within_a_bucket(seed):
    rng = random.Random(seed)
    values = [rng.lognormvariate(3, 1) for _ in range(rng.randint(20, 400))]
    counts = [0] * len(BUCKET_EDGES)
    for v in values:
        counts[bucket_of(v)] += 1
    for q in (0.5, 0.9):
        exact = exact_quantile(values, q)
        estimate = percentile_from_buckets(counts, q)
        assert abs(estimate - exact) <= max(width_at(exact), width_at(estimate)) or (
            bucket_of(exact) == len(BUCKET_EDGES) - 1
        )


def test_rates():
    k = Kpis(received=10, resolved=8, early=4, on_time=2, late=2)
    assert (k.early_rate, k.on_time_rate, k.late_rate) == (50.0, 75.0, 25.0)
    assert Kpis().on_time_rate is None and Kpis().median_hours is None


def ev(*names, kind="transferred"):
    return [("received", "")] + [(kind, n) for n in names]


@pytest.mark.parametrize(
    ("events", "conformant"),
    [
        (ev("Tiếp nhận hồ sơ", "Thẩm định", "Ký duyệt", "Trả kết quả"), True),
        (ev("B1", "B2", "B3", "B4"), True),  # step codes match too
        (ev("tiep nhan ho so", "THẨM ĐỊNH", "ký duyệt", "Trả kết quả"), True),  # folded
        (ev("Tiếp nhận hồ sơ", "Thẩm định", "Thẩm định", "Ký duyệt", "Trả kết quả"), True),
        (ev("Tiếp nhận hồ sơ", "Ký duyệt", "Trả kết quả"), False),  # a step skipped
        (ev("Tiếp nhận hồ sơ", "Ký duyệt", "Thẩm định", "Trả kết quả"), False),  # order
        (ev("Tiếp nhận hồ sơ", "Thẩm định", "Xin ý kiến", "Ký duyệt", "Trả kết quả"), False),
        (ev("Tiếp nhận hồ sơ", "Thẩm định", "Ký duyệt", "Trả kết quả", "Thẩm định"), False),
        ([("received", ""), ("resolved", "")], None),  # no step named: cannot judge
    ],
)
def test_conformance_of_hand_made_sequences(events, conformant):
    assert conformance(events, STEPS)[0] is conformant


def test_conformance_path_names_documented_steps():
    _ok, path = conformance(ev("B1", "B2", "Xin ý kiến", "B4"), STEPS)
    assert path == "Tiếp nhận hồ sơ → Thẩm định → Xin ý kiến → Trả kết quả"


@pytest.mark.django_db
def test_agency_kpis_conformance_and_variants(world):
    w = world
    birth_registration(w.b)
    mon = dt.date(2026, 3, 2)
    skip = ["Tiếp nhận hồ sơ", "Ký duyệt", "Trả kết quả"]
    batch = [dossier(f"HS-{i:03}", mon, resolved=mon) for i in range(6)]
    batch += [dossier(f"HS-S{i}", mon, resolved=mon, steps=skip) for i in range(3)]
    batch += [dossier("HS-LATE", mon, resolved=mon + dt.timedelta(days=2))]
    import_batch(w.b, batch, "k1", now=dt.datetime(2026, 4, 1, tzinfo=VN))
    period = Period(dt.date(2026, 3, 1), dt.date(2026, 3, 1))
    k = agency_kpis(w.b_secretary, w.b, period)
    assert (k.received, k.resolved, k.early, k.late) == (10, 10, 9, 1)
    assert k.on_time_rate == 90.0 and k.conformance_rate == 70.0
    rows = variants(w.b_secretary, w.b, period)
    assert [(r["count"], r["conformant"]) for r in rows] == [(7, True), (3, False)]
    assert rows[1]["path"] == "Tiếp nhận hồ sơ → Ký duyệt → Trả kết quả"
    # Another agency's user sees nothing through the selectors.
    assert agency_kpis(w.a_secretary, w.b, period).received == 0
    assert variants(w.c_secretary, w.b, period) == []
