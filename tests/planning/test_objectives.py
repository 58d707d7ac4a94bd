"""Objectives: status against the target, measurement periods, linked indicators
measured from the dossier evidence (rollups), and objectives never measured."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from govqms.core.sweep import daily_jobs
from govqms.planning import selectors, services
from govqms.planning.models import Measurement
from tests.kpis.factories import VN, birth_registration, dossier, import_batch
from tests.planning.factories import make_objective


@pytest.mark.parametrize(
    ("value", "target", "direction", "tolerance", "status"),
    [
        (96, 95, "higher", 5, "on_track"),
        (95, 95, "higher", 5, "on_track"),  # the target itself is met
        (92, 95, "higher", 5, "at_risk"),
        (90, 95, "higher", 5, "at_risk"),  # the edge of the tolerance
        (89.99, 95, "higher", 5, "off_track"),
        (3, 5, "lower", 1, "on_track"),
        (5, 5, "lower", 1, "on_track"),
        (5.5, 5, "lower", 1, "at_risk"),
        (6, 5, "lower", 1, "at_risk"),
        (6.01, 5, "lower", 1, "off_track"),
        (94.9, 95, "higher", 0, "off_track"),  # no tolerance: at risk never happens
    ],
)
def test_status_against_target(value, target, direction, tolerance, status):
    assert selectors.status_for(value, target, direction, tolerance) == status


@pytest.mark.parametrize(
    ("schedule", "day", "start", "end"),
    [
        ("monthly", dt.date(2026, 2, 14), dt.date(2026, 2, 1), dt.date(2026, 2, 28)),
        ("quarterly", dt.date(2026, 5, 2), dt.date(2026, 4, 1), dt.date(2026, 6, 30)),
        ("half_yearly", dt.date(2026, 9, 30), dt.date(2026, 7, 1), dt.date(2026, 12, 31)),
        ("yearly", dt.date(2026, 1, 1), dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
    ],
)
def test_measurement_periods(schedule, day, start, end):
    assert selectors.period_of(schedule, day) == (start, end)
    assert (
        len(selectors.periods_of_year(schedule, 2026))
        == {
            "monthly": 12,
            "quarterly": 4,
            "half_yearly": 2,
            "yearly": 1,
        }[schedule]
    )


@pytest.mark.django_db
def test_manual_measurements_keep_the_status_they_gave(world):
    w = world
    objective = make_objective(w.a, w.a_secretary)
    services.record_measurement(
        w.a_secretary, objective, value=91, measured_on=dt.date(2026, 3, 31)
    )
    services.record_measurement(
        w.a_secretary, objective, value="96,5", measured_on=dt.date(2026, 6, 30), comment="Q2"
    )
    objective.refresh_from_db()
    assert objective.last_status == "on_track" and objective.last_value == Decimal("96.50")
    # A stricter target: the current status follows, the history keeps what it gave.
    services.save_objective(w.a_secretary, w.a, {"target": 98, "tolerance": 1}, objective=objective)
    objective.refresh_from_db()
    assert objective.last_status == "off_track"
    history = list(selectors.measurements(objective).values_list("status", "target"))
    assert history == [("at_risk", Decimal("95.00")), ("on_track", Decimal("95.00"))]
    first = selectors.measurements(objective).first()
    assert (first.period_start, first.period_end) == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))


@pytest.mark.django_db
def test_who_may_set_and_measure_objectives(world):
    w = world
    objective = make_objective(w.a, w.a_head)
    for role in ("staff", "steering_member", "internal_auditor"):
        with pytest.raises(PermissionDenied):
            services.record_measurement(w.users[f"a_{role}"], objective, value=1)
    # A process owner enters measurements, but does not set objectives.
    services.record_measurement(w.users["a_process_owner"], objective, value=99)
    with pytest.raises(PermissionDenied):
        make_objective(w.a, w.users["a_process_owner"])
    for outsider in (w.b_secretary, w.dost_officer, w.dost_admin):
        with pytest.raises(PermissionDenied):
            services.record_measurement(outsider, objective, value=1)
    with pytest.raises(ValidationError):
        services.record_measurement(w.a_secretary, objective, value="nhiều")
    with pytest.raises(ValidationError):
        make_objective(w.a, w.a_secretary, source="linked", kpi="")


@pytest.mark.django_db
def test_objectives_never_measured(world):
    w = world
    measured = make_objective(w.a, title="Đã đo")
    never = make_objective(w.a, title="Chưa bao giờ đo")
    make_objective(w.a, title="Năm sau", year=2027)
    services.record_measurement(None, measured, value=97, measured_on=dt.date(2026, 3, 31))
    assert list(selectors.objectives_never_measured(w.a, 2026)) == [never]
    assert not selectors.objectives_never_measured(w.b, 2026).exists()


def _evidence(unit):
    """Q1 2026 of an agency: 3 dossiers resolved the day they came (early), one
    resolved two working days late, and two still open long past their due date."""
    tthc = birth_registration(unit)
    mon = dt.date(2026, 3, 2)
    batch = [dossier(f"HS-{i}", mon, resolved=mon) for i in range(3)]
    batch.append(dossier("HS-LATE", mon, resolved=mon + dt.timedelta(days=3)))
    batch += [dossier(f"HS-OPEN-{i}", mon) for i in range(2)]
    import_batch(unit, batch, "q1", now=dt.datetime(2026, 4, 1, 9, tzinfo=VN))
    return tthc


@pytest.mark.django_db
def test_linked_objective_is_measured_from_dossier_data(world):
    """Required by the issue: a linked objective is measured from dossier data."""
    w = world
    tthc = _evidence(w.a)
    objective = make_objective(
        w.a, w.a_secretary, source="linked", kpi="on_time_rate", procedures=[tthc]
    )
    m = services.measure_linked(w.a_secretary, objective, dt.date(2026, 3, 31))
    assert m.automatic and m.value == Decimal("75.00")  # 3 early of 4 resolved
    assert m.basis == {"on_time_or_early": 3, "resolved": 4}
    assert (m.period_start, m.period_end) == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert m.status == "off_track"  # 75 % against ≥ 95 %, tolerance 5
    objective.refresh_from_db()
    assert objective.last_status == "off_track" and objective.last_value == Decimal("75.00")
    # Overdue share: both open dossiers are overdue at the end of March.
    overdue = make_objective(
        w.a,
        title="Không để hồ sơ quá hạn",
        direction="lower",
        target=5,
        tolerance=5,
        source="linked",
        kpi="overdue_share",
    )
    m2 = services.measure_linked(None, overdue, dt.date(2026, 3, 31))
    assert m2.value == Decimal("100.00") and m2.basis == {"overdue_open": 2, "open": 2}
    assert m2.status == "off_track"
    # No dossier of agency B: nothing to measure there.
    other = make_objective(w.b, source="linked", kpi="on_time_rate")
    assert services.measure_linked(None, other, dt.date(2026, 3, 31)) is None


@pytest.mark.django_db
def test_daily_sweep_measures_linked_objectives_once_per_period(world):
    w = world
    _evidence(w.a)
    objective = make_objective(w.a, source="linked", kpi="on_time_rate")  # all TTHC
    manual = make_objective(w.a, title="Thủ công")
    job = daily_jobs()["planning_linked_objectives"]
    assert job(dt.date(2026, 3, 20)) == 1  # the quarter so far
    assert job(dt.date(2026, 3, 20)) == 0  # idempotent
    assert job(dt.date(2026, 4, 1)) == 1  # closes Q1 with the whole of March
    rows = list(Measurement.objects.filter(objective=objective))
    assert len(rows) == 1 and rows[0].period_end == dt.date(2026, 3, 31)
    assert rows[0].value == Decimal("75.00")
    assert not manual.measurements.exists()
    # "Measure now" on the first days of Q2: no dossier yet, nothing recorded.
    assert services.measure_linked(w.a_secretary, objective, dt.date(2026, 4, 2)) is None
    with pytest.raises(ValidationError):
        services.measure_linked(w.a_secretary, manual)
