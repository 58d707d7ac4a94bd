"""Review of the campaign: evidence links and downloads, criteria of another
campaign's set, decisions on uncontested criteria, bounded queries on the campaign
table and the assessment page."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from govqms.assessments import services
from govqms.assessments.models import (
    Assessment,
    CriteriaGroup,
    CriteriaSet,
    Criterion,
    Score,
)
from tests.assessments.test_campaign import (
    OPENED,
    crit,
    make_set,
    open_for,
    released,
)
from tests.factories import make_unit


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


def _draft(world, campaign=None):
    campaign = campaign or open_for(world)
    return Assessment.objects.get(campaign=campaign, unit=world.a)


# ---------------------------------------------------------------- evidence


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "//evil.example/x",
        "/\\evil.example/x",
        "/\\/evil.example",
        "https://good.example/\nSet-Cookie: x",
        "/agencies/1/ javascript:alert(1)",
    ],
)
def test_evidence_link_refuses_scripts_and_other_sites_in_disguise(world, url):
    a = _draft(world)
    score = a.scores.get(criterion__code="1.1")
    with pytest.raises(ValidationError):
        services.add_evidence(world.a_secretary, score, label="Liên kết", url=url, today=OPENED)
    assert not score.evidence.exists()


def test_evidence_link_accepts_govqms_pages_and_web_addresses(world):
    a = _draft(world)
    score = a.scores.get(criterion__code="1.1")
    for url in ("/agencies/1/audits/", "https://dichvucong.gov.vn/p/home"):
        services.add_evidence(world.a_secretary, score, label="Liên kết", url=url, today=OPENED)
    assert sorted(score.evidence.values_list("url", flat=True)) == [
        "/agencies/1/audits/",
        "https://dichvucong.gov.vn/p/home",
    ]


def test_evidence_file_download_is_an_attachment_of_its_checked_type(world, en):
    a = _draft(world)
    score = a.scores.get(criterion__code="1.1")
    pdf = SimpleUploadedFile("bien ban", b"%PDF-1.4 minutes", content_type="text/html")
    ev = services.add_evidence(world.a_secretary, score, label="Biên bản", file=pdf, today=OPENED)
    en.force_login(world.a_staff)
    response = en.get(reverse("assessment_evidence_file", args=[world.a.pk, a.pk, ev.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="bien ban.pdf"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == b"%PDF-1.4 minutes"


def test_evidence_file_of_another_agency_is_404(world, en):
    campaign = open_for(world)
    a = _draft(world, campaign)
    score = a.scores.get(criterion__code="1.1")
    pdf = SimpleUploadedFile("kh.pdf", b"%PDF-1.4 plan")
    ev = services.add_evidence(world.a_secretary, score, label="KH", file=pdf, today=OPENED)
    b = Assessment.objects.get(campaign=campaign, unit=world.b)
    en.force_login(world.b_secretary)
    for args in ([world.a.pk, a.pk, ev.pk], [world.b.pk, b.pk, ev.pk]):
        response = en.get(reverse("assessment_evidence_file", args=args))
        assert response.status_code == 404


# ---------------------------------------------------------------- criteria of another set


def _other_campaign(world):
    """Last year's campaign of the same province, with its own criteria set."""
    cs = make_set(world.p, year=2025)
    return services.open_campaign(
        world.dost_admin,
        owner=world.p,
        year=2025,
        criteria_set=cs,
        self_assessment_due=dt.date(2025, 10, 15),
        appraisal_due=dt.date(2025, 11, 15),
        today=dt.date(2025, 9, 1),
    )


def test_a_criterion_of_another_campaigns_set_is_refused_not_written(world):
    old = Assessment.objects.get(campaign=_other_campaign(world), unit=world.a)
    a = _draft(world)
    foreign = crit(old, "1.2")
    with pytest.raises(ValidationError, match="not part of this assessment"):
        services.save_self_scores(
            world.a_secretary, a, {foreign: {"points": "5", "comment": "x"}}, today=OPENED
        )
    with pytest.raises(ValidationError, match="not part of this assessment"):
        services.save_appraisal(
            world.dost_officer,
            a,
            {foreign: {"points": "5", "reason": "x"}},
            today=dt.date(2026, 10, 20),
        )
    assert not Score.objects.filter(self_points__isnull=False, criterion_id=foreign).exists()
    assert a.scores.filter(self_points__isnull=False).count() == 0


