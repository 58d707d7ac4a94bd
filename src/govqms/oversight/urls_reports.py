from django.urls import path

from . import report_views as views

urlpatterns = [
    path("oversight/reports/", views.oversight_reports, name="oversight_reports"),
    path("oversight/reports/issue/", views.oversight_report_issue, name="oversight_report_issue"),
    path(
        "oversight/reports/preview/",
        views.oversight_report_preview,
        name="oversight_report_preview",
    ),
    path("oversight/reports/par/", views.oversight_report_par, name="oversight_report_par"),
    path(
        "agencies/<int:unit_pk>/annual-report/",
        views.agency_annual_report,
        name="agency_annual_report",
    ),
    path(
        "agencies/<int:unit_pk>/annual-report/report.docx",
        views.agency_annual_report_docx,
        name="agency_annual_report_docx",
    ),
    path(
        "agencies/<int:unit_pk>/annual-report/report.pdf",
        views.agency_annual_report_pdf,
        name="agency_annual_report_pdf",
    ),
]
