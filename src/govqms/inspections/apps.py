from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "govqms.inspections"
    verbose_name = _("Inspections")

    def ready(self):
        from . import registrations  # noqa: F401
