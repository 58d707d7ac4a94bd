from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditsConfig(AppConfig):
    name = "govqms.audits"
    verbose_name = _("Internal audit")

    def ready(self):
        from . import panels, review_inputs, rules  # noqa: F401

        panels.register()
