from django.urls import path

from . import views

urlpatterns = [
    path("agencies/<int:unit_pk>/dashboard/", views.agency_dashboard, name="kpi_agency_dashboard"),
    path(
        "agencies/<int:unit_pk>/dashboard/procedure/<int:procedure_pk>/",
        views.procedure_dashboard,
        name="kpi_procedure_dashboard",
    ),
    path(
        "agencies/<int:unit_pk>/dashboard/procedure/<int:procedure_pk>/late/",
        views.late_dossiers,
        name="kpi_late_dossiers",
    ),
    path("oversight/dashboard/", views.oversight_dashboard, name="kpi_oversight_dashboard"),
]
