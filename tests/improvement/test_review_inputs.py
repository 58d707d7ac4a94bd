"""The management review inputs this app provides, and the formalism helper."""

import datetime as dt

import pytest
from django.utils import translation

from govqms.improvement import selectors, services
from govqms.reviews import inputs

from .factories import make_nc, nc_with_action

START, END = dt.date(2026, 1, 1), dt.date(2026, 12, 31)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _provider(key):
    from govqms.improvement import review_inputs

    fn = {
        "nonconformities": review_inputs.nonconformities_input,
        "improvement_opportunities": review_inputs.improvement_opportunities_input,
    }[key]
    assert fn in inputs.providers(key)
    return fn


def test_nonconformities_input(world):
    make_nc(world.a, title="Khiếu nại về thái độ", source_kind="complaint", detected_on=START)
    nc, action = nc_with_action(
        world.a,
        world.a_secretary,
        title="Trả muộn",
        source_kind="late_trend",
        detected_on=dt.date(2026, 2, 1),
        due=dt.date(2026, 3, 1),
    )
    make_nc(world.a, title="Năm trước", detected_on=dt.date(2025, 5, 1))
    make_nc(world.b, title="Của cơ quan B", detected_on=START)
    section = _provider("nonconformities")(world.a, START, END).as_dict()
    assert section["figures"]["opened"] == 2
    assert section["figures"]["closed"] == 0
    assert section["figures"]["overdue_actions"] == 1
    assert section["figures"]["by_source"] == {"Complaint": 1, "Trend of late dossiers": 1}
    assert sum(section["figures"]["open_by_status"].values()) == 3  # with last year's
    titles = [row[1] for row in section["rows"]]
    assert "Trả muộn" in titles and "Của cơ quan B" not in titles
    assert any(link["url"].endswith(f"/nonconformities/{nc.pk}/") for link in section["links"])
    assert "2 nonconformities opened" in section["summary"]


def test_improvement_opportunities_input(world):
    nc, action = nc_with_action(world.a, world.a_secretary, detected_on=dt.date(2026, 2, 1))
    services.complete_action(world.a_secretary, action)
    services.evaluate(
        world.a_secretary, nc, effective=True, improvements="Cảnh báo hạn tự động trên phần mềm"
    )
    today = services.close(world.a_secretary, nc).closed_on
    section = _provider("improvement_opportunities")(world.a, START, today).as_dict()
    assert section["figures"]["count"] == 1
    assert section["rows"][0][2] == "Cảnh báo hạn tự động trên phần mềm"


def test_actions_closed_same_day(world):
    nc, quick = nc_with_action(world.a, world.a_secretary)
    services.complete_action(world.a_secretary, quick)
    slow = services.add_action(
        world.a_secretary, nc, text="Chậm", owner=world.a_staff, due_date=quick.due_date
    )
    slow.created_on = quick.created_on - dt.timedelta(days=10)
    slow.save()
    services.complete_action(world.a_staff, slow)
    quick.refresh_from_db()
    today = quick.done_on
    found = list(selectors.actions_closed_same_day(world.a, today, today))
    assert found == [quick]
    assert list(selectors.actions_closed_same_day(world.b, today, today)) == []
