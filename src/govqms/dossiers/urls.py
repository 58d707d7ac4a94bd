from django.urls import path

from . import views

urlpatterns = [
    path("agencies/<int:unit_pk>/dossiers/", views.dossier_list, name="dossier_list"),
    path("agencies/<int:unit_pk>/dossiers/import/", views.dossier_import, name="dossier_import"),
    path("dossiers/<int:pk>/", views.dossier_detail, name="dossier_detail"),
    path("dossier-imports/<int:pk>/", views.import_batch, name="dossier_import_batch"),
    path(
        "agencies/<int:unit_pk>/dossiers/import/profiles/",
        views.profile_list,
        name="dossier_profile_list",
    ),
    path(
        "agencies/<int:unit_pk>/dossiers/import/profiles/new/",
        views.profile_create,
        name="dossier_profile_new",
    ),
    path(
        "agencies/<int:unit_pk>/dossiers/import/profiles/<int:pk>/",
        views.profile_detail,
        name="dossier_profile_detail",
    ),
    path(
        "agencies/<int:unit_pk>/dossiers/import/profiles/<int:pk>/edit/",
        views.profile_edit,
        name="dossier_profile_edit",
    ),
    path(
        "agencies/<int:unit_pk>/dossiers/import/profiles/<int:pk>/delete/",
        views.profile_delete,
        name="dossier_profile_delete",
    ),
    path("dossier-import-profiles/", views.shared_profile_list, name="shared_profile_list"),
    path("dossier-import-profiles/new/", views.shared_profile_create, name="shared_profile_new"),
    path(
        "dossier-import-profiles/<int:pk>/", views.shared_profile_edit, name="shared_profile_edit"
    ),
    path(
        "dossier-import-profiles/<int:pk>/delete/",
        views.shared_profile_delete,
        name="shared_profile_delete",
    ),
]
