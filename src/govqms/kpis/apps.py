from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KpisConfig(AppConfig):
    name = "govqms.kpis"
    verbose_name = _("Service KPIs")

    def ready(self):
        from . import panels

        panels.register()
