from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "govqms.planning"
    verbose_name = _("Policy, objectives, risks and yearly plan")

    def ready(self):
        from govqms.core.audit import register_action_labels
        from govqms.core.sweep import register_daily

        from . import panels, review_inputs, services  # noqa: F401

        panels.register()
        register_action_labels({"measure": _("Objective measured")})
        register_daily("planning_linked_objectives", services.sweep_linked_objectives)
        register_daily("planning_plan_reminders", services.sweep_plan_reminders)
        register_daily("planning_risk_reviews", services.sweep_risk_reviews)
