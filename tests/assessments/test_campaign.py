"""The yearly campaign services: open, self-assess, submit, appraise, contest, decide,
finalize and close; permissions and the audit trail."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from govqms.assessments import rules, services
from govqms.assessments.models import (
    DEFAULT_BANDS,
    Assessment,
    Campaign,
    CriteriaGroup,
    CriteriaSet,
    Criterion,
    RatingBand,
    Score,
)
from govqms.core.models import AuditEntry

YEAR = 2026
OPENED = dt.date(2026, 9, 1)
SELF_DUE = dt.date(2026, 10, 15)
APPRAISAL_DUE = dt.date(2026, 11, 15)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def make_set(owner, year=YEAR, *, rule="", published=True, points=(40, 30, 30)):
    """A published set: group G1 with C1 (rule, if any) and C2, group G2 with C3."""
    cs = CriteriaSet.objects.create(
        owner=owner,
        year=year,
        title=f"Bộ tiêu chí {year}",
        status=CriteriaSet.Status.PUBLISHED if published else CriteriaSet.Status.DRAFT,
    )
    g1 = CriteriaGroup.objects.create(criteria_set=cs, order=1, code="1", title="Tài liệu")
    g2 = CriteriaGroup.objects.create(criteria_set=cs, order=2, code="2", title="Cải tiến")
    for order, (code, group, max_points) in enumerate(
        [("1.1", g1, points[0]), ("1.2", g1, points[1]), ("2.1", g2, points[2])], start=1
    ):
        Criterion.objects.create(
            criteria_set=cs,
            group=group,
            order=order,
            code=code,
            text=f"Tiêu chí {code}",
            max_points=Decimal(max_points),
            rule=rule if code == "1.1" else "",
        )
    for band, minimum in DEFAULT_BANDS:
        RatingBand.objects.create(criteria_set=cs, band=band, min_points=minimum)
    return cs


def fixed_rule(points="35"):
    return rules.Rule(
        key="test_fixed",
        label="Fixed",
        description="A fixed proposal for tests",
        params=(),
        compute=lambda unit, year, params, max_points: rules.Proposal(
            Decimal(points),
            f"Đánh giá nội bộ đã hoàn thành ({unit.code})",
            [rules.Evidence("Báo cáo đánh giá", "/agencies/1/audits/")],
        ),
    )


def open_for(world, cs=None, **kwargs):
    cs = cs or make_set(world.p)
    return services.open_campaign(
        world.dost_admin,
        owner=world.p,
        year=YEAR,
        criteria_set=cs,
        self_assessment_due=SELF_DUE,
        appraisal_due=APPRAISAL_DUE,
        today=kwargs.pop("today", OPENED),
        **kwargs,
    )


def crit(assessment, code) -> int:
    return assessment.scores.get(criterion__code=code).criterion_id


def self_score(world, assessment, values, user=None, today=OPENED):
    entries = {crit(assessment, code): {"points": p, "comment": ""} for code, p in values.items()}
    return services.save_self_scores(user or world.a_secretary, assessment, entries, today=today)


def appraise(world, assessment, values, reasons=None, today=SELF_DUE):
    reasons = reasons or {}
    entries = {
        crit(assessment, code): {"points": p, "reason": reasons.get(code, "")}
        for code, p in values.items()
    }
    return services.save_appraisal(world.dost_officer, assessment, entries, today=today)


def submitted(world, values=None, unit=None, campaign=None):
    campaign = campaign or open_for(world)
    a = Assessment.objects.get(campaign=campaign, unit=unit or world.a)
    self_score(world, a, values or {"1.1": 40, "1.2": 30, "2.1": 25})
    services.submit_self_assessment(world.a_head, a, today=dt.date(2026, 10, 1))
    a.refresh_from_db()
    return a


def released(world, values=None, appraised=None, reasons=None):
    a = submitted(world, values)
    appraise(world, a, appraised or {"1.1": 40, "1.2": 30, "2.1": 25}, reasons)
    services.release_appraisal(world.dost_officer, a, today=dt.date(2026, 10, 20))
    a.refresh_from_db()
    return a


def actions(unit):
    return list(AuditEntry.objects.filter(unit=unit).values_list("action", flat=True))


# ---------------------------------------------------------------- opening


def test_open_creates_draft_assessments_for_the_remit(world):
    campaign = open_for(world)
    units = set(Assessment.objects.filter(campaign=campaign).values_list("unit__code", flat=True))
    assert units == {"P-DOST", "P-A", "P-B"}  # not the province PC (outside remit), not Q-C
    assert Score.objects.filter(assessment__campaign=campaign).count() == 3 * 3
    a = Assessment.objects.get(campaign=campaign, unit=world.a)
    assert a.status == Assessment.Status.DRAFT
    assert a.self_total is None
    assert not a.scores.exclude(self_points=None).exists()  # nothing auto-scored: no prefill
    assert "campaign_open" in actions(world.p)
    assert "assessment_open" in actions(world.a)


def test_open_prefills_auto_scored_criteria(world, monkeypatch):
    monkeypatch.setitem(rules.RULES, "test_fixed", fixed_rule("35"))
    campaign = open_for(world, make_set(world.p, rule="test_fixed"))
    a = Assessment.objects.get(campaign=campaign, unit=world.a)
    score = a.scores.get(criterion__code="1.1")
    assert score.proposed_points == Decimal("35")
    assert score.self_points == Decimal("35")
    assert "P-A" in score.proposal_summary
    assert score.proposal_evidence == [{"label": "Báo cáo đánh giá", "url": "/agencies/1/audits/"}]
    assert a.self_total == Decimal("35")
    assert a.scores.get(criterion__code="1.2").self_points is None


def test_open_refuses_draft_set_wrong_owner_and_non_admin(world):
    with pytest.raises(ValidationError, match="not published"):
        open_for(world, make_set(world.p, published=False))
    other = make_set(world.q, year=YEAR)
    with pytest.raises(ValidationError, match="another oversight unit"):
        open_for(world, other)
    with pytest.raises(PermissionDenied):
        services.open_campaign(
            world.dost_officer,
            owner=world.p,
            year=YEAR,
            criteria_set=CriteriaSet.objects.get(owner=world.p),
            self_assessment_due=SELF_DUE,
            appraisal_due=APPRAISAL_DUE,
        )
    assert not Campaign.objects.exists()


def test_open_refuses_a_second_campaign_of_the_year(world):
    cs = make_set(world.p)
    open_for(world, cs)
    with pytest.raises(ValidationError, match="already open"):
        open_for(world, cs)


# ---------------------------------------------------------------- self-assessment


def test_draft_editable_only_by_secretary_or_head_of_the_agency(world):
    campaign = open_for(world)
    a = Assessment.objects.get(campaign=campaign, unit=world.a)
    self_score(world, a, {"1.1": "38,5"})
    self_score(world, a, {"1.2": 20}, user=world.a_head)
    a.refresh_from_db()
    assert a.self_total == Decimal("58.50")
    for intruder in (world.a_staff, world.b_secretary, world.dost_officer):
        with pytest.raises(PermissionDenied):
            self_score(world, a, {"1.1": 10}, user=intruder)
    assert a.scores.get(criterion__code="1.1").self_points == Decimal("38.5")


def test_points_must_be_within_the_maximum(world):
    campaign = open_for(world)
    a = Assessment.objects.get(campaign=campaign, unit=world.a)
    with pytest.raises(ValidationError, match="1.2: the points must be between 0 and 30"):
        self_score(world, a, {"1.2": 31})
    with pytest.raises(ValidationError, match="not a number"):
        self_score(world, a, {"1.2": "nhiều"})


def test_submit_refuses_an_unscored_criterion_naming_it(world):
    campaign = open_for(world)
    a = Assessment.objects.get(campaign=campaign, unit=world.a)
    self_score(world, a, {"1.1": 40, "2.1": 20})
    a.refresh_from_db()
    assert a.self_total == Decimal("60")  # the unscored 1.2 counts 0
    with pytest.raises(ValidationError) as error:
        services.submit_self_assessment(world.a_head, a)
    assert "Not scored: 1.2." in str(error.value)
    a.refresh_from_db()
    assert a.status == Assessment.Status.DRAFT


def test_only_the_head_submits(world):
    campaign = open_for(world)
    a = Assessment.objects.get(campaign=campaign, unit=world.a)
    self_score(world, a, {"1.1": 40, "1.2": 30, "2.1": 25})
    with pytest.raises(PermissionDenied, match="head"):
        services.submit_self_assessment(world.a_secretary, a)
    services.submit_self_assessment(world.a_head, a, today=dt.date(2026, 10, 2))
    a.refresh_from_db()
    assert a.status == Assessment.Status.SUBMITTED
    assert a.self_total == Decimal("95")
    assert a.submitted_by == world.a_head
    assert a.submitted_at.date() == dt.date(2026, 10, 2)
    with pytest.raises(ValidationError, match="no longer be changed"):
        self_score(world, a, {"1.1": 1})


def test_evidence_link_or_checked_file(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    campaign = open_for(world)
    a = Assessment.objects.get(campaign=campaign, unit=world.a)
    score = a.scores.get(criterion__code="1.1")
    ev = services.add_evidence(world.a_secretary, score, label="Kế hoạch", url="/agencies/1/")
    assert ev.url == "/agencies/1/"
    pdf = SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    ev2 = services.add_evidence(world.a_secretary, score, label="Báo cáo", file=pdf)
    assert ev2.file_name == "bao-cao.pdf" and len(ev2.file_sha256) == 64
    exe = SimpleUploadedFile("x.pdf", b"MZ\x90\x00", content_type="application/pdf")
    with pytest.raises(ValidationError):
        services.add_evidence(world.a_secretary, score, label="X", file=exe)
    with pytest.raises(ValidationError, match="link"):
        services.add_evidence(world.a_secretary, score, label="X", url="javascript:alert(1)")
    assert "assessment_evidence" in actions(world.a)


def test_refresh_follows_an_unchanged_proposal(world, monkeypatch):
    monkeypatch.setitem(rules.RULES, "test_fixed", fixed_rule("35"))
    campaign = open_for(world, make_set(world.p, rule="test_fixed"))
    a = Assessment.objects.get(campaign=campaign, unit=world.a)
    monkeypatch.setitem(rules.RULES, "test_fixed", fixed_rule("20"))
    assert services.refresh_proposals(world.a_secretary, a) == 1
    assert a.scores.get(criterion__code="1.1").self_points == Decimal("20")
    self_score(world, a, {"1.1": 30})
    monkeypatch.setitem(rules.RULES, "test_fixed", fixed_rule("10"))
    services.refresh_proposals(world.a_secretary, a)
    score = a.scores.get(criterion__code="1.1")
    assert (score.proposed_points, score.self_points) == (Decimal("10"), Decimal("30"))


# ---------------------------------------------------------------- appraisal


def test_appraisal_reason_required_when_changing_a_score(world):
    a = submitted(world)
    with pytest.raises(ValidationError, match="2.1: give the reason"):
        appraise(world, a, {"1.1": 40, "1.2": 30, "2.1": 15})
    appraise(world, a, {"1.1": 40, "1.2": 30, "2.1": 15}, {"2.1": "Thiếu bằng chứng"})
    a.refresh_from_db()
    assert a.appraised_total == Decimal("85")
    # The appraisal in progress is in the DoST's trail, not the agency's.
    assert "assessment_appraise_score" in actions(world.p)
    assert "assessment_appraise_score" not in actions(world.a)


def test_release_refuses_unappraised_criteria_and_sets_contest_due(world):
    a = submitted(world)
    appraise(world, a, {"1.1": 40})
    with pytest.raises(ValidationError, match="Not appraised: 1.2, 2.1"):
        services.release_appraisal(world.dost_officer, a, today=dt.date(2026, 10, 20))
    appraise(world, a, {"1.2": 30, "2.1": 25})
    # Tuesday 20/10/2026 + 5 working days = Tuesday 27/10/2026
    services.release_appraisal(world.dost_officer, a, today=dt.date(2026, 10, 20))
    a.refresh_from_db()
    assert a.status == Assessment.Status.APPRAISED
    assert a.contest_due == dt.date(2026, 10, 27)


def test_draft_appraisable_only_after_the_deadline(world):
    campaign = open_for(world)
    a = Assessment.objects.get(campaign=campaign, unit=world.b)
    with pytest.raises(ValidationError, match="has not submitted yet"):
        appraise(world, a, {"1.1": 0}, today=SELF_DUE)
    reasons = {"1.1": "Không nộp", "1.2": "Không nộp", "2.1": "Không nộp"}
    appraise(world, a, {"1.1": 0, "1.2": 0, "2.1": 0}, reasons, today=SELF_DUE + dt.timedelta(1))
    services.release_appraisal(world.dost_officer, a, today=SELF_DUE + dt.timedelta(1))
    a.refresh_from_db()
    assert a.status == Assessment.Status.APPRAISED and a.appraised_total == 0


def test_officer_of_another_province_is_refused(world):
    a = submitted(world)
    with pytest.raises(PermissionDenied):
        services.save_appraisal(world.q_officer, a, {crit(a, "1.1"): {"points": 1, "reason": "x"}})
    with pytest.raises(PermissionDenied):
        services.release_appraisal(world.q_officer, a)


# ---------------------------------------------------------------- contest


def test_contest_accepted_and_rejected(world):
    a = released(
        world,
        appraised={"1.1": 30, "1.2": 20, "2.1": 25},
        reasons={"1.1": "Chưa đủ hồ sơ", "1.2": "Thiếu biên bản"},
    )
    assert a.appraised_total == Decimal("75")
    services.contest(
        world.a_head,
        a,
        reason="Đề nghị xem xét lại",
        items={crit(a, "1.1"): "Đã nộp hồ sơ đầy đủ", crit(a, "1.2"): "Có biên bản"},
        today=dt.date(2026, 10, 27),
    )
    a.refresh_from_db()
    assert a.status == Assessment.Status.CONTESTED
    with pytest.raises(ValidationError, match="reason for the decision"):
        services.decide_contest(
            world.dost_officer, a, {crit(a, "1.1"): {"accept": True, "points": 38, "reason": ""}}
        )
    services.decide_contest(
        world.dost_officer,
        a,
        {
            crit(a, "1.1"): {"accept": True, "points": 38, "reason": "Hồ sơ bổ sung hợp lệ"},
            crit(a, "1.2"): {"accept": False, "points": None, "reason": "Không có biên bản"},
        },
        today=dt.date(2026, 11, 2),
    )
    a.refresh_from_db()
    s11, s12 = a.scores.get(criterion__code="1.1"), a.scores.get(criterion__code="1.2")
    assert (s11.contest_outcome, s11.decided_points) == ("accepted", Decimal("38"))
    assert (s12.contest_outcome, s12.decided_points) == ("rejected", Decimal("20"))
    assert a.status == Assessment.Status.FINAL
    assert a.final_total == Decimal("83")
    assert a.band == "good"
    assert a.rank == 1
    for action in ("assessment_contest", "assessment_decide_score", "assessment_decide"):
        assert action in actions(world.a)


def test_contest_only_once_only_by_head_and_before_due(world):
    a = released(world, appraised={"1.1": 30, "1.2": 30, "2.1": 25}, reasons={"1.1": "x"})
    items = {crit(a, "1.1"): "Có đủ hồ sơ"}
    with pytest.raises(PermissionDenied):
        services.contest(world.a_secretary, a, reason="r", items=items, today=a.contest_due)
    with pytest.raises(ValidationError, match="ended on 27/10/2026"):
        services.contest(
            world.a_head, a, reason="r", items=items, today=a.contest_due + dt.timedelta(1)
        )
    services.contest(world.a_head, a, reason="r", items=items, today=a.contest_due)
    with pytest.raises(ValidationError, match="only once"):
        services.contest(world.a_head, a, reason="r", items=items, today=a.contest_due)


def test_finalize_uncontested_after_the_contest_due(world):
    a = released(world, appraised={"1.1": 40, "1.2": 30, "2.1": 25})
    assert services.finalize_uncontested(a.campaign, today=a.contest_due) == 0
    assert services.finalize_uncontested(a.campaign, today=a.contest_due + dt.timedelta(1)) == 1
    a.refresh_from_db()
    assert (a.status, a.final_total, a.band, a.rank) == ("final", Decimal("95"), "excellent", 1)
    assert "assessment_finalize" in actions(world.a)


# ---------------------------------------------------------------- closing


def test_close_refused_while_not_final_then_bands_and_ranks(world):
    campaign = open_for(world)
    with pytest.raises(ValidationError, match="not final") as error:
        services.close_campaign(world.dost_admin, campaign)
    assert "Ủy ban nhân dân xã Đông Phong" in str(error.value)
    totals = {world.a: (40, 30, 20), world.b: (40, 30, 20), world.dost: (30, 20, 10)}
    day = SELF_DUE + dt.timedelta(1)
    for unit, (x, y, z) in totals.items():
        a = Assessment.objects.get(campaign=campaign, unit=unit)
        reasons = {"1.1": "r", "1.2": "r", "2.1": "r"}
        appraise(world, a, {"1.1": x, "1.2": y, "2.1": z}, reasons, day)
        services.release_appraisal(world.dost_officer, a, today=day)
    services.finalize_uncontested(campaign, today=dt.date(2026, 12, 1))
    with pytest.raises(PermissionDenied):
        services.close_campaign(world.dost_officer, campaign)
    services.close_campaign(world.dost_admin, campaign, today=dt.date(2026, 12, 2))
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.CLOSED
    rows = {
        a.unit.code: (a.final_total, a.band, a.rank)
        for a in Assessment.objects.filter(campaign=campaign).select_related("unit")
    }
    assert rows == {
        "P-A": (Decimal("90"), "excellent", 1),
        "P-B": (Decimal("90"), "excellent", 1),  # a tie shares the rank
        "P-DOST": (Decimal("60"), "average", 3),
    }
    assert "campaign_close" in actions(world.p)