def test_api_refuses_a_criterion_of_another_campaigns_set(world, client):
    old = Assessment.objects.get(campaign=_other_campaign(world), unit=world.a)
    a = _draft(world)
    client.force_login(world.a_secretary)
    response = client.post(
        reverse("api-assessment-self-scores", args=[world.a.pk, a.pk]),
        {"scores": [{"criterion": crit(old, "1.1"), "points": "3"}]},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert not Score.objects.filter(self_points__isnull=False).exists()


def test_contest_of_a_criterion_of_another_set_is_refused(world):
    old = Assessment.objects.get(campaign=_other_campaign(world), unit=world.a)
    a = Assessment.objects.get(pk=released(world).pk)
    with pytest.raises(ValidationError, match="not part of this assessment"):
        services.contest(
            world.a_head,
            a,
            reason="Sai",
            items={crit(old, "1.1"): "Sai điểm"},
            today=dt.date(2026, 10, 21),
        )
    a.refresh_from_db()
    assert a.status == Assessment.Status.APPRAISED and a.contested_at is None


def test_decision_leaves_uncontested_criteria_as_appraised(world):
    a = released(world, appraised={"1.1": 30, "1.2": 30, "2.1": 25}, reasons={"1.1": "Thiếu"})
    services.contest(
        world.a_head, a, reason="Sai", items={crit(a, "1.1"): "Có"}, today=dt.date(2026, 10, 21)
    )
    services.decide_contest(
        world.dost_officer,
        a,
        {
            crit(a, "1.1"): {"accept": True, "points": "40", "reason": "Đúng"},
            crit(a, "1.2"): {"accept": True, "points": "0", "reason": "Sửa luôn"},
        },
        today=dt.date(2026, 10, 25),
    )
    a.refresh_from_db()
    uncontested = a.scores.get(criterion__code="1.2")
    assert uncontested.decided_points is None and uncontested.contest_outcome == ""
    assert uncontested.final_points == Decimal("30.00")
    assert a.final_total == Decimal("95.00")


# ---------------------------------------------------------------- bounded queries


def _many_agencies(world, n):
    for i in range(n):
        make_unit(f"P-X{i:03}", f"Ủy ban nhân dân xã Thử {i:03}", parent=world.p)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries)


def test_campaign_table_and_list_queries_do_not_grow_with_agencies(world, en):
    en.force_login(world.dost_admin)
    campaign = open_for(world)
    small = (
        _queries(en, reverse("campaign_detail", args=[campaign.pk])),
        _queries(en, reverse("campaign_list")),
        _queries(en, reverse("api-campaign-assessments", args=[2026])),
    )
    _many_agencies(world, 40)
    campaign.delete()
    campaign = open_for(world, cs=CriteriaSet.objects.get(year=2026))
    assert campaign.assessments.count() == 43
    large = (
        _queries(en, reverse("campaign_detail", args=[campaign.pk])),
        _queries(en, reverse("campaign_list")),
        _queries(en, reverse("api-campaign-assessments", args=[2026])),
    )
    assert large == small


def test_assessment_page_with_25_criteria_is_bounded(world, en, django_assert_max_num_queries):
    cs = CriteriaSet.objects.create(owner=world.p, year=2026, title="Bộ", status="published")
    for g in range(5):
        group = CriteriaGroup.objects.create(criteria_set=cs, order=g, code=str(g), title="N")
        for i in range(5):
            Criterion.objects.create(
                criteria_set=cs, group=group, order=i, code=f"{g}.{i}", text="x", max_points=4
            )
    a = _draft(world, open_for(world, cs=cs))
    for score in a.scores.all()[:10]:
        services.add_evidence(
            world.a_secretary, score, label="KH", url="/agencies/1/", today=OPENED
        )
    en.force_login(world.a_secretary)
    with django_assert_max_num_queries(30):
        response = en.get(reverse("assessment_detail", args=[world.a.pk, a.pk]))
    assert response.status_code == 200 and response.content.decode().count("score-") >= 25
    en.force_login(world.dost_officer)
    with django_assert_max_num_queries(30):
        assert en.get(reverse("assessment_appraise", args=[a.pk])).status_code == 200
    with django_assert_max_num_queries(30):
        url = reverse("api-assessment-detail", args=[world.a.pk, a.pk])
        assert en.get(url).status_code == 200


