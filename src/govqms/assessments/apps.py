from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "govqms.assessments"
    verbose_name = _("Provincial assessment")

    def ready(self):
        # Each part registers its audit labels, sweep jobs and panels in its own module.
        from . import registrations  # noqa: F401
