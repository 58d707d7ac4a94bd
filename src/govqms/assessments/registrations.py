"""Audit labels, daily jobs and home panels of the assessments app (loaded by
AppConfig.ready). The campaign part (campaign_setup) registers its own jobs and panels."""

from django.utils.translation import gettext_lazy as _

from govqms.core.audit import register_action_labels

register_action_labels(
    {
        "criteria_set_create": _("Criteria set created"),
        "criteria_set_copy": _("Criteria set copied from last year"),
        "criteria_set_update": _("Criteria set changed"),
        "criteria_set_import": _("Criteria set imported"),
        "criteria_set_publish": _("Criteria set published"),
        "criteria_group_save": _("Criteria group saved"),
        "criteria_group_delete": _("Criteria group deleted"),
        "criterion_save": _("Criterion saved"),
        "criterion_delete": _("Criterion deleted"),
        "rating_bands_save": _("Rating bands saved"),
    }
)
