from django.contrib import admin

from inpud_portal.translated_admin import AccessibleTabularInline, TranslatedAdmin

from .models import Engagement, EngagementDocument, Forum


@admin.register(Forum)
class ForumAdmin(TranslatedAdmin):
    list_display = ["name", "acronym"]
    search_fields = ["name", "acronym"]


class DocumentInline(AccessibleTabularInline):
    model = EngagementDocument
    extra = 0


@admin.register(Engagement)
class EngagementAdmin(admin.ModelAdmin):
    # The secretariat's views by body, region and objective are these filters.
    list_display = ["forum", "level", "region", "starts_on", "ends_on", "objective", "visibility"]
    list_filter = ["forum", "level", "region", "objective", "visibility"]
    list_select_related = ["forum", "region", "objective"]
    date_hierarchy = "starts_on"
    filter_horizontal = ["representatives"]
    readonly_fields = ["outcome_recorded_at", "outcome_reminder_sent_at", "recorded_by"]
    inlines = [DocumentInline]
