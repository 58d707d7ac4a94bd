from django.urls import path

from . import api_reports as api

urlpatterns = [
    path("oversight/reports/", api.IssuedReportList.as_view(), name="api-oversight-reports"),
    path(
        "oversight/reports/results/",
        api.YearResults.as_view(),
        name="api-oversight-report-results",
    ),
]
