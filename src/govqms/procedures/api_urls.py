from django.urls import path

from . import api

urlpatterns = [
    path("procedures/", api.ProcedureList.as_view(), name="api-procedure-list"),
    path("procedures/<int:pk>/", api.ProcedureDetail.as_view(), name="api-procedure-detail"),
    path(
        "units/<int:unit_pk>/processes/",
        api.UnitProcesses.as_view(),
        name="api-unit-processes",
    ),
]
