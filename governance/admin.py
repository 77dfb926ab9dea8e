from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline

from inpud_portal.translated_admin import in_every_language

from .models import AuditEntry, BoardSeat, Candidate, Directorship, Election
from .services import elections as election_services

TRANSITION_LABELS = {
    "open-nominations": _("Open nominations"),
    "close-nominations": _("Close nominations"),
    "open-voting": _("Open voting (freezes the electoral roll)"),
    "close-voting": _("Close voting"),
    "tally": _("Count the votes"),
    "certify": _("Certify the result (the winner takes the seat)"),
}


def _transition_action(transition: str):
    def action(modeladmin, request, queryset):
        if request.POST.get("confirm") != "yes":
            return TemplateResponse(
                request,
                "admin/governance/election/confirm_transition.html",
                {
                    **modeladmin.admin_site.each_context(request),
                    "title": TRANSITION_LABELS[transition],
                    "elections": queryset,
                    "action_name": request.POST["action"],
                    "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
                    "opts": modeladmin.model._meta,
                },
            )
        for election in queryset:
            try:
                election_services.election_transition(
                    election=election, transition=transition, actor=request.user
                )
            except election_services.ElectionError as error:
                modeladmin.message_user(
                    request, f"{election}: {' '.join(error.messages)}", messages.ERROR
                )
            else:
                modeladmin.message_user(
                    request, f"{election}: {TRANSITION_LABELS[transition]} ✓", messages.SUCCESS
                )
        return None

    action.__name__ = f"transition_{transition.replace('-', '_')}"
    return admin.action(description=TRANSITION_LABELS[transition], permissions=["change"])(action)


class CandidateInline(TranslationTabularInline):
    model = Candidate
    fk_name = "election"
    extra = 0
    fields = ["person", "nominated_by", "status", "statement"]
    readonly_fields = ["person", "nominated_by", "status"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        # Nominations go through the member area, where eligibility is checked.
        return False


@admin.register(Election)
class ElectionAdmin(TabbedTranslationAdmin):
    list_display = ["title", "seat", "method", "status", "voting_open_at", "voting_close_at"]
    list_filter = ["status", "method", "network"]
    search_fields = in_every_language("title")
    inlines = [CandidateInline]
    actions = [_transition_action(t) for t in election_services.TRANSITIONS]
    readonly_fields = [
        "status",
        "tie_seed",
        "roll_size",
        "result_table",
        "ballots_sha256",
        "certified_at",
    ]

    # Once nominations are open, what the election is and who votes cannot change.
    FROZEN = ["network", "seat", "method", "seats", "electorate", "quorum_percent"]
    SCHEDULE = [
        "nominations_open_at",
        "nominations_close_at",
        "voting_open_at",
        "voting_close_at",
        "term_starts_on",
        "term_ends_on",
    ]

    def get_readonly_fields(self, request, obj=None):
        fields = list(self.readonly_fields)
        if obj and obj.status != Election.Status.DRAFT:
            fields += self.FROZEN
        if obj and obj.status not in (Election.Status.DRAFT, Election.Status.NOMINATIONS_OPEN):
            fields += self.SCHEDULE
        return fields

    @admin.display(description=_("voters on the roll"))
    def roll_size(self, election):
        return election.roll.count() if election.pk else 0

    @admin.display(description=_("result"))
    def result_table(self, election):
        # Nothing is counted, and so nothing shown, before the votes are tallied.
        if not election.result:
            return "–"
        names = {
            str(c.pk): c.person.display_name for c in election.candidates.select_related("person")
        }
        rows = []
        for round_ in election.result["rounds"]:
            counts = ", ".join(
                f"{names.get(str(pk), pk)}: {count['approx']:.2f}"
                for pk, count in round_["counts"].items()
            )
            rows.append((round_["number"], counts))
        elected = ", ".join(names.get(str(pk), str(pk)) for pk in election.result["elected"])
        return format_html_join("", "<p>{}</p>", [(f"Elected: {elected}",)]) + format_html_join(
            "", "<p>Round {}: {}</p>", rows
        )


@admin.register(BoardSeat)
class BoardSeatAdmin(admin.ModelAdmin):
    list_display = ["__str__", "network", "position"]


@admin.register(Directorship)
class DirectorshipAdmin(admin.ModelAdmin):
    list_display = ["person", "seat", "starts_on", "ends_on", "origin", "officer"]
    list_filter = ["seat", "origin", "officer"]
    search_fields = ["person__display_name"]
    autocomplete_fields = ["person"]
    raw_id_fields = ["election"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit trail, read only: nobody adds, changes or deletes entries here."""

    list_display = ["created_at", "actor", "action", "summary"]
    list_filter = ["action", "object_type"]
    search_fields = ["summary", "object_id"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
