from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "govqms.reviews"
    verbose_name = _("Management review")

    def ready(self):
        from govqms.core.sweep import register_daily

        from . import panels, review_inputs, rules, services  # noqa: F401

        register_daily("review_overdue_actions", services.remind_overdue_actions)
        panels.register()
