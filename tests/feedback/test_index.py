"""The satisfaction index: mean score on 0-100 %, share of satisfied answers, per
TTHC and per question, over a period; the agency page and the DoST ranking."""

import datetime as dt

import pytest
from django.urls import reverse

from govqms.feedback import selectors, services
from govqms.feedback.selectors import Period, parse_period, satisfaction_index
from tests.feedback.factories import BIRTH, MARRIAGE, assign, respond


@pytest.fixture
def setup(world):
    unit = world.b
    birth = assign(unit, **BIRTH)
    marriage = assign(unit, **MARRIAGE)
    services.ensure_questions(unit, 2026)
    # Q1 2026: two birth responses, one marriage response, one "other".
    respond(unit, [5, 5, 5, 5, 5], procedure=birth, at=dt.date(2026, 1, 10), ip="1.1.1.1")
    respond(unit, [4, 4, 4, 4, 4], procedure=birth, at=dt.date(2026, 2, 10), ip="1.1.1.2")
    respond(unit, [1, 2, 3, 1, None], procedure=marriage, at=dt.date(2026, 3, 31), ip="1.1.1.3")
    respond(unit, [3, 3, 3, 3, 3], at=dt.date(2026, 3, 1), ip="1.1.1.4")
    # Outside Q1.
    respond(unit, [1, 1, 1, 1, 1], procedure=birth, at=dt.date(2026, 4, 1), ip="1.1.1.5")
    return unit, birth, marriage


def test_index_of_a_quarter(setup):
    unit, birth, marriage = setup
    q1 = Period("quarter", 2026, 1)
    index = satisfaction_index(unit, q1.start, q1.end)
    assert index.responses == 4
    assert index.answers == 19
    # Scores: 25 + 20 + 7 + 15 = 67 over 19 answers.
    assert index.mean == pytest.approx(67 / 19)
    assert index.index == round((67 / 19 - 1) / 4 * 100, 1)
    # Satisfied: the 5 fives and 5 fours.
    assert index.satisfied_share == round(100 * 10 / 19, 1)
    rows = {r.key: r for r in index.by_procedure}
    assert rows[birth.pk].responses == 2 and rows[birth.pk].mean == pytest.approx(4.5)
    assert rows[birth.pk].index == 87.5 and rows[birth.pk].satisfied_share == 100.0
    assert rows[marriage.pk].answers == 4 and rows[marriage.pk].satisfied_share == 0.0
    assert rows[None].label and rows[None].index == 50.0
    first_question = index.by_question[0]
    assert first_question.label.startswith("Việc tiếp cận dịch vụ")
    assert first_question.answers == 4 and first_question.mean == pytest.approx(13 / 4)
    assert index.by_question[4].answers == 3  # the unanswered question is not counted


def test_index_of_a_month_and_of_nothing(setup):
    unit, birth, _ = setup
    april = Period("month", 2026, 4)
    index = satisfaction_index(unit, april.start, april.end)
    assert index.responses == 1 and index.index == 0.0 and index.satisfied_share == 0.0
    empty = satisfaction_index(unit, dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert empty.responses == 0 and empty.index is None and empty.satisfied_share is None


def test_periods():
    assert parse_period({"period": "quarter", "year": "2026", "n": "2"}).start == dt.date(
        2026, 4, 1
    )
    assert parse_period({"period": "quarter", "year": "2026", "n": "2"}).end == dt.date(2026, 6, 30)
    assert parse_period({"period": "month", "year": "2024", "n": "2"}).end == dt.date(2024, 2, 29)
    year = parse_period({"period": "year", "year": "2026"})
    assert (year.start, year.end) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert parse_period({"period": "bogus", "n": "x"}, today=dt.date(2026, 5, 5)) == Period(
        "quarter", 2026, 2
    )


def test_questions_are_data_per_agency_and_year(world):
    unit = world.b
    q2026 = services.ensure_questions(unit, 2026)
    assert [q.text for q in q2026] == services.DEFAULT_QUESTIONS
    services.save_questions(world.b_secretary, unit, 2026, ["Thái độ phục vụ", "Thời gian chờ"])
    assert [q.text for q in selectors.questions(unit, 2026)] == ["Thái độ phục vụ", "Thời gian chờ"]
    # The next year starts from this year's questions; other agencies keep the defaults.
    assert [q.text for q in services.ensure_questions(unit, 2027)] == [
        "Thái độ phục vụ",
        "Thời gian chờ",
    ]
    assert [q.text for q in services.ensure_questions(world.c, 2026)] == services.DEFAULT_QUESTIONS


def test_agency_page_shows_the_index(client, setup, world):
    unit, _, _ = setup
    client.force_login(world.b_secretary)
    response = client.get(reverse("satisfaction", args=[unit.pk]) + "?period=quarter&year=2026&n=1")
    assert response.status_code == 200
    body = response.content.decode()
    index = satisfaction_index(unit, dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert f"{index.index:.1f}".replace(".", ",") in body or f"{index.index:.1f}" in body
    assert "Đăng ký khai sinh" in body and "chart-questions" in body


def test_dost_ranks_the_agencies_of_its_subtree(client, setup, world):
    respond(world.a, [2, 2, 2, 2, 2], at=dt.date(2026, 2, 2), ip="9.9.9.9")
    respond(world.c, [5, 5, 5, 5, 5], at=dt.date(2026, 2, 2), ip="9.9.9.9")
    rows = selectors.oversight_ranking(
        world.dost_officer, dt.date(2026, 1, 1), dt.date(2026, 3, 31)
    )
    ranked = [r["unit"] for r in rows if r["index"] is not None]
    assert ranked == [world.b, world.a]  # C is in another province
    client.force_login(world.dost_officer)
    body = client.get(
        reverse("oversight_satisfaction") + "?period=quarter&year=2026&n=1"
    ).content.decode()
    assert world.b.name in body and world.c.name not in body
    client.force_login(world.b_secretary)
    assert client.get(reverse("oversight_satisfaction")).status_code == 403


def test_responses_list_searches_comments_without_accents(client, world):
    respond(world.b, [4, 4, 4, 4, 4], comment="Cán bộ hướng dẫn tận tình", at=dt.date(2026, 2, 2))
    respond(world.b, [2, 2, 2, 2, 2], comment="Phải chờ lâu", at=dt.date(2026, 2, 3), ip="2.2.2.2")
    client.force_login(world.b_secretary)
    url = reverse("survey_responses", args=[world.b.pk]) + "?period=quarter&year=2026&n=1"
    body = client.get(url + "&q=huong dan tan tinh").content.decode()
    assert "Cán bộ hướng dẫn tận tình" in body and "Phải chờ lâu" not in body
