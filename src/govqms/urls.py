from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

# The admin signs in through govqms's own sign-in (lock-out and two-factor included).
admin.site.login = lambda request, extra_context=None: redirect_to_login(request.get_full_path())

urlpatterns = [
    path("", include("govqms.organizations.urls")),
    path("", include("govqms.documents.urls")),
    path("", include("govqms.core.urls_calendar")),
    path("", include("govqms.core.urls_notifications")),
    path("", include("govqms.procedures.urls")),
    path("", include("govqms.dossiers.urls")),
    path("", include("govqms.kpis.urls")),
    path("", include("govqms.planning.urls")),
    path("", include("govqms.improvement.urls")),
    path("", include("govqms.audits.urls")),
    path("", include("govqms.reviews.urls")),
    path("", include("govqms.feedback.urls")),
    path("", include("govqms.oversight.urls")),
    path("", include("govqms.oversight.urls_dashboard")),
    path("", include("govqms.oversight.urls_reports")),
    path("", include("govqms.assessments.urls_criteria")),
    path("", include("govqms.assessments.urls")),
    path("", include("govqms.inspections.urls")),
    path("accounts/", include("govqms.organizations.auth_urls")),
    path("public/", include("govqms.portal.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("govqms.organizations.api_urls")),
    path("api/", include("govqms.documents.api_urls")),
    path("api/", include("govqms.procedures.api_urls")),
    path("api/", include("govqms.dossiers.api_urls")),
    path("api/", include("govqms.planning.api_urls")),
    path("api/", include("govqms.improvement.api_urls")),
    path("api/", include("govqms.audits.api_urls")),
    path("api/", include("govqms.reviews.api_urls")),
    path("api/", include("govqms.feedback.api_urls")),
    path("api/", include("govqms.oversight.api_urls")),
    path("api/", include("govqms.oversight.api_urls_reports")),
    path("api/", include("govqms.assessments.api_urls_criteria")),
    path("api/", include("govqms.assessments.api_urls")),
    path("api/", include("govqms.inspections.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
]
