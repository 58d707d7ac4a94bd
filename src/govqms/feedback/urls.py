from django.urls import path

from . import views

urlpatterns = [
    path("public/survey/<str:code>/", views.public_survey, name="public_survey"),
    path(
        "public/survey/<str:code>/thanks/",
        views.public_survey_thanks,
        name="public_survey_thanks",
    ),
    path(
        "public/survey/<str:code>/qr.svg", views.public_survey_qr_svg, name="public_survey_qr_svg"
    ),
    path(
        "public/survey/<str:code>/qr.png", views.public_survey_qr_png, name="public_survey_qr_png"
    ),
    path("public/feedback/<str:code>/", views.public_complaint, name="public_complaint"),
    path(
        "public/feedback/<str:code>/thanks/",
        views.public_complaint_thanks,
        name="public_complaint_thanks",
    ),
    path("agencies/<int:unit_pk>/satisfaction/", views.satisfaction, name="satisfaction"),
    path(
        "agencies/<int:unit_pk>/satisfaction/responses/",
        views.responses,
        name="survey_responses",
    ),
    path(
        "agencies/<int:unit_pk>/satisfaction/settings/",
        views.survey_settings,
        name="survey_settings",
    ),
    path("agencies/<int:unit_pk>/satisfaction/poster/", views.survey_poster, name="survey_poster"),
    path("agencies/<int:unit_pk>/complaints/", views.complaint_list, name="complaint_list"),
    path(
        "agencies/<int:unit_pk>/complaints/complaints.xlsx",
        views.complaint_export,
        name="complaint_export",
    ),
    path("agencies/<int:unit_pk>/complaints/new/", views.complaint_create, name="complaint_create"),
    path("complaints/<int:pk>/", views.complaint_detail, name="complaint_detail"),
    path("complaints/<int:pk>/edit/", views.complaint_edit, name="complaint_edit"),
    path("complaints/<int:pk>/answer/", views.complaint_answer, name="complaint_answer"),
    path("complaints/<int:pk>/status/", views.complaint_status, name="complaint_status"),
    path(
        "complaints/<int:pk>/nonconformity/",
        views.complaint_nonconformity,
        name="complaint_nonconformity",
    ),
    path("oversight/satisfaction/", views.oversight_satisfaction, name="oversight_satisfaction"),
]
