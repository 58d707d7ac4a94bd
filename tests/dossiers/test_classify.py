"""Time classification through the working-day engine (no database)."""

from decimal import Decimal

import pytest

from govqms.core.calendar import Calendar
from govqms.dossiers.classify import Ev, Facts, classify
from govqms.dossiers.models import Channel, EventKind, Outcome
from tests.dossiers.factories import at

CAL = Calendar.build(years=range(2025, 2028), cutoff="15:00")
NOW = at("2026-03-01")
RECEIVED = at("2026-01-05", "10:00")  # Monday; 3 working days -> Thursday 8, 17:30


def facts(*events, limit=3, channel=Channel.ONLINE, steps=()):
    return Facts(
        received_at=RECEIVED,
        events=list(events),
        limit_days=Decimal(limit),
        channel=channel,
        steps=list(steps),
    )


def resolved(day, time="10:00"):
    return Ev(at(day, time), EventKind.RESOLVED, "Ký duyệt")


def test_due_date_through_the_engine():
    r = classify(facts(), CAL, NOW)
    assert r.due_at == at("2026-01-08", "17:30")
    # Paper dossier after the 15:00 cutoff counts from the next working day.
    late_paper = Facts(at("2026-01-05", "16:00"), [], Decimal(3), Channel.COUNTER)
    assert classify(late_paper, CAL, NOW).due_at == at("2026-01-09", "17:30")


@pytest.mark.parametrize(
    "day,time,outcome",
    [
        ("2026-01-07", "16:00", Outcome.EARLY),
        ("2026-01-08", "08:00", Outcome.ON_TIME),
        ("2026-01-08", "17:30", Outcome.ON_TIME),
        ("2026-01-08", "17:31", Outcome.LATE),
        ("2026-01-09", "08:00", Outcome.LATE),
    ],
)
def test_early_on_time_late(day, time, outcome):
    assert classify(facts(resolved(day, time)), CAL, NOW).outcome == outcome


def test_open_dossiers_in_time_or_overdue():
    assert classify(facts(), CAL, at("2026-01-08", "17:00")).outcome == Outcome.IN_TIME
    assert classify(facts(), CAL, at("2026-01-09", "08:00")).outcome == Outcome.OVERDUE


def test_supplement_stops_the_clock_and_restarts_from_zero():
    asked = Ev(at("2026-01-06", "09:00"), EventKind.SUPPLEMENT_REQUESTED)
    # Waiting for the supplement after the first due date: in time (clock stopped).
    r = classify(facts(asked), CAL, at("2026-01-20"))
    assert r.outcome == Outcome.IN_TIME
    got = Ev(at("2026-01-12", "09:00"), EventKind.SUPPLEMENT_RECEIVED)
    r = classify(facts(asked, got, resolved("2026-01-14")), CAL, NOW)
    assert r.due_at == at("2026-01-15", "17:30") and r.clock_restarts == 1
    assert r.outcome == Outcome.EARLY  # it would be late against the first due date
    assert classify(facts(asked, got, resolved("2026-01-16")), CAL, NOW).outcome == Outcome.LATE


def apology(day, new_due=None):
    return Ev(at(day, "09:00"), EventKind.APOLOGY_ISSUED, new_due_at=new_due)


def test_apology_one_working_day_before_the_due_date():
    new = at("2026-01-13", "17:30")
    ok = classify(facts(apology("2026-01-07", new), resolved("2026-01-12")), CAL, NOW)
    assert ok.outcome == Outcome.LATE and ok.apology_compliant is True
    assert ok.apology_new_due_at == new and ok.apology_count == 1
    # On the due date itself: too late.
    same_day = classify(facts(apology("2026-01-08", new), resolved("2026-01-12")), CAL, NOW)
    assert same_day.apology_compliant is False
    # A Sunday is not a working day before a Monday due date.
    sunday = Facts(at("2026-01-07", "10:00"), [apology("2026-01-11")], Decimal(3))
    r = classify(sunday, CAL, at("2026-01-12", "12:00"))
    assert r.due_at == at("2026-01-12", "17:30") and r.apology_compliant is False


def test_a_new_date_only_once():
    twice = facts(
        apology("2026-01-06", at("2026-01-13", "17:30")),
        apology("2026-01-07", at("2026-01-15", "17:30")),
        resolved("2026-01-15"),
    )
    assert classify(twice, CAL, NOW).apology_compliant is False


def test_late_without_apology_is_not_compliant_and_on_time_needs_none():
    assert classify(facts(resolved("2026-01-09")), CAL, NOW).apology_compliant is False
    assert classify(facts(resolved("2026-01-07")), CAL, NOW).apology_compliant is None


STEPS = [
    {"step": "B1", "name": "Tiếp nhận hồ sơ", "hours": 1},
    {"step": "B2", "name": "Thẩm định", "hours": 4},
    {"step": "B3", "name": "Ký duyệt", "hours": 2},
]


def test_steps_against_their_allotments_by_name():
    events = [
        Ev(at("2026-01-05", "10:30"), EventKind.TRANSFERRED, "Tiếp nhận hồ sơ", pk=1),
        Ev(at("2026-01-05", "16:30"), EventKind.TRANSFERRED, "Thẩm định", pk=2),  # 4 h
        Ev(at("2026-01-06", "10:30"), EventKind.RESOLVED, "ky duyet", pk=3),  # 4 h > 2
    ]
    r = classify(facts(*events, steps=STEPS), CAL, NOW)
    assert r.step_times[1] == (0.5, 1.0, True)
    assert r.step_times[2] == (4.0, 4.0, True)
    assert r.step_times[3] == (4.0, 2.0, False)
    assert r.steps_late == 1


def test_steps_by_order_when_no_name_matches():
    events = [
        Ev(at("2026-01-05", "12:00"), EventKind.TRANSFERRED, "Bước 1", pk=1),  # 1.5 h > 1
        Ev(at("2026-01-05", "15:30"), EventKind.TRANSFERRED, "Bước 2", pk=2),
    ]
    r = classify(facts(*events, steps=STEPS), CAL, NOW)
    assert r.step_times[1] == (1.5, 1.0, False) and r.step_times[2][2] is True
