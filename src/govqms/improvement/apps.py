from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImprovementConfig(AppConfig):
    name = "govqms.improvement"
    verbose_name = _("Nonconformity and corrective action")

    def ready(self):
        from govqms.core.sweep import register_daily

        from . import panels, review_inputs, rules, services  # noqa: F401

        panels.register()
        register_daily("improvement_action_escalation", services.escalate_actions)
