from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members")

    def ready(self):
        from inpud_portal.models import OutboxMessage
        from inpud_portal.notices import templated_kind
        from inpud_portal.outbox import register_kind

        from .notifications import members_context

        handler = templated_kind(members_context)
        register_kind(OutboxMessage.Kind.INVITATION, handler)
        register_kind(OutboxMessage.Kind.ACCOUNT, handler)
