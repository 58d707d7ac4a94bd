from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "govqms.documents"
    verbose_name = _("Documented information")

    def ready(self):
        from . import panels_awareness

        panels_awareness.register()
        from . import panels_legal

        panels_legal.register()
        from . import panels_framework

        panels_framework.register()
