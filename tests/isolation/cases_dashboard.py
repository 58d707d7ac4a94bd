"""Isolation cases of the assessment dashboard and an agency's assessment trend
(oversight/urls_dashboard.py)."""

from tests.isolation import AGENCY, OVERSIGHT, Route


def _unit_pk(w, target):
    return {"unit_pk": target.pk}


ROUTES = {
    "assessment_dashboard": Route(OVERSIGHT),
    "agency_assessment_trend": Route(AGENCY, _unit_pk),
}
