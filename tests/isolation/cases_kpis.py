"""Isolation cases of the KPI dashboards (kpis/urls.py)."""

from tests.isolation import AGENCY, OVERSIGHT, Route
from tests.isolation.cases_documents import once


@once
def _procedure(w, target):
    from tests.procedures.factories import make_tthc

    tthc = make_tthc(code=f"9.{target.pk:06}", name=f"Thủ tục thử {target.code}")
    return {"unit_pk": target.pk, "procedure_pk": tthc.pk}


ROUTES = {
    "kpi_agency_dashboard": Route(AGENCY, kwargs=lambda w, target: {"unit_pk": target.pk}),
    "kpi_procedure_dashboard": Route(AGENCY, kwargs=_procedure),
    "kpi_late_dossiers": Route(AGENCY, kwargs=_procedure),
    "kpi_oversight_dashboard": Route(OVERSIGHT),
}
