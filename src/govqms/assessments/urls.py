"""Pages of the yearly campaign (the DoST's side under /oversight/, the agency's
under /agencies/<unit_pk>/assessments/)."""

from django.urls import path

from . import views

A = "agencies/<int:unit_pk>/assessments/<int:pk>/"

urlpatterns = [
    path("oversight/campaigns/", views.campaign_list, name="campaign_list"),
    path("oversight/campaigns/new/", views.campaign_open, name="campaign_open"),
    path("oversight/campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path(
        "oversight/campaigns/<int:pk>/export.xlsx",
        views.campaign_export,
        name="campaign_export",
    ),
    path("oversight/campaigns/<int:pk>/edit/", views.campaign_edit, name="campaign_edit"),
    path("oversight/campaigns/<int:pk>/close/", views.campaign_close, name="campaign_close"),
    path(
        "oversight/assessments/<int:pk>/appraise/",
        views.assessment_appraise,
        name="assessment_appraise",
    ),
    path(
        "oversight/assessments/<int:pk>/release/",
        views.assessment_release,
        name="assessment_release",
    ),
    path(
        "oversight/assessments/<int:pk>/decide/",
        views.assessment_decide,
        name="assessment_decide",
    ),
    path(
        "agencies/<int:unit_pk>/assessments/",
        views.agency_assessments,
        name="agency_assessments",
    ),
    path(A, views.assessment_detail, name="assessment_detail"),
    path(A + "refresh/", views.assessment_refresh, name="assessment_refresh"),
    path(A + "submit/", views.assessment_submit, name="assessment_submit"),
    path(A + "contest/", views.assessment_contest, name="assessment_contest"),
    path(
        A + "scores/<int:score_pk>/evidence/",
        views.assessment_evidence_add,
        name="assessment_evidence_add",
    ),
    path(
        A + "evidence/<int:evidence_pk>/remove/",
        views.assessment_evidence_remove,
        name="assessment_evidence_remove",
    ),
    path(
        A + "evidence/<int:evidence_pk>/file/",
        views.assessment_evidence_file,
        name="assessment_evidence_file",
    ),
]
