from django.urls import path

from . import api

urlpatterns = [
    path(
        "units/<int:unit_pk>/audit-programmes/",
        api.ProgrammeList.as_view(),
        name="api-audit-programmes",
    ),
    path("units/<int:unit_pk>/audit-plans/", api.PlanList.as_view(), name="api-audit-plans"),
    path("units/<int:unit_pk>/auditors/", api.Auditors.as_view(), name="api-auditors"),
    path("audit-plans/<int:pk>/", api.PlanDetail.as_view(), name="api-audit-plan"),
    path("audit-plans/<int:pk>/checklist/", api.Checklist.as_view(), name="api-audit-checklist"),
    path("audit-plans/<int:pk>/findings/", api.Findings.as_view(), name="api-audit-findings"),
    path("audit-checklist-items/<int:pk>/", api.ItemDetail.as_view(), name="api-audit-item"),
    path(
        "audit-checklist-items/<int:pk>/result/",
        api.ItemResult.as_view(),
        name="api-audit-item-result",
    ),
]
