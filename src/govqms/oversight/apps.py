from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "govqms.oversight"
    verbose_name = _("DoST oversight")

    def ready(self):
        from govqms.core.audit import register_action_labels

        from . import panels, report_services

        panels.register()
        report_services.register_labels()
        register_action_labels({"announcement_recorded": _("Conformity announcement recorded")})
