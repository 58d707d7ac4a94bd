from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "govqms.dossiers"
    verbose_name = _("Dossiers")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from govqms.core.sweep import register_daily

        from .sweep import mark_overdue

        register_daily("dossiers.mark_overdue", mark_overdue)
