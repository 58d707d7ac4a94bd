"""Each formalism signal with a positive and a negative case, computed in batch."""

import datetime as dt

import pytest
from django.utils import timezone

from govqms.oversight import signals
from tests.oversight import factories as f

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


def found(key, world, year=YEAR):
    return signals.compute([world.a.pk, world.b.pk], year, keys=[key])


def test_audits_without_findings_two_years_running(world):
    f.audit_plan(world.a, world.a_head, year=YEAR - 1)
    f.audit_plan(world.a, world.a_head, year=YEAR)
    f.audit_plan(world.b, world.b_secretary, year=YEAR - 1, findings=2)
    f.audit_plan(world.b, world.b_secretary, year=YEAR)
    result = found("audits_without_findings", world)
    (sig,) = result[world.a.pk]
    assert [e["label"].split(" · ")[0] for e in sig.evidence] == [str(YEAR - 1), str(YEAR)]
    assert result[world.b.pk] == []


def test_one_year_without_findings_is_no_signal(world):
    f.audit_plan(world.a, world.a_head, year=YEAR)
    assert found("audits_without_findings", world)[world.a.pk] == []


def test_checklist_copied_from_last_year(world):
    f.audit_plan(world.a, world.a_head, year=YEAR - 1, questions=("Câu A?", "Câu B?"))
    f.audit_plan(world.a, world.a_head, year=YEAR, questions=("  câu a?", "Câu B?"))
    f.audit_plan(world.b, world.b_secretary, year=YEAR - 1, questions=("Câu A?", "Câu B?"))
    f.audit_plan(world.b, world.b_secretary, year=YEAR, questions=("Câu A?", "Câu C mới?"))
    result = found("checklist_copied", world)
    assert (
        len(result[world.a.pk]) == 1 and "2 questions" in result[world.a.pk][0].evidence[0]["label"]
    )
    assert result[world.b.pk] == []


def test_short_audit_for_its_scope(world):
    # Two clauses in scope: at least two hours expected.
    f.audit_plan(world.a, world.a_head, year=YEAR, minutes=30)
    f.audit_plan(world.b, world.b_secretary, year=YEAR, minutes=180)
    result = found("short_audit", world)
    assert "0.5 h for 2 processes and clauses" in result[world.a.pk][0].evidence[0]["label"]
    assert result[world.b.pk] == []


def test_review_without_decisions(world):
    f.review(world.a, held_on=dt.date(YEAR, 1, 5), decisions=0)
    f.review(world.b, held_on=dt.date(YEAR, 1, 5), decisions=2)
    result = found("review_without_decisions", world)
    assert "no decision" in result[world.a.pk][0].evidence[0]["label"]
    assert result[world.b.pk] == []


def test_actions_closed_the_day_they_were_opened(world):
    day = dt.date(YEAR, 1, 6)
    nc_a = f.nonconformity(world.a, detected=day)
    f.corrective_action(nc_a, world.a_head, created=day, done=day)
    nc_b = f.nonconformity(world.b, detected=day)
    f.corrective_action(nc_b, world.b_secretary, created=day, done=day + dt.timedelta(days=9))
    result = found("actions_closed_same_day", world)
    assert "NC-01" in result[world.a.pk][0].evidence[0]["label"]
    assert result[world.b.pk] == []


def test_review_actions_closed_the_day_they_were_opened(world):
    from govqms.reviews.models import ReviewDecision

    review = f.review(world.a, held_on=dt.date(YEAR, 1, 5), decisions=1)
    today = timezone.localdate()
    ReviewDecision.objects.filter(review=review).update(status="done", done_on=today)
    review_b = f.review(world.b, held_on=dt.date(YEAR, 1, 5), decisions=1)
    ReviewDecision.objects.filter(review=review_b).update(
        status="done", done_on=today + dt.timedelta(days=3)
    )
    result = found("actions_closed_same_day", world, year=today.year)
    assert "review" in result[world.a.pk][0].evidence[0]["label"]
    assert result[world.b.pk] == []


def test_objectives_never_measured(world):
    f.objective(world.a, year=YEAR - 1)
    f.objective(world.b, year=YEAR - 1, measured=True)
    result = found("objectives_never_measured", world, year=YEAR - 1)
    assert "no measurement" in result[world.a.pk][0].evidence[0]["label"]
    assert result[world.b.pk] == []


def test_an_objective_whose_first_period_is_running_is_not_yet_a_signal(world):
    f.objective(world.a, year=YEAR + 1, schedule="yearly")
    assert found("objectives_never_measured", world, year=YEAR + 1)[world.a.pk] == []


def test_signals_are_computed_in_batch(world, django_assert_max_num_queries):
    for unit, lead in ((world.a, world.a_head), (world.b, world.b_secretary)):
        f.audit_plan(unit, lead, year=YEAR - 1)
        f.audit_plan(unit, lead, year=YEAR, minutes=5)
        f.review(unit, held_on=dt.date(YEAR, 1, 5))
        f.objective(unit, year=YEAR)
    with django_assert_max_num_queries(12):
        result = signals.compute([world.a.pk, world.b.pk, world.c.pk], YEAR)
    assert len(result[world.a.pk]) >= 3 and result[world.c.pk] == []


def test_every_signal_has_title_severity_and_description():
    keys = {s.key for s in signals.all_signals()}
    assert keys == {
        "audits_without_findings",
        "checklist_copied",
        "short_audit",
        "review_without_decisions",
        "actions_closed_same_day",
        "objectives_never_measured",
    }
    for s in signals.all_signals():
        assert str(s.title) and s.severity in signals.SEVERITY_ORDER and s.description_text


def test_the_number_of_queries_does_not_grow_with_the_agencies(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import make_unit

    def queries(unit_ids):
        with CaptureQueriesContext(connection) as ctx:
            signals.compute(unit_ids, YEAR)
        return len(ctx.captured_queries)

    f.audit_plan(world.a, world.a_head, year=YEAR - 1)
    f.audit_plan(world.a, world.a_head, year=YEAR)
    few = queries([world.a.pk, world.b.pk])
    more = []
    for i in range(12):
        unit = make_unit(f"P-X{i}", f"Ủy ban nhân dân xã Thử {i}", parent=world.p)
        f.audit_plan(unit, world.a_head, year=YEAR - 1)
        f.audit_plan(unit, world.a_head, year=YEAR, minutes=10)
        f.review(unit, held_on=dt.date(YEAR, 1, 5))
        f.objective(unit, year=YEAR - 1)
        more.append(unit.pk)
    assert queries([world.a.pk, world.b.pk, *more]) == few
