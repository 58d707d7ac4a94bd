from django.urls import path

from . import api

U = "units/<int:unit_pk>/"

urlpatterns = [
    path(U + "objectives/", api.ObjectiveList.as_view(), name="api-objective-list"),
    path(U + "objectives/<int:pk>/", api.ObjectiveDetail.as_view(), name="api-objective-detail"),
    path(
        U + "objectives/<int:pk>/measurements/",
        api.MeasurementList.as_view(),
        name="api-objective-measurements",
    ),
    path(U + "risks/", api.RiskList.as_view(), name="api-risk-list"),
    path(U + "risks/<int:pk>/", api.RiskDetail.as_view(), name="api-risk-detail"),
    path(U + "plan-items/", api.PlanItemList.as_view(), name="api-plan-item-list"),
    path(U + "plan-items/<int:pk>/", api.PlanItemDetail.as_view(), name="api-plan-item-detail"),
]