def test_campaign_list_queries_do_not_grow_with_campaigns(world, en):
    en.force_login(world.dost_admin)
    open_for(world)
    one = _queries(en, reverse("campaign_list"))
    for year in (2024, 2025):
        services.open_campaign(
            world.dost_admin,
            owner=world.p,
            year=year,
            criteria_set=make_set(world.p, year=year),
            self_assessment_due=dt.date(year, 10, 15),
            appraisal_due=dt.date(year, 11, 15),
            today=dt.date(year, 9, 1),
        )
    body = en.get(reverse("campaign_list")).content.decode()
    assert body.count("Ủy ban nhân dân xã Đông Phong") == 3  # not submitted, each year
    assert _queries(en, reverse("campaign_list")) == one


# ---------------------------------------------------------------- appraisal in progress


def test_agency_audit_trail_hides_the_appraisal_until_released(world, en):
    from tests.assessments.test_campaign import appraise, submitted

    a = submitted(world)
    appraise(world, a, {"1.1": 40, "1.2": 30, "2.1": 11}, {"2.1": "Thiếu biên bản họp xem xét"})
    en.force_login(world.a_head)
    # The history shows fields by their labels ("Appraised points"), as people read them.
    trail = en.get(reverse("agency_audit", args=[world.a.pk])).content.decode()
    assert "Appraised points" not in trail and "Appraised total" not in trail
    assert "Thiếu biên bản họp xem xét" not in trail
    page = en.get(reverse("assessment_detail", args=[world.a.pk, a.pk])).content.decode()
    assert "Thiếu biên bản họp xem xét" not in page and "Appraised points" not in page
    en.force_login(world.dost_officer)
    page = en.get(reverse("assessment_detail", args=[world.a.pk, a.pk])).content.decode()
    assert "Appraised points" in page  # the DoST's history tab lists its work
    services.release_appraisal(world.dost_officer, a, today=dt.date(2026, 10, 20))
    en.force_login(world.a_head)
    page = en.get(reverse("assessment_detail", args=[world.a.pk, a.pk])).content.decode()
    assert "Thiếu biên bản họp xem xét" in page


def test_agency_cannot_refresh_proposals_after_submitting(world):
    from tests.assessments.test_campaign import submitted

    a = submitted(world)
    before = list(a.scores.values_list("proposed_at", "proposed_points"))
    with pytest.raises(ValidationError, match="submitted"):
        services.refresh_proposals(world.a_secretary, a, today=dt.date(2026, 10, 2))
    assert list(a.scores.values_list("proposed_at", "proposed_points")) == before
    # The DoST may still recompute them from the records while appraising.
    services.refresh_proposals(world.dost_officer, a, today=dt.date(2026, 10, 2))


def test_a_draft_appraised_without_submission_is_not_counted_as_submitted(world):
    import datetime as _dt

    from govqms.assessments import selectors, services
    from tests.assessments.test_campaign import make_set

    w = world
    campaign = services.open_campaign(
        None,
        owner=w.p,
        year=2026,
        criteria_set=make_set(w.p),
        self_assessment_due=_dt.date(2026, 3, 1),
        appraisal_due=_dt.date(2026, 4, 1),
        today=_dt.date(2026, 2, 1),
    )
    draft = campaign.assessments.get(unit=w.b)
    entries = {s.criterion_id: {"points": 1, "reason": "Không nộp"} for s in draft.scores.all()}
    services.save_appraisal(w.dost_officer, draft, entries, today=_dt.date(2026, 3, 10))
    services.release_appraisal(w.dost_officer, draft, today=_dt.date(2026, 3, 10))
    draft.refresh_from_db()
    assert draft.status != "draft" and draft.submitted_at is None
    progress = selectors.campaign_progress(w.dost_officer, campaign)
    assert progress["submitted"] == 0
