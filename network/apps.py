from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    """The network at work: the Board consulting member networks."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "network"
    verbose_name = _("The network at work")

    def ready(self):
        from inpud_portal.models import OutboxMessage
        from inpud_portal.outbox import register_kind

        from .consultation_mail import HANDLER

        register_kind(OutboxMessage.Kind.CONSULTATION_NOTICE, HANDLER)
