from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "govqms.feedback"
    verbose_name = _("Satisfaction and complaints")

    def ready(self):
        from govqms.core.sweep import register_daily

        from . import panels, review_inputs, rules, services  # noqa: F401

        panels.register()
        register_daily("feedback_complaints_overdue", services.notify_overdue)
        register_daily("feedback_purge_tokens", services.purge_tokens)
