"""Isolation cases of the criteria sets (assessments/urls_criteria.py and
api_urls_criteria.py).

A criteria set belongs to a province (its owner is the oversight root), not to an
agency, so the kinds fit loosely: the edit routes are MANAGE with the province's DoST
administrator as the manager (agency users and DoST officers get 403, the other
province's DoST 404); creating is DOST_ADMIN; a set's read routes are OWNED (oversight
users of the owner only); the lists are SELF here and checked in full by
tests/assessments/test_criteria_views.py."""

from tests.isolation import DOST_ADMIN, MANAGE, OWNED, SELF, Route
from tests.isolation.cases_documents import once


def _province(w, target):
    return w.p if target.path.startswith(w.p.path) else w.q


def _admin(w, target):
    return w.dost_admin


@once
def _set(w, target):
    from govqms.assessments.default_criteria import create_default_set

    return create_default_set(None, owner=_province(w, target), year=2022)


def _pk(w, target):
    return {"pk": _set(w, target).pk}


def _group(w, target):
    cs = _set(w, target)
    return {"pk": cs.pk, "group_pk": cs.groups.order_by("order").last().pk}


def _criterion(w, target):
    cs = _set(w, target)
    return {"pk": cs.pk, "criterion_pk": cs.criteria.order_by("pk").last().pk}


def _workbook(w, target):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from govqms.assessments.criteria_xlsx import export_set

    return {"file": SimpleUploadedFile("tieu_chi.xlsx", export_set(_set(w, target)))}


BANDS = {"excellent": "90", "good": "80", "fair": "65", "average": "50", "weak": "0"}


def _manage(kwargs=_pk, method="get", data=lambda w, t: {}):
    return Route(MANAGE, kwargs, method=method, data=data, manager=_admin)


ROUTES = {
    "criteria_set_list": Route(SELF),
    "criteria_set_create": Route(DOST_ADMIN),
    "criteria_set_detail": Route(OWNED, _pk),
    "criteria_set_history": Route(OWNED, _pk),
    "criteria_set_export": Route(OWNED, _pk),
    "criteria_set_edit": _manage(),
    "criteria_set_copy": _manage(),
    "criteria_bands_edit": _manage(),
    "criteria_set_import": _manage(),
    "criteria_group_create": _manage(),
    "criteria_group_edit": _manage(_group),
    "criteria_group_delete": _manage(_group, "post"),
    "criterion_create": _manage(),
    "criterion_edit": _manage(_criterion),
    "criterion_delete": _manage(_criterion, "post"),
    "criteria_set_publish": _manage(method="post"),
    "api-criteria-set-list": Route(SELF),
    "api-criteria-set-detail": Route(OWNED, _pk),
    "api-criteria-set-publish": _manage(method="post"),
    "api-criteria-set-bands": _manage(method="post", data=lambda w, t: BANDS),
    "api-criteria-set-import": _manage(method="post", data=_workbook),
    "api-criterion-update": _manage(
        _criterion, "post", data=lambda w, t: {"text": "Tiêu chí sửa qua API"}
    ),
    "api-criteria-set-copy": _manage(method="post", data=lambda w, t: {"year": 2031}),
}
