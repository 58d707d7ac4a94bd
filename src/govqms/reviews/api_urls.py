from django.urls import path

from . import api

P = "units/<int:unit_pk>/management-reviews/"

urlpatterns = [
    path(P, api.ReviewList.as_view(), name="api-review-list"),
    path(P + "<int:pk>/", api.ReviewDetail.as_view(), name="api-review-detail"),
    path(P + "<int:pk>/inputs/", api.ReviewInputs.as_view(), name="api-review-inputs"),
    path(P + "<int:pk>/decisions/", api.ReviewDecisions.as_view(), name="api-review-decisions"),
    path(
        "units/<int:unit_pk>/management-review-actions/",
        api.ActionList.as_view(),
        name="api-review-actions",
    ),
    path(
        "units/<int:unit_pk>/management-review-actions/<int:pk>/",
        api.ActionDetail.as_view(),
        name="api-review-action-detail",
    ),
]
