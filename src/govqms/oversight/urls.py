from django.urls import path

from . import views

urlpatterns = [
    path(
        "agencies/<int:unit_pk>/announcements/",
        views.announcement_list,
        name="announcement_list",
    ),
    path(
        "agencies/<int:unit_pk>/announcements/new/",
        views.announcement_create,
        name="announcement_create",
    ),
    path(
        "agencies/<int:unit_pk>/announcements/<int:pk>/file/",
        views.announcement_file,
        name="announcement_file",
    ),
    path("agencies/<int:unit_pk>/lifecycle/", views.agency_oversight, name="agency_oversight"),
    path("oversight/signals/", views.signal_console, name="oversight_signals"),
    path("public/announcements/", views.public_announcements, name="public_announcements"),
]
