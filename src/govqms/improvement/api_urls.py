from django.urls import path

from . import api

P = "units/<int:unit_pk>/nonconformities/"

urlpatterns = [
    path(P, api.NonconformityList.as_view(), name="api-nc-list"),
    path(P + "<int:pk>/", api.NonconformityDetail.as_view(), name="api-nc-detail"),
    path(
        P + "<int:pk>/correction/", api.NonconformityCorrection.as_view(), name="api-nc-correction"
    ),
    path(P + "<int:pk>/analysis/", api.NonconformityAnalysis.as_view(), name="api-nc-analysis"),
    path(P + "<int:pk>/actions/", api.NonconformityAddAction.as_view(), name="api-nc-action-add"),
    path(
        P + "<int:pk>/actions/<int:action_pk>/done/",
        api.ActionDone.as_view(),
        name="api-nc-action-done",
    ),
    path(P + "<int:pk>/evaluate/", api.NonconformityEvaluate.as_view(), name="api-nc-evaluate"),
    path(P + "<int:pk>/close/", api.NonconformityClose.as_view(), name="api-nc-close"),
]
