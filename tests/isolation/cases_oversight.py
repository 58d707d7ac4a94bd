"""Isolation cases of the oversight app: conformity announcements, the lifecycle and
the formalism signals (oversight/urls.py, oversight/api_urls.py)."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.isolation import AGENCY, MANAGE, OVERSIGHT, PUBLIC, Route, target_secretary
from tests.isolation.cases_documents import once
from tests.oversight.factories import PDF_BYTES


def _unit_pk(w, target):
    return {"unit_pk": target.pk}


@once
def _announcement(w, target):
    from govqms.oversight import services

    ann = services.record_announcement(
        target_secretary(w, target),
        target,
        decision_number=f"01/QĐ-{target.code}",
        decision_date=dt.date(2024, 3, 1),
        signed_file=SimpleUploadedFile("qd.pdf", PDF_BYTES),
    )
    return {"unit_pk": target.pk, "pk": ann.pk}


ROUTES = {
    "announcement_list": Route(AGENCY, _unit_pk),
    "announcement_create": Route(MANAGE, _unit_pk),
    "announcement_file": Route(AGENCY, _announcement),
    "agency_oversight": Route(AGENCY, _unit_pk),
    "oversight_signals": Route(OVERSIGHT),
    "public_announcements": Route(PUBLIC),
    "api-announcement-list": Route(AGENCY, _unit_pk),
    "api-unit-lifecycle": Route(AGENCY, _unit_pk),
    "api-unit-signals": Route(AGENCY, _unit_pk),
    "api-oversight-signals": Route(OVERSIGHT),
}
