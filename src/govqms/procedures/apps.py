from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProceduresConfig(AppConfig):
    name = "govqms.procedures"
    verbose_name = _("Administrative procedures")

    def ready(self):
        from . import panels, rules  # noqa: F401  (rules registers the permissions)

        panels.register()
