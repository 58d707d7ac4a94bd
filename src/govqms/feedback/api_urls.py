from django.urls import path

from . import api

urlpatterns = [
    path(
        "units/<int:unit_pk>/satisfaction/responses/",
        api.UnitResponses.as_view(),
        name="api-survey-responses",
    ),
    path(
        "units/<int:unit_pk>/satisfaction/index/",
        api.UnitIndex.as_view(),
        name="api-satisfaction-index",
    ),
    path("units/<int:unit_pk>/complaints/", api.UnitComplaints.as_view(), name="api-complaints"),
    path("complaints/<int:pk>/", api.ComplaintDetail.as_view(), name="api-complaint-detail"),
]
