from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from inpud_portal.translated_admin import (
    TranslatedAdmin,
    TranslatedStackedInline,
    in_every_language,
)

from .models import Page, Section
from .services import pages_set_status


class SectionInline(TranslatedStackedInline):
    model = Section
    extra = 0
    fields = ["position", "heading", "body"]


@admin.register(Page)
class PageAdmin(TranslatedAdmin):
    list_display = ["title", "placement", "position", "status", "updated_at"]
    list_filter = ["placement", "status"]
    search_fields = ["slug", *in_every_language("title", "summary")]
    prepopulated_fields = {"slug": ("title_en",)}
    inlines = [SectionInline]
    actions = ["publish", "unpublish"]

    @admin.action(description=_("Publish the selected pages"), permissions=["change"])
    def publish(self, request, queryset):
        changed = pages_set_status(pages=queryset, status=Page.Status.PUBLISHED)
        self.message_user(
            request,
            ngettext("%(count)d page published.", "%(count)d pages published.", changed)
            % {"count": changed},
            messages.SUCCESS,
        )

    @admin.action(
        description=_("Return the selected pages to draft (hidden from the public)"),
        permissions=["change"],
    )
    def unpublish(self, request, queryset):
        changed = pages_set_status(pages=queryset, status=Page.Status.DRAFT)
        self.message_user(
            request,
            ngettext(
                "%(count)d page returned to draft.", "%(count)d pages returned to draft.", changed
            )
            % {"count": changed},
            messages.SUCCESS,
        )
