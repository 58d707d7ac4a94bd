from django.urls import path

from . import views_attachments as views

urlpatterns = [
    path("versions/<int:pk>/attachments/", views.version_attachments, name="version_attachments"),
    path(
        "versions/<int:pk>/attachments/<int:attachment_pk>/download/",
        views.attachment_download,
        name="attachment_download",
    ),
    path(
        "versions/<int:pk>/attachments/<int:attachment_pk>/remove/",
        views.attachment_remove,
        name="attachment_remove",
    ),
]
