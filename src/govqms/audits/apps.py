from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditsConfig(AppConfig):
    name = "govqms.audits"
    verbose_name = _("Internal audit")

    def ready(self):
        from govqms.core.audit import register_action_labels

        from . import panels, review_inputs, rules  # noqa: F401

        panels.register()
        register_action_labels(
            {
                "attachment_add": _("Evidence file added"),
                "audit_checklist_generate": _("Audit checklist generated"),
                "audit_checklist_reorder": _("Audit checklist reordered"),
                "audit_invite": _("Auditor of another agency invited"),
            }
        )
