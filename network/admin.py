from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from inpud_portal.translated_admin import (
    AccessibleTabularInline,
    TranslatedAdmin,
    TranslatedStackedInline,
)

from .models import Consultation, ConsultationEvent, Question, Response
from .services import consultations as services
from .services.errors import ConsultationError


class QuestionInline(TranslatedStackedInline):
    model = Question
    extra = 0
    fields = ["position", "kind", "text", "help_text", "options", "required"]

    # Answers store the position of their option: once networks may answer, only
    # translations can change, never the questions or the order of the options.
    def get_readonly_fields(self, request, obj=None):
        if obj is None or obj.status == Consultation.Status.DRAFT:
            return []
        return ["position", "kind", "text_en", "help_text_en", "options_en", "required"]

    def has_add_permission(self, request, obj=None):
        return obj is None or obj.status == Consultation.Status.DRAFT

    def has_delete_permission(self, request, obj=None):
        return obj is None or obj.status == Consultation.Status.DRAFT


class ResponseInline(AccessibleTabularInline):
    """Who answered and when; the answers themselves are on the results page."""

    model = Response
    extra = 0
    can_delete = False
    fields = ["network", "status", "updated_by", "updated_at", "submitted_by", "submitted_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class EventInline(AccessibleTabularInline):
    model = ConsultationEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "actor", "action", "summary"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


def _step(name, call, done_message):
    def action(modeladmin, request, queryset):
        done = 0
        for consultation in queryset:
            try:
                call(consultation=consultation, actor=request.user)
            except ConsultationError as error:
                modeladmin.message_user(request, f"{consultation}: {error}", level=messages.ERROR)
            else:
                done += 1
        if done:
            modeladmin.message_user(request, done_message(done), level=messages.SUCCESS)

    action.__name__ = name
    return action


schedule = admin.action(description=_("Schedule the selected drafts"), permissions=["change"])(
    _step(
        "schedule",
        services.consultation_schedule,
        lambda n: (
            ngettext(
                "%(count)d consultation scheduled; it opens at its opening time.",
                "%(count)d consultations scheduled; they open at their opening times.",
                n,
            )
            % {"count": n}
        ),
    )
)
publish = admin.action(description=_("Publish the summary"), permissions=["change"])(
    _step(
        "publish",
        services.summary_publish,
        lambda n: (
            ngettext(
                "%(count)d summary published on the public site.",
                "%(count)d summaries published on the public site.",
                n,
            )
            % {"count": n}
        ),
    )
)
withdraw = admin.action(description=_("Withdraw the published summary"), permissions=["change"])(
    _step(
        "withdraw",
        services.summary_withdraw,
        lambda n: (
            ngettext(
                "%(count)d summary withdrawn from the public site.",
                "%(count)d summaries withdrawn from the public site.",
                n,
            )
            % {"count": n}
        ),
    )
)


@admin.register(Consultation)
class ConsultationAdmin(TranslatedAdmin):
    list_display = ["title", "status", "opens_at", "closes_at", "summary_published_at"]
    list_filter = ["status"]
    search_fields = ["title"]
    filter_horizontal = ["networks"]
    readonly_fields = ["status", "summary_published_at", "reminder_sent_at", "created_by"]
    fieldsets = [
        (None, {"fields": ["title", "purpose", "networks", "responders"]}),
        (_("Calendar"), {"fields": ["opens_at", "closes_at", "status", "reminder_sent_at"]}),
        (
            _("Summary"),
            {"fields": ["summary_planned", "summary", "summary_published_at", "created_by"]},
        ),
    ]
    inlines = [QuestionInline, ResponseInline, EventInline]
    actions = [schedule, publish, withdraw]

    def get_inlines(self, request, obj):
        return [QuestionInline] if obj is None else self.inlines

    def get_readonly_fields(self, request, obj=None):
        fixed = list(self.readonly_fields)
        if obj is not None and obj.status != Consultation.Status.DRAFT:
            # What the networks were told when it opened stays as it was.
            fixed += ["networks", "responders", "summary_planned", "opens_at"]
        return fixed

    def save_model(self, request, obj, form, change):
        if not change and obj.created_by_id is None:
            obj.created_by = getattr(request.user, "person", None)
        super().save_model(request, obj, form, change)
