from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "govqms.feedback"
    verbose_name = _("Satisfaction and complaints")

    def ready(self):
        from govqms.core.audit import register_action_labels
        from govqms.core.sweep import register_daily

        from . import panels, review_inputs, rules, services  # noqa: F401

        panels.register()
        register_daily("feedback_complaints_overdue", services.notify_overdue)
        register_daily("feedback_purge_tokens", services.purge_tokens)
        register_action_labels(
            {
                "complaint_received": _("Complaint received"),
                "complaint_updated": _("Complaint changed"),
                "complaint_status": _("Complaint status changed"),
                "complaint_answered": _("Complaint answered"),
                "complaint_deleted": _("Complaint deleted"),
                "complaint_nonconformity": _("Nonconformity raised from a complaint"),
                "complaint_working_days_set": _("Complaint time limit changed"),
                "survey_questions_set": _("Survey questions changed"),
                "survey_response_received": _("Survey response received"),
            }
        )
