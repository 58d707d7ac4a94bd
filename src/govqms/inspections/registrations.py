"""Audit labels, daily jobs and home panels of the inspections app (loaded by
AppConfig.ready)."""

from django.utils.translation import gettext_lazy as _

from govqms.core.audit import register_action_labels
from govqms.core.sweep import register_daily

from . import panels, services
from . import rules as _rules  # noqa: F401  (registers the inspections perms)

register_action_labels(
    {
        "inspection_plan_create": _("Inspection plan created"),
        "inspection_plan_approve": _("Inspection plan approved"),
        "inspection_mode": _("Inspection mode changed"),
        "inspection_decision": _("Inspection decision issued"),
        "inspection_minutes": _("Inspection minutes recorded"),
        "inspection_finding": _("Inspection finding recorded"),
        "inspection_report": _("Corrective report submitted"),
        "inspection_close": _("Inspection closed"),
    }
)
register_daily("inspections_corrective_report_chase", services.chase)
panels.register()
