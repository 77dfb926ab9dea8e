from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = _("Governance")

    def ready(self):
        from inpud_portal.models import OutboxMessage
        from inpud_portal.outbox import register_kind

        from . import meeting_mail

        register_kind(OutboxMessage.Kind.MEETING_NOTICE, meeting_mail.HANDLER)
