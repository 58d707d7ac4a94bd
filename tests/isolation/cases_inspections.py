"""Isolation cases of inspections (inspections/urls.py and inspections/api_urls.py).

Both provinces get this year's approved plan, where B (province P) and C (province
Q) were inspected on site with a finding and sent a corrective report with a file,
and next year's draft plan (for the approve and mode routes)."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.isolation import AGENCY, DOST_ADMIN, LIST, OVERSIGHT, Route, target_secretary
from tests.oversight.factories import PDF_BYTES


def _year():
    return timezone.localdate().year


def _plans(w):
    """Built once per test (every case calls it for every user)."""
    store = w.__dict__.setdefault("_isolation_objects", {})
    if "inspections" in store:
        return store["inspections"]
    from govqms.inspections import services
    from govqms.inspections.models import Inspection

    today = timezone.localdate()
    year = _year()
    built = {}
    for owner, target, officer in ((w.p, w.b, w.dost_officer), (w.q, w.c, w.q_officer)):
        plan = services.create_plan(None, owner=owner, year=year, today=today)
        inspection = Inspection.objects.get(plan=plan, unit=target)
        services.set_mode(None, inspection, "on_site")
        services.approve_plan(None, plan)
        services.issue_decision(
            None,
            inspection,
            number=f"7/QĐ-{owner.code}",
            date=today - dt.timedelta(days=20),
            lead=officer,
            team="Thành viên đoàn kiểm tra",
            scheduled_on=today - dt.timedelta(days=10),
            today=today,
        )
        services.record_minutes(
            None,
            inspection,
            inspected_on=today - dt.timedelta(days=10),
            representatives="Đại diện cơ quan",
            summary="Nhận xét",
            conclusion="Kết luận",
            today=today,
        )
        services.add_finding(None, inspection, clause="9.2", text="Chưa đánh giá nội bộ")
        services.submit_corrective_report(
            target_secretary(w, target),
            inspection,
            text="Đã khắc phục",
            file=SimpleUploadedFile("bao-cao.pdf", PDF_BYTES),
        )
        draft = services.create_plan(None, owner=owner, year=year + 1, today=today)
        built[target.pk] = {
            "inspection": inspection,
            "draft": Inspection.objects.get(plan=draft, unit=target),
        }
    store["inspections"] = built
    return built


def _year_kwargs(w, target):
    _plans(w)
    return {"year": _year()}


def _next_year(w, target):
    _plans(w)
    return {"year": _year() + 1}


def _none(w, target):
    _plans(w)
    return {}


def _inspection(w, target):
    return {"pk": _plans(w)[target.pk]["inspection"].pk}


def _draft_inspection(w, target):
    return {"pk": _plans(w)[target.pk]["draft"].pk}


def _unit(w, target):
    _plans(w)
    return {"unit_pk": target.pk}


ROUTES = {
    "inspection_plan_list": Route(OVERSIGHT, _none),
    "inspection_plan_create": Route(DOST_ADMIN, _none),
    "inspection_plan_detail": Route(OVERSIGHT, _year_kwargs),
    "inspection_detail": Route(AGENCY, _inspection),
    "inspection_decision_docx": Route(AGENCY, _inspection),
    "inspection_minutes_docx": Route(AGENCY, _inspection),
    "inspection_report_file": Route(AGENCY, _inspection),
    "agency_inspections": Route(AGENCY, _unit),
    "api-inspection-plans": Route(OVERSIGHT, _none),
    "api-inspection-plan": Route(OVERSIGHT, _year_kwargs),
    "api-inspection-plan-approve": Route(DOST_ADMIN, _next_year, method="post"),
    "api-inspections": Route(LIST, _none),
    "api-inspection": Route(AGENCY, _inspection),
    "api-inspection-mode": Route(
        DOST_ADMIN, _draft_inspection, method="post", data=lambda w, t: {"mode": "on_site"}
    ),
    "api-inspection-decision": Route(AGENCY, _inspection),
    "api-inspection-minutes": Route(AGENCY, _inspection),
    "api-inspection-findings": Route(AGENCY, _inspection),
    "api-inspection-report": Route(AGENCY, _inspection),
    "api-inspection-close": Route(AGENCY, _inspection),
}
