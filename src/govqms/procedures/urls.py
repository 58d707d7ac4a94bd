from django.urls import path

from . import views

urlpatterns = [
    path("procedures/", views.procedure_list, name="procedure_list"),
    path("procedures/new/", views.procedure_create, name="procedure_create"),
    path("procedures/import/", views.procedure_import, name="procedure_import"),
    path("procedures/<int:pk>/", views.procedure_detail, name="procedure_detail"),
    path("procedures/<int:pk>/edit/", views.procedure_edit, name="procedure_edit"),
    path("procedures/<int:pk>/assign/", views.procedure_assign, name="procedure_assign"),
    path("agencies/<int:unit_pk>/procedures/", views.agency_procedures, name="agency_procedures"),
    path(
        "agencies/<int:unit_pk>/procedures/processes.json",
        views.agency_processes_json,
        name="agency_processes_json",
    ),
    path(
        "agencies/<int:unit_pk>/procedures/processes.xlsx",
        views.agency_processes_xlsx,
        name="agency_processes_xlsx",
    ),
    path(
        "agencies/<int:unit_pk>/procedures/list-updated/",
        views.agency_list_updated,
        name="agency_list_updated",
    ),
    path("procedure-assignments/<int:pk>/", views.assignment_edit, name="assignment_edit"),
    path(
        "procedure-assignments/<int:pk>/process/",
        views.assignment_process,
        name="assignment_process",
    ),
    path("oversight/procedures/coverage/", views.coverage_overview, name="procedure_coverage"),
    path("public/procedures/", views.public_agencies, name="public_procedure_agencies"),
    path("public/procedures/<int:unit_pk>/", views.public_agency, name="public_agency_procedures"),
    path(
        "public/procedures/<int:unit_pk>/<int:pk>/",
        views.public_procedure,
        name="public_procedure",
    ),
]
