from django.urls import path

from . import views

urlpatterns = [
    path("agencies/<int:unit_pk>/dossiers/", views.dossier_list, name="dossier_list"),
    path("agencies/<int:unit_pk>/dossiers/import/", views.dossier_import, name="dossier_import"),
    path("dossiers/<int:pk>/", views.dossier_detail, name="dossier_detail"),
    path("dossier-imports/<int:pk>/", views.import_batch, name="dossier_import_batch"),
]
