from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImprovementConfig(AppConfig):
    name = "govqms.improvement"
    verbose_name = _("Nonconformity and corrective action")

    def ready(self):
        from govqms.core.audit import register_action_labels
        from govqms.core.sweep import register_daily

        from . import panels, review_inputs, rules, services  # noqa: F401

        panels.register()
        register_daily("improvement_action_escalation", services.escalate_actions)
        register_action_labels(
            {
                "nc_open": _("Nonconformity opened"),
                "nc_update": _("Nonconformity changed"),
                "nc_correction": _("Correction recorded"),
                "nc_analysis": _("Root cause analysed"),
                "nc_action_add": _("Corrective action added"),
                "nc_action_done": _("Corrective action done"),
                "nc_evaluate": _("Effectiveness evaluated"),
                "nc_close": _("Nonconformity closed"),
            }
        )
