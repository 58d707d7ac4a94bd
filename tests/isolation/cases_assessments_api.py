"""Isolation cases of the campaign and assessment API (assessments/api_urls.py).

The campaign routes are oversight consoles (each province's DoST sees its own
campaign and agencies only). An assessment is the agency's record: its members and
the DoST over it read it (the appraisal and decision routes are read with GET here;
their writes are the DoST's, tested in tests/assessments/test_api.py); the agency's
writes (self scores, submit, contest) are refused to everyone else, the DoST
included."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from tests.isolation import AGENCY, MANAGE, OVERSIGHT, Route

STAGES = ("draft", "scored", "submitted", "appraised", "contested")


def _store(w) -> dict:
    return w.__dict__.setdefault("_isolation_objects", {})


def year() -> int:
    return timezone.localdate().year


def published_set(owner, year_: int):
    """A published set: 1.1 (auto-scored: internal audit, 60 points), 1.2 (40 points)."""
    from govqms.assessments.models import (
        DEFAULT_BANDS,
        CriteriaGroup,
        CriteriaSet,
        Criterion,
        RatingBand,
    )

    cs = CriteriaSet.objects.create(
        owner=owner,
        year=year_,
        title=f"Bộ tiêu chí {year_}",
        status=CriteriaSet.Status.PUBLISHED,
    )
    group = CriteriaGroup.objects.create(criteria_set=cs, order=1, code="1", title="Áp dụng")
    Criterion.objects.create(
        criteria_set=cs,
        group=group,
        order=1,
        code="1.1",
        text="Đánh giá nội bộ trong năm",
        max_points=Decimal("60"),
        rule="internal_audit_done",
    )
    Criterion.objects.create(
        criteria_set=cs,
        group=group,
        order=2,
        code="1.2",
        text="Cập nhật văn bản pháp luật",
        max_points=Decimal("40"),
    )
    for band, minimum in DEFAULT_BANDS:
        RatingBand.objects.create(criteria_set=cs, band=band, min_points=minimum)
    return cs


def campaigns(w) -> dict:
    """This year's open campaign of each province (P: agencies A and B; Q: C), once
    per test."""
    store = _store(w)
    if "campaigns" not in store:
        from govqms.assessments import services

        today = timezone.localdate()
        store["campaigns"] = {
            owner.pk: services.open_campaign(
                None,
                owner=owner,
                year=today.year,
                criteria_set=published_set(owner, today.year),
                self_assessment_due=today + dt.timedelta(days=30),
                appraisal_due=today + dt.timedelta(days=60),
            )
            for owner in (w.p, w.q)
        }
    return store["campaigns"]


def head_of(w, unit):
    """The head of `unit` (agency A has one in the world; others get one here)."""
    if unit == w.a:
        return w.a_head
    store = _store(w)
    key = ("head", unit.pk)
    if key not in store:
        from govqms.organizations.models import Role
        from tests.factories import make_user

        store[key] = make_user(f"head_{unit.code}", f"Thủ trưởng {unit.code}", unit, Role.HEAD)
    return store[key]


def assessment_at(w, unit, stage: str = "draft"):
    """`unit`'s assessment of this year's campaign taken to `stage` through the
    services (1.1 keeps its proposal, 1.2 gets 30 points; the appraisal keeps them)."""
    from govqms.assessments import services
    from govqms.assessments.models import Assessment

    campaigns(w)
    store = _store(w)
    key = ("assessment", unit.pk)
    assessment = Assessment.objects.get(unit=unit, campaign__year=year())
    done = store.get(key, "draft")
    criteria = {s.criterion.code: s for s in assessment.scores.select_related("criterion")}
    for step in STAGES[STAGES.index(done) + 1 : STAGES.index(stage) + 1]:
        if step == "scored":
            services.save_self_scores(
                None,
                assessment,
                {
                    criteria["1.1"].criterion_id: {"points": criteria["1.1"].self_points or 0},
                    criteria["1.2"].criterion_id: {"points": "30", "comment": "Đã cập nhật"},
                },
            )
        elif step == "submitted":
            services.submit_self_assessment(None, assessment)
        elif step == "appraised":
            assessment.refresh_from_db()
            services.save_appraisal(
                None,
                assessment,
                {
                    s.criterion_id: {"points": s.self_points, "reason": ""}
                    for s in assessment.scores.all()
                },
            )
            services.release_appraisal(None, assessment)
        elif step == "contested":
            services.contest(
                None,
                assessment,
                reason="Chưa đồng ý",
                items={criteria["1.2"].criterion_id: "Đã cập nhật đủ"},
            )
        store[key] = step
    assessment.refresh_from_db()
    return assessment


def criterion_pk(w, unit, code: str) -> int:
    return assessment_at(w, unit).scores.get(criterion__code=code).criterion_id


def _year(w, target):
    campaigns(w)
    return {"year": year()}


def _at(stage):
    def kwargs(w, target):
        return {"unit_pk": target.pk, "pk": assessment_at(w, target, stage).pk}

    return kwargs


ROUTES = {
    "api-campaign-list": Route(OVERSIGHT, lambda w, t: campaigns(w) and {}),
    "api-campaign-detail": Route(OVERSIGHT, _year),
    "api-campaign-assessments": Route(OVERSIGHT, _year),
    "api-assessment-detail": Route(AGENCY, _at("draft")),
    "api-assessment-self-scores": Route(
        MANAGE,
        _at("draft"),
        method="post",
        data=lambda w, t: {
            "scores[0]criterion": criterion_pk(w, t, "1.2"),
            "scores[0]points": "25",
            "scores[0]comment": "Theo hồ sơ",
        },
    ),
    "api-assessment-submit": Route(
        MANAGE, _at("scored"), method="post", manager=lambda w, t: head_of(w, t)
    ),
    "api-assessment-appraisal": Route(AGENCY, _at("submitted")),
    "api-assessment-contest": Route(
        MANAGE,
        _at("appraised"),
        method="post",
        data=lambda w, t: {
            "reason": "Chưa đồng ý",
            "items[0]criterion": criterion_pk(w, t, "1.2"),
            "items[0]grounds": "Đã cập nhật đủ",
        },
        manager=lambda w, t: head_of(w, t),
    ),
    "api-assessment-decision": Route(AGENCY, _at("contested")),
}
