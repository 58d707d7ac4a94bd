"""Isolation cases of the TTHC catalogue, the agencies' TTHC and processes, the DoST
coverage console and the public published procedures (procedures/urls.py)."""

from django.urls import NoReverseMatch, reverse

from tests.isolation import AGENCY, DOST_ADMIN, MANAGE, OVERSIGHT, PUBLIC, SELF, Route
from tests.procedures.factories import covered_assignment, make_tthc


def once(builder):
    def cached(w, target):
        store = w.__dict__.setdefault("_isolation_objects", {})
        key = (builder.__name__, target.pk)
        if key not in store:
            store[key] = builder(w, target)
        return store[key]

    return cached


@once
def _assignment(w, target):
    tthc = make_tthc(code=f"1.00{target.pk:04d}", name=f"Thủ tục thử {target.code}")
    return covered_assignment(target, tthc=tthc, code=f"QT-{target.code}")


def _procedure_pk(w, target):
    return {"pk": _assignment(w, target).procedure_id}


def _assignment_pk(w, target):
    return {"pk": _assignment(w, target).pk}


def _unit_pk(w, target):
    _assignment(w, target)
    return {"unit_pk": target.pk}


def _public_procedure(w, target):
    return {"unit_pk": target.pk, "pk": _assignment(w, target).pk}


ROUTES = {
    "procedure_list": Route(SELF),
    "procedure_detail": Route(SELF, _procedure_pk),
    "procedure_create": Route(DOST_ADMIN),
    "procedure_import": Route(DOST_ADMIN),
    "procedure_edit": Route(DOST_ADMIN, _procedure_pk),
    "procedure_assign": Route(DOST_ADMIN, _procedure_pk),
    "agency_procedures": Route(AGENCY, _unit_pk),
    "agency_processes_json": Route(AGENCY, _unit_pk),
    "agency_processes_xlsx": Route(AGENCY, _unit_pk),
    "assignment_process": Route(AGENCY, _assignment_pk),
    "agency_list_updated": Route(MANAGE, _unit_pk, method="post"),
    "assignment_edit": Route(MANAGE, _assignment_pk),
    "procedure_coverage": Route(OVERSIGHT),
    "public_procedure_agencies": Route(PUBLIC),
    "public_agency_procedures": Route(PUBLIC, _unit_pk),
    "public_procedure": Route(PUBLIC, _public_procedure),
}


# The API routes count once the lead includes procedures/api_urls.py under /api/.
try:
    reverse("api-procedure-list")
except NoReverseMatch:  # pragma: no cover
    pass
else:
    ROUTES.update(
        {
            "api-procedure-list": Route(SELF),
            "api-procedure-detail": Route(SELF, _procedure_pk),
            "api-unit-processes": Route(AGENCY, _unit_pk),
        }
    )
