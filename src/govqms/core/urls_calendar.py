from django.urls import path

from . import views_calendar as views

urlpatterns = [
    path("calendar/", views.calendar_year, name="calendar"),
    path("calendar/overrides/add/", views.override_add, name="calendar_override_add"),
    path(
        "calendar/overrides/<int:pk>/delete/",
        views.override_delete,
        name="calendar_override_delete",
    ),
]
