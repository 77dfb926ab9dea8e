"""The outbox's lines on the secretariat's home: failed deliveries."""

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import ngettext

from .models import OutboxMessage
from .needs_action import ActionLine


def outbox_lines() -> list[ActionLine]:
    counts = dict(
        OutboxMessage.objects.filter(
            status__in=[OutboxMessage.Status.FAILED, OutboxMessage.Status.UNCERTAIN]
        )
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    url = reverse("admin:inpud_portal_outboxmessage_changelist")
    lines = []
    if failed := counts.get(OutboxMessage.Status.FAILED):
        lines.append(
            ActionLine(
                ngettext(
                    "%(count)d email failed: check the address or send it again.",
                    "%(count)d emails failed: check the addresses or send them again.",
                    failed,
                )
                % {"count": failed},
                f"{url}?status__exact={OutboxMessage.Status.FAILED}",
            )
        )
    if uncertain := counts.get(OutboxMessage.Status.UNCERTAIN):
        lines.append(
            ActionLine(
                ngettext(
                    "%(count)d email may or may not have gone out (not resent).",
                    "%(count)d emails may or may not have gone out (not resent).",
                    uncertain,
                )
                % {"count": uncertain},
                f"{url}?status__exact={OutboxMessage.Status.UNCERTAIN}",
            )
        )
    return lines
