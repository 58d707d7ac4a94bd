from django.urls import path

from . import api_criteria as api

P = "criteria-sets/"

urlpatterns = [
    path(P, api.CriteriaSetList.as_view(), name="api-criteria-set-list"),
    path(P + "<int:pk>/", api.CriteriaSetDetail.as_view(), name="api-criteria-set-detail"),
    path(
        P + "<int:pk>/publish/", api.CriteriaSetPublish.as_view(), name="api-criteria-set-publish"
    ),
    path(P + "<int:pk>/copy/", api.CriteriaSetCopy.as_view(), name="api-criteria-set-copy"),
]
