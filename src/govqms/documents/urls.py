from django.urls import include, path

from . import views

urlpatterns = [
    path("agencies/<int:unit_pk>/documents/", views.register, name="document_register"),
    path(
        "agencies/<int:unit_pk>/documents/export.xlsx",
        views.register_export,
        name="document_register_export",
    ),
    path("agencies/<int:unit_pk>/documents/new/", views.document_create, name="document_create"),
    path(
        "agencies/<int:unit_pk>/documents/steps/",
        views.approval_steps,
        name="document_approval_steps",
    ),
    path("documents/<int:pk>/", views.document_detail, name="document_detail"),
    path("documents/<int:pk>/edit/", views.document_edit, name="document_edit"),
    path("documents/<int:pk>/revise/", views.document_revise, name="document_revise"),
    path("documents/<int:pk>/withdraw/", views.document_withdraw, name="document_withdraw"),
    path("versions/<int:pk>/", views.version_detail, name="version_detail"),
    path("versions/<int:pk>/edit/", views.version_edit, name="version_edit"),
    path("versions/<int:pk>/submit/", views.version_submit, name="version_submit"),
    path("versions/<int:pk>/decide/", views.version_decide, name="version_decide"),
    path("versions/<int:pk>/effective/", views.version_make_effective, name="version_effective"),
    path("versions/<int:pk>/diff/<int:other_pk>/", views.version_diff, name="version_diff"),
    path("", include("govqms.documents.urls_render")),
    path("", include("govqms.documents.urls_legal")),
    path("", include("govqms.documents.urls_attachments")),
    path("", include("govqms.documents.urls_framework")),
    path("", include("govqms.documents.urls_awareness")),
    path("", include("govqms.documents.urls_search")),
]
