from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicationsConfig(AppConfig):
    name = "publications"
    verbose_name = _("Publications")

    def ready(self):
        from inpud_portal.models import OutboxMessage
        from inpud_portal.outbox import register_kind

        from . import mailing_outbox, subscription_outbox

        register_kind(OutboxMessage.Kind.MAILING, mailing_outbox.HANDLER)
        register_kind(OutboxMessage.Kind.SUBSCRIPTION, subscription_outbox.HANDLER)
