from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "govqms.reviews"
    verbose_name = _("Management review")

    def ready(self):
        from govqms.core.audit import register_action_labels
        from govqms.core.sweep import register_daily

        from . import panels, review_inputs, rules, services  # noqa: F401

        register_daily("review_overdue_actions", services.remind_overdue_actions)
        panels.register()
        register_action_labels(
            {
                "review_planned": _("Management review planned"),
                "review_updated": _("Management review changed"),
                "review_held": _("Management review held: inputs frozen"),
                "review_commented": _("Chair's comment on a review input"),
                "review_decision_added": _("Management review decision added"),
                "review_action_updated": _("Management review action updated"),
                "review_minutes_issued": _("Management review minutes issued"),
                "review_nonconformity_raised": _("Nonconformity raised from a review"),
            }
        )
