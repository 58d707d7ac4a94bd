from django.urls import path

from . import dashboard_views

# /oversight/dashboard/ is the service KPI dashboard (kpis app): the assessment
# dashboard lives under it.
urlpatterns = [
    path(
        "oversight/dashboard/assessments/",
        dashboard_views.assessment_dashboard,
        name="assessment_dashboard",
    ),
    path(
        "agencies/<int:unit_pk>/assessments/trend/",
        dashboard_views.agency_assessment_trend,
        name="agency_assessment_trend",
    ),
]
