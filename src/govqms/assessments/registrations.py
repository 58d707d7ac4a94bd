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

# The yearly campaign (services.py, chase.py).
register_action_labels(
    {
        "campaign_open": _("Assessment campaign opened"),
        "campaign_update": _("Assessment campaign changed"),
        "campaign_close": _("Assessment campaign closed"),
        "assessment_open": _("Yearly assessment opened"),
        "assessment_proposals": _("Proposals recomputed from the records"),
        "assessment_self_score": _("Self-assessment score saved"),
        "assessment_total": _("Assessment total recomputed"),
        "assessment_evidence": _("Evidence attached to a score"),
        "assessment_evidence_remove": _("Evidence removed from a score"),
        "assessment_submit": _("Self-assessment submitted"),
        "assessment_appraise_score": _("Score appraised"),
        "assessment_release": _("Appraisal released"),
        "assessment_contest_score": _("Score contested"),
        "assessment_contest": _("Appraisal contested"),
        "assessment_decide_score": _("Contest decided for a score"),
        "assessment_decide": _("Contest decided"),
        "assessment_finalize": _("Assessment final (not contested)"),
    }
)


def _register_campaign_jobs_and_panels():
    from govqms.core.sweep import register_daily

    from . import chase, panels

    register_daily("assessments_chase_self_assessments", chase.chase_self_assessments)
    register_daily("assessments_chase_appraisals", chase.chase_appraisals)
    register_daily("assessments_finalize_uncontested", chase.finalize_uncontested)
    panels.register()


_register_campaign_jobs_and_panels()
