from django.urls import path

from . import views

urlpatterns = [
    path("agencies/<int:unit_pk>/audits/", views.plan_list, name="audit_plan_list"),
    path("agencies/<int:unit_pk>/audits/new/", views.plan_create, name="audit_plan_create"),
    path(
        "agencies/<int:unit_pk>/audits/programme/<int:year>/",
        views.programme_detail,
        name="audit_programme",
    ),
    path(
        "agencies/<int:unit_pk>/audits/programme/<int:year>/edit/",
        views.programme_edit,
        name="audit_programme_edit",
    ),
    path("agencies/<int:unit_pk>/auditors/", views.auditor_list, name="audit_auditors"),
    path("agencies/<int:unit_pk>/auditors/new/", views.auditor_add, name="audit_auditor_add"),
    path("auditors/<int:pk>/edit/", views.auditor_edit, name="audit_auditor_edit"),
    path(
        "auditors/<int:pk>/certificate/",
        views.auditor_certificate,
        name="audit_auditor_certificate",
    ),
    path("audits/<int:pk>/", views.plan_detail, name="audit_plan_detail"),
    path("audits/<int:pk>/edit/", views.plan_edit, name="audit_plan_edit"),
    path("audits/<int:pk>/status/", views.plan_status, name="audit_plan_status"),
    path("audits/<int:pk>/report-text/", views.plan_report_text, name="audit_plan_report_text"),
    path("audits/<int:pk>/invite/", views.plan_invite, name="audit_plan_invite"),
    path("audits/<int:pk>/report.docx", views.report_docx, name="audit_report_docx"),
    path("audits/<int:pk>/report.pdf", views.report_pdf, name="audit_report_pdf"),
    path(
        "audits/<int:pk>/checklist/generate/",
        views.checklist_generate,
        name="audit_checklist_generate",
    ),
    path("audits/<int:pk>/checklist/add/", views.item_add, name="audit_item_add"),
    path("audits/<int:pk>/findings/new/", views.finding_add, name="audit_finding_add"),
    path("audit-questions/<int:pk>/", views.item_edit, name="audit_item"),
    path("audit-questions/<int:pk>/delete/", views.item_delete, name="audit_item_delete"),
    path("audit-questions/<int:pk>/move/", views.item_move, name="audit_item_move"),
    path("audit-questions/<int:pk>/evidence/", views.evidence_add, name="audit_evidence_add"),
    path("audit-evidence/<int:pk>/", views.evidence_download, name="audit_evidence"),
]
