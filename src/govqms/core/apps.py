from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "govqms.core"
    verbose_name = _("Core")

    def ready(self):
        from .audit import register_action_labels
        from .digest import send_digests
        from .sweep import register_daily

        register_action_labels(
            {"notification_delivery_changed": _("Notification e-mail delivery changed")}
        )
        register_daily("core.notification_digests", send_digests, last=True)
