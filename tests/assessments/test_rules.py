"""The auto-scoring rules: each one with the records present and absent, parameters
over defaults, points within the maximum, evidence that links to real pages, and a
bounded number of queries for a whole criteria set."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve
from django.utils import timezone, translation

from govqms.assessments import rules
from govqms.assessments.models import CriteriaGroup, CriteriaSet, Criterion
from tests.oversight import factories as f

pytestmark = pytest.mark.django_db

YEAR = 2025  # a past year: its records are read as they stood on 31/12/2025
TEN = Decimal("10")

KEYS = [
    "internal_audit_done",
    "management_review_held",
    "legal_updates_on_time",
    "documents_reviewed_on_time",
    "acknowledgement_share",
    "corrective_actions_on_time",
    "tthc_coverage",
    "dossier_on_time_rate",
    "announcement_current",
    "objectives_measured",
]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def run(key, unit, *, max_points=TEN, year=YEAR, **params):
    criterion = SimpleNamespace(pk=1, rule=key, rule_params=params, max_points=max_points)
    proposal = rules.propose(criterion, unit, year)
    assert proposal is not None
    assert Decimal("0") <= proposal.points <= Decimal(max_points)
    assert proposal.points % Decimal("0.25") == 0 or proposal.points == Decimal(max_points)
    for ev in proposal.evidence:
        assert ev.label
        assert ev.url, ev.label
        resolve(ev.url)  # every evidence link is a page of govqms
    return proposal


# ---------------------------------------------------------------- the registry and helpers


def test_the_library_holds_the_ten_rules_with_parameters():
    assert set(KEYS) <= set(rules.RULES)
    for rule in (rules.RULES[key] for key in KEYS):
        assert rule.params, rule.key
        assert str(rule.label) and str(rule.description)
        defaults = rules.params_for(rule, None)
        assert set(defaults) == {p.name for p in rule.params}


def test_params_override_defaults_and_keep_their_type():
    rule = rules.RULES["legal_updates_on_time"]
    assert rules.params_for(rule, {})["months"] == 3
    assert rules.params_for(rule, {"months": "6"})["months"] == 6


def test_points_round_down_to_a_quarter_and_never_exceed_the_maximum():
    assert rules.scaled(Decimal("10"), Decimal("0.889")) == Decimal("8.75")
    assert rules.scaled(Decimal("3"), Decimal("0.5")) == Decimal("1.50")
    assert rules.scaled(Decimal("2.5"), 2) == Decimal("2.5")
    assert rules.scaled(Decimal("1.3"), 1) == Decimal("1.3")
    assert rules.scaled(Decimal("5"), -1) == 0
    assert rules.graded(TEN, 95, full_at=90) == TEN
    assert rules.graded(TEN, 45, full_at=90, zero_below=50) == 0
    assert rules.graded(TEN, 60, full_at=90, zero_below=50) == Decimal("6.50")


def test_unknown_or_blank_rule_proposes_nothing(world):
    for key in ("", "no_such_rule"):
        criterion = SimpleNamespace(pk=1, rule=key, rule_params={}, max_points=TEN)
        assert rules.propose(criterion, world.a, YEAR) is None


@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize("max_points", [Decimal("0.5"), Decimal("3"), Decimal("12.5")])
def test_every_rule_stays_within_its_maximum_with_no_records(world, key, max_points):
    proposal = run(key, world.a, max_points=max_points)
    assert proposal.summary.endswith(".")
    assert str(YEAR) in proposal.summary or "agency" in proposal.summary


# ---------------------------------------------------------------- internal audit


def test_internal_audit_absent_then_completed(world):
    none = run("internal_audit_done", world.a)
    assert none.points == 0 and "No internal audit" in none.summary
    f.audit_plan(world.a, world.a_head, year=YEAR, done=False)
    assert run("internal_audit_done", world.a).points == 0  # planned is not done
    plan = f.audit_plan(world.a, world.a_head, year=YEAR, title="Đánh giá đợt 2")
    done = run("internal_audit_done", world.a)
    assert done.points == TEN
    assert any(ev.url.endswith(f"/{plan.pk}/") for ev in done.evidence)
    # Another year's audit does not count for this year; another agency sees nothing.
    assert run("internal_audit_done", world.a, year=YEAR + 1).points == 0
    assert run("internal_audit_done", world.b).points == 0


def test_internal_audit_partial_by_programme_coverage(world):
    from govqms.audits.models import AuditProgramme

    AuditProgramme.objects.create(unit=world.a, year=YEAR, clauses=["7.5", "8.5.1", "9.1", "10.2"])
    f.audit_plan(world.a, world.a_head, year=YEAR, clauses=("7.5", "8.5.1"))
    half = run("internal_audit_done", world.a)
    assert half.points == Decimal("5")
    assert "2 of the 4" in half.summary
    assert any("programme" in ev.label for ev in half.evidence)
    # Full/zero only when coverage is switched off; a lower bar gives full points.
    assert run("internal_audit_done", world.a, by_coverage=0).points == TEN
    assert run("internal_audit_done", world.a, full_at=50).points == TEN


# ---------------------------------------------------------------- management review


def test_management_review_absent_without_decisions_and_with(world):
    assert run("management_review_held", world.a).points == 0
    f.review(world.a, held_on=dt.date(YEAR, 11, 20), decisions=0)
    bare = run("management_review_held", world.a)
    assert bare.points == Decimal("5") and "0 decisions" in bare.summary
    assert run("management_review_held", world.a, without_decisions_share=0).points == 0
    f.review(world.a, held_on=dt.date(YEAR, 12, 5), decisions=2, title="Xem xét lần 2")
    full = run("management_review_held", world.a)
    assert full.points == TEN and len(full.evidence) == 2
    assert run("management_review_held", world.a, min_decisions=3).points == Decimal("5")
    # A review of the next year does not count.
    assert run("management_review_held", world.b).points == 0


# ---------------------------------------------------------------- legal updates


def _update_task(unit, code, number, *, due, done_on=None):
    from govqms.documents.models import LegalDocument, UpdateTask
    from tests.documents.factories import make_procedure

    doc = make_procedure(unit, code=code)
    law = LegalDocument.objects.create(number=number, title="Nghị định")
    return UpdateTask.objects.create(
        document=doc,
        legal_document=law,
        reason="Thay thế",
        due=due,
        status="done" if done_on else "open",
        done_at=f.at(done_on) if done_on else None,
    )


def test_legal_updates_none_due_earn_full_points(world):
    proposal = run("legal_updates_on_time", world.a)
    assert proposal.points == TEN and "No legal change" in proposal.summary


def test_legal_updates_on_time_and_late(world):
    _update_task(
        world.a, "QT-01", "01/2025/NĐ-CP", due=dt.date(YEAR, 3, 1), done_on=dt.date(YEAR, 2, 1)
    )
    late = _update_task(
        world.a, "QT-02", "02/2025/NĐ-CP", due=dt.date(YEAR, 4, 1), done_on=dt.date(YEAR, 5, 20)
    )
    proposal = run("legal_updates_on_time", world.a)
    assert proposal.points == Decimal("5")
    assert "1 of 2" in proposal.summary and "3 months" in proposal.summary
    assert any("02/2025/NĐ-CP" in ev.label for ev in proposal.evidence)
    assert any(ev.url.endswith(f"/{late.document_id}/") for ev in proposal.evidence)
    # Six months allowed: the late one was within them.
    assert run("legal_updates_on_time", world.a, months=6).points == TEN
    # An open task past its deadline counts as late.
    _update_task(world.a, "QT-03", "03/2025/NĐ-CP", due=dt.date(YEAR, 9, 1))
    assert "1 of 3" in run("legal_updates_on_time", world.a).summary
    assert run("legal_updates_on_time", world.b).points == TEN


# ---------------------------------------------------------------- documents reviewed


def _effective(unit, code, *, review_due):
    from govqms.documents.models import VersionStatus
    from tests.documents.factories import make_procedure

    doc = make_procedure(unit, code=code)
    doc.versions.update(status=VersionStatus.EFFECTIVE, effective_from=dt.date(YEAR - 1, 1, 5))
    doc.next_review_due = review_due
    doc.save(update_fields=["next_review_due"])
    return doc


def test_documents_reviewed_on_time(world):
    assert run("documents_reviewed_on_time", world.a).points == 0
    _effective(world.a, "QT-01", review_due=dt.date(YEAR + 1, 3, 1))
    assert run("documents_reviewed_on_time", world.a).points == TEN
    _effective(world.a, "QT-02", review_due=dt.date(YEAR, 6, 1))  # overdue on 31/12
    proposal = run("documents_reviewed_on_time", world.a)
    assert proposal.points == Decimal("5") and "1 of 2" in proposal.summary
    assert run("documents_reviewed_on_time", world.a, full_at=50).points == TEN
    assert run("documents_reviewed_on_time", world.a, zero_below=60).points == 0
    # A draft document is not counted.
    from tests.documents.factories import make_procedure

    make_procedure(world.a, code="QT-03")
    assert "1 of 2" in run("documents_reviewed_on_time", world.a).summary


# ---------------------------------------------------------------- acknowledgements


def _read_tasks(world, total, read):
    from govqms.documents.models import Acknowledgement
    from tests.factories import make_user

    doc = _effective(world.a, "QT-10", review_due=dt.date(YEAR + 1, 1, 1))
    version = doc.versions.get()
    assigned = f.at(dt.date(YEAR, 3, 1))
    for i in range(total):
        user = make_user(f"reader{i}", unit=world.a)
        Acknowledgement.objects.create(
            version=version,
            user=user,
            assigned_at=assigned,
            acknowledged_at=f.at(dt.date(YEAR, 3, 10)) if i < read else None,
        )


def test_acknowledgements_none_assigned_earn_full_points(world):
    proposal = run("acknowledgement_share", world.a)
    assert proposal.points == TEN and "Nobody" in proposal.summary


def test_acknowledgement_share_against_the_threshold(world):
    _read_tasks(world, total=10, read=8)
    proposal = run("acknowledgement_share", world.a)
    # 80 % read of 90 % expected: 8/9 of the points, rounded down to a quarter.
    assert proposal.points == Decimal("8.75")
    assert "8 of 10" in proposal.summary and "90 % expected" in proposal.summary
    assert run("acknowledgement_share", world.a, threshold=80).points == TEN
    assert run("acknowledgement_share", world.a, zero_below=85).points == 0
    assert run("acknowledgement_share", world.b).points == TEN  # nothing for B to read


# ---------------------------------------------------------------- corrective actions


def test_corrective_actions_on_time(world):
    assert run("corrective_actions_on_time", world.a).points == TEN  # none due
    nc = f.nonconformity(world.a, detected=dt.date(YEAR, 2, 1))
    # Due 30 days after creation: one closed in time, one closed late, one open late.
    f.corrective_action(nc, world.a_head, created=dt.date(YEAR, 2, 1), done=dt.date(YEAR, 2, 20))
    f.corrective_action(nc, world.a_head, created=dt.date(YEAR, 3, 1), done=dt.date(YEAR, 5, 1))
    f.corrective_action(nc, world.a_head, created=dt.date(YEAR, 6, 1))
    proposal = run("corrective_actions_on_time", world.a)
    assert "1 of 3" in proposal.summary
    assert proposal.points == Decimal("3.25")
    assert run("corrective_actions_on_time", world.a, full_at=30).points == TEN
    assert run("corrective_actions_on_time", world.a, zero_below=50).points == 0
    assert run("corrective_actions_on_time", world.b).points == TEN


# ---------------------------------------------------------------- TTHC coverage


def test_tthc_coverage(world):
    none = run("tthc_coverage", world.a)
    assert none.points == 0 and "No administrative procedure" in none.summary
    f.assign_tthc(world.a, code="1.001193", doc_code="QT-01")
    assert run("tthc_coverage", world.a).points == TEN
    f.assign_tthc(world.a, code="2.000635")
    half = run("tthc_coverage", world.a)
    assert half.points == Decimal("5") and "1 of 2" in half.summary
    assert run("tthc_coverage", world.a, full_at=50).points == TEN


# ---------------------------------------------------------------- dossiers on time


def _dossiers(unit, resolved, on_time, month=dt.date(YEAR, 5, 1)):
    from govqms.kpis.models import MonthlyRollup

    MonthlyRollup.objects.create(
        unit=unit,
        month=month,
        total=True,
        received=resolved,
        resolved=resolved,
        early=on_time // 2,
        on_time=on_time - on_time // 2,
        late=resolved - on_time,
    )


def test_dossier_on_time_rate_thresholds(world):
    assert run("dossier_on_time_rate", world.a).points == 0
    _dossiers(world.a, 100, 96)
    full = run("dossier_on_time_rate", world.a)
    assert full.points == TEN and "96 of 100" in full.summary
    _dossiers(world.a, 100, 74, month=dt.date(YEAR, 6, 1))  # 170/200 = 85 %
    assert run("dossier_on_time_rate", world.a).points == Decimal("5")
    assert run("dossier_on_time_rate", world.a, full_at=85).points == TEN
    assert run("dossier_on_time_rate", world.a, partial_share=25).points == Decimal("2.5")
    assert run("dossier_on_time_rate", world.a, partial_at=90).points == 0
    # The per-TTHC rows and other years are not counted.
    _dossiers(world.a, 100, 0, month=dt.date(YEAR + 1, 1, 1))
    assert "170 of 200" in run("dossier_on_time_rate", world.a).summary


# ---------------------------------------------------------------- announcement


def test_announcement_never_current_and_needed(world):
    assert run("announcement_current", world.a).points == 0
    f.announce(world.a, world.a_head, on=dt.date(2024, 3, 1), number="12/QĐ-UBND")
    current = run("announcement_current", world.a)
    assert current.points == TEN and "12/QĐ-UBND" in current.summary
    f.assign_tthc(world.a, code="2.000635", on=dt.date(YEAR, 1, 10))
    needed = run("announcement_current", world.a)
    assert needed.points == 0 and "Re-announcement needed" in needed.summary
    assert any("2.000635" in ev.label for ev in needed.evidence)
    assert run("announcement_current", world.a, needed_share=50).points == Decimal("5")


# ---------------------------------------------------------------- objectives


def test_objectives_measured(world):
    assert run("objectives_measured", world.a).points == 0
    f.objective(world.a, year=YEAR, measured=True)
    assert run("objectives_measured", world.a).points == TEN
    missing = f.objective(world.a, year=YEAR, title="Tỷ lệ hài lòng")
    proposal = run("objectives_measured", world.a)
    assert proposal.points == Decimal("5") and "1 of 2" in proposal.summary
    assert any(ev.url.endswith(f"/{missing.pk}/") for ev in proposal.evidence)
    assert run("objectives_measured", world.a, full_at=50).points == TEN
    # Last year's objectives are not this year's.
    assert run("objectives_measured", world.a, year=YEAR + 1).points == 0


# ---------------------------------------------------------------- many criteria


def _criteria(world, per_rule=2):
    cset = CriteriaSet.objects.create(owner=world.p, year=YEAR, title="Bộ tiêu chí")
    group = CriteriaGroup.objects.create(criteria_set=cset, code="I", title="Nhóm I")
    out = []
    for i, key in enumerate(KEYS * per_rule):
        out.append(
            Criterion.objects.create(
                criteria_set=cset,
                group=group,
                order=i,
                code=f"{i + 1}",
                text=f"Tiêu chí {i + 1}",
                max_points=Decimal("5"),
                rule=key,
                rule_params={"full_at": 50 + i} if i >= len(KEYS) else {},
            )
        )
    out.append(
        Criterion.objects.create(
            criteria_set=cset, group=group, order=99, code="99", text="Chấm tay", max_points=TEN
        )
    )
    return out


def _records(world):
    f.audit_plan(world.a, world.a_head, year=YEAR)
    f.review(world.a, held_on=dt.date(YEAR, 11, 20), decisions=1)
    f.assign_tthc(world.a, code="1.001193", doc_code="QT-01")
    f.announce(world.a, world.a_head, on=dt.date(2024, 3, 1))
    f.objective(world.a, year=YEAR, measured=True)
    _dossiers(world.a, 10, 10)


def test_propose_many_gives_one_proposal_per_auto_scored_criterion(world):
    _records(world)
    criteria = _criteria(world)
    proposals = rules.propose_many(criteria, world.a, YEAR)
    assert set(proposals) == {c.pk for c in criteria if c.rule}
    for c in criteria[:-1]:
        assert proposals[c.pk].points <= c.max_points
    audit = next(c for c in criteria if c.rule == "internal_audit_done")
    assert proposals[audit.pk].points == Decimal("5")


def test_propose_many_reads_each_kind_of_record_once(world):
    _records(world)
    ten = _criteria(world, per_rule=1)[:-1]
    with CaptureQueriesContext(connection) as once:
        rules.propose_many(ten, world.a, YEAR)
    CriteriaSet.objects.all().delete()
    twenty = _criteria(world, per_rule=2)
    with CaptureQueriesContext(connection) as twice:
        proposals = rules.propose_many(twenty, world.a, YEAR)
    assert len(proposals) == 20
    # Twenty criteria read what ten read: a few queries per kind of record.
    assert len(twice) == len(once)
    assert len(twice) <= 25, len(twice)


def test_summary_figures_follow_the_active_language(world):
    _read_tasks(world, total=8, read=7)  # 87,5 %
    with translation.override("vi"):
        proposal = run("acknowledgement_share", world.a)
    assert "87,5" in proposal.summary
    with translation.override("en"):
        assert "87.5" in run("acknowledgement_share", world.a).summary


def test_current_year_is_read_as_of_today(world):
    year = timezone.localdate().year
    assert rules.as_of(year) == timezone.localdate()
    assert rules.as_of(year - 1) == dt.date(year - 1, 12, 31)
