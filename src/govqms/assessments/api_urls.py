from django.urls import path

from . import api

C = "campaigns/"
A = "units/<int:unit_pk>/assessments/<int:pk>/"

urlpatterns = [
    path(C, api.CampaignList.as_view(), name="api-campaign-list"),
    path(C + "<int:year>/", api.CampaignDetail.as_view(), name="api-campaign-detail"),
    path(
        C + "<int:year>/assessments/",
        api.CampaignAssessments.as_view(),
        name="api-campaign-assessments",
    ),
    path(A, api.AssessmentDetail.as_view(), name="api-assessment-detail"),
    path(A + "self-scores/", api.SelfScores.as_view(), name="api-assessment-self-scores"),
    path(A + "submit/", api.Submit.as_view(), name="api-assessment-submit"),
    path(A + "appraisal/", api.Appraisal.as_view(), name="api-assessment-appraisal"),
    path(A + "contest/", api.Contest.as_view(), name="api-assessment-contest"),
    path(A + "decision/", api.Decision.as_view(), name="api-assessment-decision"),
]
