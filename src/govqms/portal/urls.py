from django.urls import path

from . import views

urlpatterns = [
    path("", views.agency_directory, name="portal_agencies"),
    path("lookup/", views.dossier_lookup, name="portal_dossier_lookup"),
]
