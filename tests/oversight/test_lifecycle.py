"""The four steps of Decision 19/2014, each done or not from the records."""

import datetime as dt

import pytest
from django.utils import timezone

from govqms.documents.models import LegalDocument, UpdateTask
from govqms.oversight.lifecycle import lifecycle
from tests.oversight import factories as f

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YEAR = TODAY.year


def steps(unit, year=YEAR):
    return {s.key: s for s in lifecycle(unit, year, today=TODAY).steps}


def checks(step):
    return [c.ok for c in step.checks]


def test_an_agency_with_nothing_has_no_step_done(world):
    s = steps(world.a)
    assert [s[k].done for k in ("built", "applied", "announced", "maintained")] == [False] * 4
    assert "never announced" in s["announced"].checks[0].detail


def test_built_needs_policy_objectives_and_covered_tthc(world):
    f.assign_tthc(world.a, doc_code="QT-01", on=dt.date(2023, 1, 1))
    assert not steps(world.a)["built"].done
    f.policy(world.a, YEAR)
    assert checks(steps(world.a)["built"]) == [True, False, True]
    f.objective(world.a, year=YEAR)
    assert steps(world.a)["built"].done
    # A TTHC without an operational procedure in force undoes it.
    f.assign_tthc(world.a, code="2.000635")
    built = steps(world.a)["built"]
    assert not built.done and "1 of 2" in built.checks[2].detail


def test_applied_needs_an_audit_handled_nonconformities_and_a_review(world):
    f.audit_plan(world.a, world.a_head, year=YEAR - 2)
    assert checks(steps(world.a)["applied"]) == [True, True, False]
    f.review(world.a, held_on=dt.date(YEAR - 2, 12, 1), decisions=1)
    assert steps(world.a)["applied"].done
    # An open nonconformity past its due date: not handled.
    f.nonconformity(world.a, due=TODAY - dt.timedelta(days=5))
    applied = steps(world.a)["applied"]
    assert not applied.done and applied.checks[1].links[-1]["label"].startswith("NC-01")


def test_a_planned_audit_is_not_applied(world):
    f.audit_plan(world.a, world.a_head, year=YEAR, done=False)
    assert not steps(world.a)["applied"].checks[0].ok


def test_announced_follows_the_current_announcement(world):
    f.announce(world.a, world.a_head, on=dt.date(2024, 3, 1))
    assert steps(world.a)["announced"].done
    f.assign_tthc(world.a, code="2.000635", on=dt.date(2025, 1, 10))
    announced = steps(world.a)["announced"]
    assert not announced.done and "2.000635" in announced.checks[0].links[-1]["label"]


def _maintained(world):
    f.audit_plan(world.a, world.a_head, year=YEAR)
    f.review(world.a, held_on=dt.date(YEAR, 1, 2), decisions=1)
    f.announce(world.a, world.a_head, on=dt.date(YEAR, 1, 1))


def test_maintained_this_year(world):
    _maintained(world)
    assert steps(world.a)["maintained"].done
    # Last year's records do not maintain this year.
    assert not steps(world.a, YEAR + 1)["maintained"].done


def test_an_overdue_legal_update_breaks_maintenance(world):
    _maintained(world)
    from tests.documents.factories import make_procedure

    doc = make_procedure(world.a, code="QT-09")
    law = LegalDocument.objects.create(number="118/2025/NĐ-CP", title="Nghị định một cửa")
    UpdateTask.objects.create(
        document=doc, legal_document=law, reason="Thay thế", due=TODAY - dt.timedelta(days=1)
    )
    maintained = steps(world.a)["maintained"]
    legal = maintained.checks[2]
    assert not maintained.done and not legal.ok and "118/2025/NĐ-CP" in legal.links[-1]["label"]


def test_a_legal_update_folded_in_late_this_year_breaks_maintenance(world):
    _maintained(world)
    from tests.documents.factories import make_procedure

    doc = make_procedure(world.a, code="QT-09")
    law = LegalDocument.objects.create(number="118/2025/NĐ-CP", title="Nghị định một cửa")
    due = dt.date(YEAR, 1, 15)
    UpdateTask.objects.create(
        document=doc,
        legal_document=law,
        reason="Thay thế",
        due=due,
        status="done",
        done_at=f.at(dt.date(YEAR, 2, 20)),
    )
    assert not steps(world.a)["maintained"].checks[2].ok


def test_lifecycle_of_another_agency_is_not_mixed_in(world):
    _maintained(world)
    assert not any(s.done for s in steps(world.b).values())


def test_an_audit_nonconformity_never_raised_is_not_handled(world):
    from govqms.audits.models import Finding

    plan = f.audit_plan(world.a, world.a_head, year=YEAR - 1, findings=1)
    f.review(world.a, held_on=dt.date(YEAR - 1, 12, 1), decisions=1)
    applied = steps(world.a)["applied"]
    assert not applied.done and "not raised" in applied.checks[1].detail
    nc = f.nonconformity(world.a)
    Finding.objects.filter(plan=plan).update(nonconformity_id=str(nc.pk))
    assert steps(world.a)["applied"].done
