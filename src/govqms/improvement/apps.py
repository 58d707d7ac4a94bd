from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImprovementConfig(AppConfig):
    name = "govqms.improvement"
    verbose_name = _("Nonconformity and corrective action")
