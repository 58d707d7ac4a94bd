"""Isolation cases of the yearly campaign pages (assessments/urls.py).

Both provinces run a campaign: P's (agencies DoST, A, B) and Q's (agency Q, C). The
agency pages are the agency's own record (AGENCY; writes MANAGE). The DoST's pages of
one campaign or one assessment are OWNED: records of the province's DoST addressed
by pk, which the owner's DoST officers and administrators open and everyone else gets
403/404 for (tests/assessments/test_campaign_isolation.py checks them once more for
every role).
"""

import datetime as dt

from tests.isolation import AGENCY, DOST_ADMIN, MANAGE, OVERSIGHT, OWNED, Route, target_secretary


def _campaigns(w):
    """One open campaign per province, opened once per test."""
    store = w.__dict__.setdefault("_isolation_objects", {})
    if "campaigns" not in store:
        from govqms.assessments import services
        from tests.assessments.test_campaign import make_set

        store["campaigns"] = {}
        for owner in (w.p, w.q):
            store["campaigns"][owner.pk] = services.open_campaign(
                None,
                owner=owner,
                year=2026,
                criteria_set=make_set(owner),
                self_assessment_due=dt.date(2099, 10, 15),
                appraisal_due=dt.date(2099, 11, 15),
            )
    return store["campaigns"]


def _campaign_of(w, target):
    return _campaigns(w)[(w.p if target == w.b else w.q).pk]


def _assessment(w, target):
    return _campaign_of(w, target).assessments.get(unit=target)


def _evidence(w, target, *, with_file):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from govqms.assessments import services

    store = w.__dict__.setdefault("_isolation_objects", {})
    key = ("assessment_evidence", target.pk, with_file)
    if key not in store:
        score = _assessment(w, target).scores.order_by("pk").first()
        pdf = SimpleUploadedFile("bc.pdf", b"%PDF-1.4 x") if with_file else None
        store[key] = services.add_evidence(
            None, score, label="Báo cáo", url="" if with_file else "/agencies/", file=pdf
        )
    return store[key]


def _head(w, target):
    """A head of the target agency (made after the MANAGE checks, as their manager)."""
    from govqms.organizations.models import Role
    from tests.factories import make_user

    store = w.__dict__.setdefault("_isolation_objects", {})
    key = ("assessment_head", target.pk)
    if key not in store:
        store[key] = make_user(f"head_{target.code}", "Trưởng cơ quan", target, Role.HEAD)
    return store[key]


def _list(w, target):
    _campaigns(w)
    return {}


def _campaign_pk(w, target):
    return {"pk": _campaign_of(w, target).pk}


def _assessment_pk(w, target):
    return {"pk": _assessment(w, target).pk}


def _unit_pk(w, target):
    return {"unit_pk": target.pk}


def _agency_assessment(w, target):
    return {"unit_pk": target.pk, "pk": _assessment(w, target).pk}


def _score(w, target):
    a = _assessment(w, target)
    return {"unit_pk": target.pk, "pk": a.pk, "score_pk": a.scores.order_by("pk").first().pk}


def _evidence_link(w, target):
    ev = _evidence(w, target, with_file=False)
    return {"unit_pk": target.pk, "pk": ev.score.assessment_id, "evidence_pk": ev.pk}


def _evidence_file(w, target):
    ev = _evidence(w, target, with_file=True)
    return {"unit_pk": target.pk, "pk": ev.score.assessment_id, "evidence_pk": ev.pk}


def _dost_admin(w, target):
    return w.dost_admin


OVERSIGHT_OBJECT_ROUTES = {
    "campaign_detail": Route(OWNED, _campaign_pk),
    "campaign_export": Route(OWNED, _campaign_pk),
    "assessment_appraise": Route(OWNED, _assessment_pk),
    "assessment_release": Route(OWNED, _assessment_pk, method="post"),
    "assessment_decide": Route(OWNED, _assessment_pk),
}

ROUTES = {
    **OVERSIGHT_OBJECT_ROUTES,
    "campaign_list": Route(OVERSIGHT, _list),
    "campaign_open": Route(DOST_ADMIN),
    "campaign_edit": Route(MANAGE, _campaign_pk, manager=_dost_admin),
    "campaign_close": Route(MANAGE, _campaign_pk, method="post", manager=_dost_admin),
    "agency_assessments": Route(AGENCY, _unit_pk),
    "assessment_detail": Route(AGENCY, _agency_assessment),
    "assessment_refresh": Route(MANAGE, _agency_assessment, method="post"),
    "assessment_submit": Route(MANAGE, _agency_assessment, method="post", manager=_head),
    "assessment_contest": Route(MANAGE, _agency_assessment, method="post", manager=_head),
    "assessment_evidence_add": Route(MANAGE, _score, method="post", manager=target_secretary),
    "assessment_evidence_remove": Route(MANAGE, _evidence_link, method="post"),
    "assessment_evidence_file": Route(AGENCY, _evidence_file),
}
