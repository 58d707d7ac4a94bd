"""Management review inputs provided by planning: objectives, monitoring, risks."""

import datetime as dt

import pytest

from govqms.planning import services
from govqms.reviews import inputs
from tests.planning.factories import make_objective, make_risk

START, END = dt.date(2026, 1, 1), dt.date(2026, 6, 30)


def _section(key, unit):
    (provider,) = [p for p in inputs.providers(key) if p.__module__.startswith("govqms.planning")]
    section = provider(unit, START, END)
    assert section.as_dict()  # plain data, frozen as is
    return section


@pytest.mark.django_db
def test_objectives_and_monitoring(world):
    w = world
    met = make_objective(w.a, title="Đúng hạn")
    services.record_measurement(None, met, value=91, measured_on=dt.date(2026, 3, 31))
    services.record_measurement(None, met, value=97, measured_on=dt.date(2026, 6, 30))
    services.record_measurement(None, met, value=50, measured_on=dt.date(2026, 9, 30))  # after
    make_objective(w.a, title="Chưa đo")
    make_objective(w.b, title="Của cơ quan khác")
    section = _section("objectives", w.a)
    assert section.figures == {
        "objectives": 2,
        "on_track": 1,
        "at_risk": 0,
        "off_track": 0,
        "not_measured": 1,
    }
    assert [r[1] for r in section.rows] == ["Đúng hạn", "Chưa đo"]
    assert section.rows[0][4] == 97.0  # the last value within the period
    monitoring = _section("monitoring", w.a)
    assert monitoring.figures == {"measurements": 2}
    assert [r[5] for r in monitoring.rows] == [91.0, 97.0]
    assert _section("monitoring", w.c).rows == []


@pytest.mark.django_db
def test_risks_by_level_and_treatment_effectiveness(world):
    w = world
    high = make_risk(w.a, likelihood=4, impact=4, treatment="Sổ giao nhận")
    make_risk(w.a, likelihood=1, impact=2, treatment="Kiểm tra")
    make_risk(w.a, likelihood=2, impact=3)
    services.save_risk(
        None, w.a, {"effectiveness": "partly", "evaluated_on": dt.date(2026, 5, 2)}, risk=high
    )
    section = _section("risks", w.a)
    assert section.figures["by_band"] == {"low": 1, "medium": 1, "high": 1}
    assert section.figures["by_effectiveness"] == {"effective": 0, "partly": 1, "not": 0}
    assert section.figures["not_evaluated"] == 1
    assert section.rows[0][2] == high.description and section.rows[0][7] == "2026-05-02"
