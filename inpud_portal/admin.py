"""The outbox screen: the secretariat answers "did this person get it?".

Read-only. It shows what a row keeps (kind, template, the ids it renders from,
status, attempts, the last error, when it was sent), never a stored body: a body
awaiting its send may hold a one-time key. No row holds a ballot or a choice; a
reminder row says only that a reminder went to someone who had not yet voted,
which staff can already see. Failed rows can be sent again.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import OutboxMessage
from .outbox import outbox_retry


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "to_email", "language", "status", "attempts", "sent_at"]
    list_filter = ["kind", "status", ("created_at", admin.DateFieldListFilter)]
    # An exact address: the question is about one person, and the table is large.
    search_fields = ["=to_email"]
    search_help_text = _("Search by the recipient's full email address.")
    fields = [
        "kind",
        "priority",
        "to_email",
        "language",
        "template",
        "rendered_from",
        "group",
        "status",
        "attempts",
        "error",
        "created_at",
        "sent_at",
    ]
    readonly_fields = fields
    actions = ["retry"]
    # Counting every row of a large outbox on each page costs more than it tells.
    show_full_result_count = False
    list_per_page = 100

    @admin.display(description=_("rendered from"))
    def rendered_from(self, row: OutboxMessage) -> str:
        ids = {key: value for key, value in row.ref.items() if key != "stored"}
        return ", ".join(f"{key} {value}" for key, value in sorted(ids.items())) or "—"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_retry_permission(self, request) -> bool:
        return request.user.has_perm("inpud_portal.change_outboxmessage")

    @admin.action(description=_("Send the failed messages again"), permissions=["retry"])
    def retry(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        count = outbox_retry(message_ids=ids)
        self.message_user(
            request,
            ngettext(
                "%(count)d failed message is queued again.",
                "%(count)d failed messages are queued again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
        if count < len(ids):
            self.message_user(
                request,
                _("Only failed messages are sent again; the others are left as they are."),
                messages.WARNING,
            )
