"""Isolation cases of satisfaction and complaints (feedback/urls.py, api_urls.py)."""

import datetime as dt

from tests.isolation import AGENCY, MANAGE, OVERSIGHT, PUBLIC, Route
from tests.isolation.cases_documents import once


@once
def _complaint(w, target):
    from govqms.feedback import services

    return services.create_complaint(
        None,
        target,
        channel="phone",
        received_on=dt.date(2026, 3, 2),
        subject=f"Phản ánh thử {target.code}",
        content="Nội dung phản ánh",
        complainant_name="Nguyễn Văn Dân",
        complainant_contact="0900000000",
    )


def _unit_pk(w, target):
    return {"unit_pk": target.pk}


def _code(w, target):
    return {"code": target.code}


def _pk(w, target):
    return {"pk": _complaint(w, target).pk}


ROUTES = {
    "public_survey": Route(PUBLIC, _code),
    "public_survey_thanks": Route(PUBLIC, _code),
    "public_survey_qr_svg": Route(PUBLIC, _code),
    "public_survey_qr_png": Route(PUBLIC, _code),
    "public_complaint": Route(PUBLIC, _code),
    "public_complaint_thanks": Route(PUBLIC, _code),
    "satisfaction": Route(AGENCY, _unit_pk),
    "survey_responses": Route(AGENCY, _unit_pk),
    "survey_settings": Route(MANAGE, _unit_pk),
    "survey_poster": Route(MANAGE, _unit_pk),
    "complaint_list": Route(AGENCY, _unit_pk),
    "complaint_export": Route(AGENCY, _unit_pk),
    "complaint_create": Route(MANAGE, _unit_pk),
    "complaint_detail": Route(AGENCY, _pk),
    "complaint_edit": Route(MANAGE, _pk),
    "complaint_answer": Route(
        MANAGE,
        _pk,
        method="post",
        data=lambda w, target: {"response": "Đã trả lời", "responded_on": "2026-03-05"},
    ),
    "complaint_status": Route(
        MANAGE, _pk, method="post", data=lambda w, target: {"status": "in_progress"}
    ),
    "complaint_nonconformity": Route(MANAGE, _pk, method="post"),
    "oversight_satisfaction": Route(OVERSIGHT),
    "api-survey-responses": Route(AGENCY, _unit_pk),
    "api-satisfaction-index": Route(AGENCY, _unit_pk),
    "api-complaints": Route(AGENCY, _unit_pk),
    "api-complaint-detail": Route(AGENCY, _pk),
}
