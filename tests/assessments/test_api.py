"""The campaign and assessment API: the same permissions as the pages (through the
same services), tenancy (404 for other agencies and other provinces), the appraisal
hidden from the agency until released, and a full campaign driven through it."""

import pytest
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from govqms.assessments.models import Assessment
from govqms.core.models import AuditEntry
from tests.isolation.cases_assessments_api import (
    assessment_at,
    campaigns,
    criterion_pk,
    head_of,
    year,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def api(user=None) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_authenticate(user)
    return client


def detail_url(assessment, suffix=""):
    base = reverse("api-assessment-detail", args=[assessment.unit_id, assessment.pk])
    return base + suffix


# ---------------------------------------------------------------- campaigns


def test_campaign_list_is_for_oversight_and_their_province_only(world):
    w = world
    campaigns(w)
    url = reverse("api-campaign-list")
    mine = api(w.dost_officer).get(url).json()["results"]
    assert [c["owner"] for c in mine] == [w.p.pk]
    awaiting = {a["name"] for a in mine[0]["awaiting_submission"]}
    assert {w.a.name, w.b.name} <= awaiting and w.c.name not in awaiting
    assert mine[0]["assessments"] == mine[0]["not_submitted"] >= 2
    theirs = api(w.q_officer).get(url).json()["results"]
    assert [c["owner"] for c in theirs] == [w.q.pk]
    assert api(w.q_officer).get(url, {"year": year() - 1}).json()["results"] == []
    for user in (w.a_secretary, w.a_head, w.b_secretary):
        assert api(user).get(url).status_code == 403
    assert api().get(url).status_code == 401


def test_campaign_of_a_year_with_counts(world):
    w = world
    campaigns(w)
    assessment_at(w, w.a, "submitted")
    url = reverse("api-campaign-detail", args=[year()])
    data = api(w.dost_admin).get(url).json()
    assert data["owner"] == w.p.pk and data["state"] == "open"
    counts = {row["status"]: row["count"] for row in data["by_status"]}
    assert counts["submitted"] == 1 and counts["draft"] >= 1
    assert w.a.name not in {a["name"] for a in data["awaiting_submission"]}
    assert api(w.dost_admin).get(url, {"owner": w.q.pk}).status_code == 404
    assert api(w.q_officer).get(url).json()["owner"] == w.q.pk
    assert api(w.dost_officer).get(reverse("api-campaign-detail", args=[1999])).status_code == 404
    assert api(w.a_head).get(url).status_code == 403


def test_campaign_assessments_with_totals_and_filters(world):
    w = world
    campaigns(w)
    assessment_at(w, w.a, "submitted")
    url = reverse("api-campaign-assessments", args=[year()])
    rows = api(w.dost_officer).get(url).json()["results"]
    names = {r["unit_name"] for r in rows}
    assert {w.a.name, w.b.name} <= names and w.c.name not in names
    submitted = api(w.dost_officer).get(url, {"status": "submitted"}).json()["results"]
    assert [r["unit"] for r in submitted] == [w.a.pk]
    assert submitted[0]["self_total"] is not None
    found = api(w.dost_officer).get(url, {"q": "dong phong"}).json()["results"]  # accents folded
    assert [r["unit"] for r in found] == [w.a.pk]
    q_rows = api(w.q_officer).get(url).json()["results"]
    assert w.c.pk in {r["unit"] for r in q_rows}
    assert not {w.a.pk, w.b.pk} & {r["unit"] for r in q_rows}
    assert api(w.b_secretary).get(url).status_code == 403


# ---------------------------------------------------------------- one assessment


def test_assessment_detail_for_its_agency_and_its_dost_only(world):
    w = world
    a = assessment_at(w, w.a)
    url = detail_url(a)
    data = api(w.a_secretary).get(url).json()
    assert data["unit"] == w.a.pk and data["state"] == "draft"
    by_code = {s["code"]: s for s in data["scores"]}
    # The auto-scored criterion carries its rule's proposal, prefilled.
    assert by_code["1.1"]["rule"] == "internal_audit_done"
    assert "No internal audit was completed" in by_code["1.1"]["proposal_summary"]
    assert by_code["1.1"]["self_points"] == by_code["1.1"]["proposed_points"]
    assert data["allowed"]["edit_self_scores"] and not data["allowed"]["submit"]
    assert api(w.a_head).get(url).json()["allowed"]["submit"] is True  # the head submits
    # Agency B and another province's DoST: 404, as for a missing assessment.
    assert api(w.b_secretary).get(url).status_code == 404
    assert api(w.q_officer).get(url).status_code == 404
    assert api(w.c_secretary).get(url).status_code == 404
    # Agency B cannot reach A's assessment through its own unit either.
    assert api(w.b_secretary).get(f"/api/units/{w.b.pk}/assessments/{a.pk}/").status_code == 404
    # The DoST over the agency reads it, and the read is logged for the agency.
    assert api(w.dost_officer).get(url).status_code == 200
    assert AuditEntry.objects.filter(
        action="oversight_read", unit=w.a, actor=w.dost_officer
    ).exists()


def test_agency_writes_follow_the_services_permissions(world):
    w = world
    a = assessment_at(w, w.a)
    c12 = criterion_pk(w, w.a, "1.2")
    body = {"scores": [{"criterion": c12, "points": "35.5", "comment": "Đủ hồ sơ"}]}
    # Staff, the DoST and another agency may not edit.
    assert (
        api(w.a_staff).post(detail_url(a, "self-scores/"), body, format="json").status_code == 403
    )
    response = api(w.dost_officer).post(detail_url(a, "self-scores/"), body, format="json")
    assert response.status_code == 403
    response = api(w.b_secretary).post(detail_url(a, "self-scores/"), body, format="json")
    assert response.status_code == 404
    response = api(w.a_secretary).post(detail_url(a, "self-scores/"), body, format="json")
    assert response.status_code == 200
    score = {s["code"]: s for s in response.json()["scores"]}["1.2"]
    assert score["self_points"] == "35.50" and score["self_comment"] == "Đủ hồ sơ"
    # Over the maximum: refused with the criterion named.
    too_many = {"scores": [{"criterion": c12, "points": "41"}]}
    response = api(w.a_secretary).post(detail_url(a, "self-scores/"), too_many, format="json")
    assert response.status_code == 400 and "1.2" in str(response.json())
    # Only the head submits.
    assert api(w.a_secretary).post(detail_url(a, "submit/")).status_code == 403
    assert api(w.a_head).post(detail_url(a, "submit/")).status_code == 200
    a.refresh_from_db()
    assert a.status == Assessment.Status.SUBMITTED


def test_submit_is_refused_while_a_criterion_is_unscored(world):
    w = world
    a = assessment_at(w, w.a)
    c12 = criterion_pk(w, w.a, "1.2")
    body = {"scores": [{"criterion": c12, "points": None}]}
    api(w.a_secretary).post(detail_url(a, "self-scores/"), body, format="json")
    response = api(w.a_head).post(detail_url(a, "submit/"))
    assert response.status_code == 400
    assert "1.2" in response.json()["non_field_errors"][0]
    a.refresh_from_db()
    assert a.status == Assessment.Status.DRAFT


def test_the_appraisal_stays_hidden_from_the_agency_until_released(world):
    w = world
    a = assessment_at(w, w.a, "submitted")
    c12 = criterion_pk(w, w.a, "1.2")
    url = detail_url(a, "appraisal/")
    body = {"scores": [{"criterion": c12, "points": "20", "reason": "Thiếu minh chứng"}]}
    # The agency may not appraise; the DoST of another province does not even see it.
    assert api(w.a_head).post(url, body, format="json").status_code == 403
    assert api(w.q_officer).post(url, body, format="json").status_code == 404
    assert api(w.dost_officer).post(url, body, format="json").status_code == 200
    seen = api(w.dost_officer).get(url).json()
    assert {s["code"]: s for s in seen["scores"]}["1.2"]["appraised_points"] == "20.00"
    hidden = api(w.a_head).get(url).json()
    assert hidden["released"] is False and hidden["appraised_total"] is None
    assert {s["code"]: s for s in hidden["scores"]}["1.2"]["appraised_points"] is None
    assert "Thiếu minh chứng" not in str(api(w.a_head).get(detail_url(a)).json())


def test_release_is_refused_until_every_criterion_is_appraised_and_saves_nothing(world):
    w = world
    a = assessment_at(w, w.a, "submitted")
    c12 = criterion_pk(w, w.a, "1.2")
    url = detail_url(a, "appraisal/")
    body = {
        "scores": [{"criterion": c12, "points": "30", "reason": ""}],
        "release": True,
    }
    response = api(w.dost_officer).post(url, body, format="json")
    assert response.status_code == 400 and "1.1" in str(response.json())
    a.refresh_from_db()
    assert a.status == Assessment.Status.SUBMITTED
    assert a.scores.get(criterion_id=c12).appraised_points is None  # not saved either
    # A changed score needs a reason.
    no_reason = {"scores": [{"criterion": c12, "points": "10", "reason": ""}]}
    response = api(w.dost_officer).post(url, no_reason, format="json")
    assert response.status_code == 400 and "1.2" in str(response.json())


def test_a_full_campaign_through_the_api(world):
    w = world
    a = assessment_at(w, w.a, "scored")
    c11, c12 = criterion_pk(w, w.a, "1.1"), criterion_pk(w, w.a, "1.2")
    assert api(w.a_head).post(detail_url(a, "submit/")).status_code == 200
    # The DoST changes 1.2 with a reason and releases.
    body = {
        "scores": [
            {"criterion": c11, "points": "0", "reason": ""},
            {"criterion": c12, "points": "20", "reason": "Thiếu minh chứng"},
        ],
        "release": True,
    }
    response = api(w.dost_officer).post(detail_url(a, "appraisal/"), body, format="json")
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["state"] == "appraised" and data["appraised_total"] == "20.00"
    assert data["contest_due"]
    # Now the agency sees it, and its head contests (the secretary may not).
    shown = api(w.a_secretary).get(detail_url(a, "appraisal/")).json()
    assert shown["released"] and {s["code"]: s for s in shown["scores"]}["1.2"][
        "appraisal_reason"
    ] == ("Thiếu minh chứng")
    contest = {"reason": "Chưa đồng ý", "items": [{"criterion": c12, "grounds": "Đã đủ"}]}
    url = detail_url(a, "contest/")
    assert api(w.a_secretary).post(url, contest, format="json").status_code == 403
    assert api(w.dost_officer).post(url, contest, format="json").status_code == 403
    assert api(w.a_head).post(url, contest, format="json").status_code == 200
    again = api(w.a_head).post(url, contest, format="json")
    assert again.status_code == 400  # once only
    state = api(w.dost_officer).get(url).json()
    assert state["state"] == "contested" and state["items"][0]["grounds"] == "Đã đủ"
    # The DoST decides: accepted at 30 points; the agency may not decide.
    decision = {
        "decisions": [
            {"criterion": c12, "accept": True, "points": "30", "reason": "Đã xem hồ sơ bổ sung"}
        ]
    }
    url = detail_url(a, "decision/")
    assert api(w.a_head).post(url, decision, format="json").status_code == 403
    missing_reason = {"decisions": [{"criterion": c12, "accept": False, "reason": ""}]}
    assert api(w.dost_officer).post(url, missing_reason, format="json").status_code == 400
    final = api(w.dost_officer).post(url, decision, format="json").json()
    assert final["state"] == "final" and final["final_total"] == "30.00"
    assert final["band"] == "weak" and final["rank"] == 1
    outcome = api(w.a_head).get(url).json()
    assert outcome["items"][0]["outcome"] == "accepted"
    assert outcome["items"][0]["decided_points"] == "30.00"
    # The campaign's list shows the final total, band and rank.
    rows = api(w.dost_admin).get(
        reverse("api-campaign-assessments", args=[year()]), {"status": "final"}
    )
    (row,) = rows.json()["results"]
    assert (row["unit"], row["final_total"], row["band"], row["rank"]) == (
        w.a.pk,
        "30.00",
        "weak",
        1,
    )
    # Every step is in the audit trail.
    actions = set(AuditEntry.objects.filter(unit=w.a).values_list("action", flat=True))
    assert {"assessment_submit", "assessment_release", "assessment_contest"} <= actions


def test_contest_after_release_needs_the_head_of_that_agency(world):
    w = world
    b = assessment_at(w, w.b, "appraised")
    contest = {
        "reason": "Chưa đồng ý",
        "items": [{"criterion": criterion_pk(w, w.b, "1.2"), "grounds": "Đã đủ"}],
    }
    # The head of agency A is not agency B's head: B's assessment is not even found.
    assert api(w.a_head).post(detail_url(b, "contest/"), contest, format="json").status_code == 404
    assert (
        api(head_of(w, w.b)).post(detail_url(b, "contest/"), contest, format="json").status_code
        == 200
    )
