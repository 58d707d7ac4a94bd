from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "govqms.oversight"
    verbose_name = _("DoST oversight")

    def ready(self):
        from . import panels

        panels.register()
