from django.urls import path

from . import api

urlpatterns = [
    path(
        "units/<int:unit_pk>/announcements/",
        api.AnnouncementList.as_view(),
        name="api-announcement-list",
    ),
    path("units/<int:unit_pk>/lifecycle/", api.UnitLifecycle.as_view(), name="api-unit-lifecycle"),
    path("units/<int:unit_pk>/signals/", api.UnitSignals.as_view(), name="api-unit-signals"),
    path("oversight/signals/", api.OversightSignals.as_view(), name="api-oversight-signals"),
]
