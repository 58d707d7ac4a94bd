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
    path(P + "<int:pk>/bands/", api.CriteriaSetBands.as_view(), name="api-criteria-set-bands"),
    path(P + "<int:pk>/import/", api.CriteriaSetImport.as_view(), name="api-criteria-set-import"),
    path(
        P + "<int:pk>/criteria/<int:criterion_pk>/",
        api.CriterionUpdate.as_view(),
        name="api-criterion-update",
    ),
]
