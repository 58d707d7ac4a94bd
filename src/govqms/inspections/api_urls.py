from django.urls import path

from . import api

urlpatterns = [
    path("inspection-plans/", api.PlanList.as_view(), name="api-inspection-plans"),
    path("inspection-plans/<int:year>/", api.PlanDetail.as_view(), name="api-inspection-plan"),
    path(
        "inspection-plans/<int:year>/approve/",
        api.PlanApprove.as_view(),
        name="api-inspection-plan-approve",
    ),
    path("inspections/", api.InspectionList.as_view(), name="api-inspections"),
    path("inspections/<int:pk>/", api.InspectionDetail.as_view(), name="api-inspection"),
    path("inspections/<int:pk>/mode/", api.InspectionMode.as_view(), name="api-inspection-mode"),
    path(
        "inspections/<int:pk>/decision/",
        api.InspectionDecision.as_view(),
        name="api-inspection-decision",
    ),
    path(
        "inspections/<int:pk>/minutes/",
        api.InspectionMinutes.as_view(),
        name="api-inspection-minutes",
    ),
    path(
        "inspections/<int:pk>/findings/",
        api.InspectionFindings.as_view(),
        name="api-inspection-findings",
    ),
    path(
        "inspections/<int:pk>/corrective-report/",
        api.InspectionReport.as_view(),
        name="api-inspection-report",
    ),
    path("inspections/<int:pk>/close/", api.InspectionClose.as_view(), name="api-inspection-close"),
]
