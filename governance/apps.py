from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = _("Governance")

    def ready(self):
        from inpud_portal.models import OutboxMessage
        from inpud_portal.notices import templated_kind
        from inpud_portal.outbox import register_kind

        from .services.meeting_notices import meeting_context
        from .services.notices import election_context, nomination_context

        register_kind(OutboxMessage.Kind.ELECTION_NOTICE, templated_kind(election_context))
        register_kind(OutboxMessage.Kind.NOMINATION_NOTICE, templated_kind(nomination_context))
        register_kind(OutboxMessage.Kind.MEETING_NOTICE, templated_kind(meeting_context))
