from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "govqms.dossiers"
    verbose_name = _("Dossiers")
    default_auto_field = "django.db.models.BigAutoField"
