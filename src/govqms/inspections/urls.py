"""Pages of inspections (Circular 26/2014/TT-BKHCN): the DoST's yearly plans under
/oversight/inspections/, each inspection under /inspections/<pk>/ (the DoST and the
inspected agency), and an agency's inspections under /agencies/<unit_pk>/."""

from django.urls import path

from . import views

urlpatterns = [
    path("oversight/inspections/", views.inspection_plan_list, name="inspection_plan_list"),
    path("oversight/inspections/new/", views.inspection_plan_create, name="inspection_plan_create"),
    path(
        "oversight/inspections/<int:year>/",
        views.inspection_plan_detail,
        name="inspection_plan_detail",
    ),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection_detail"),
    path(
        "inspections/<int:pk>/decision.docx",
        views.inspection_decision_docx,
        name="inspection_decision_docx",
    ),
    path(
        "inspections/<int:pk>/minutes.docx",
        views.inspection_minutes_docx,
        name="inspection_minutes_docx",
    ),
    path(
        "inspections/<int:pk>/corrective-report/file/",
        views.inspection_report_file,
        name="inspection_report_file",
    ),
    path(
        "agencies/<int:unit_pk>/inspections/", views.agency_inspections, name="agency_inspections"
    ),
]
