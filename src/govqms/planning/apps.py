from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "govqms.planning"
    verbose_name = _("Policy, objectives, risks and yearly plan")
