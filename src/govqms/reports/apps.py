from django.apps import AppConfig


class ReportsConfig(AppConfig):
    # No models: the app exists for its helpers and its print templates
    # (templates/reports/), found once it is in INSTALLED_APPS.
    name = "govqms.reports"
    label = "reports"
