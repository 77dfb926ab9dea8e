from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from inpud_portal.translated_admin import (
    AccessibleModelAdmin,
    AccessibleTabularInline,
    TranslatedAdmin,
    TranslatedTabularInline,
    in_every_language,
)

from .models import (
    KPI,
    AgendaItem,
    Attendance,
    AuditEntry,
    BoardSeat,
    Candidate,
    Directorship,
    Election,
    ElectionTrustee,
    Invitation,
    KPIValue,
    Meeting,
    Minutes,
    Motion,
    MotionVote,
    Paper,
    StrategicObjective,
    StrategicPlan,
    WorkPlan,
    WorkPlanActivity,
)
from .selectors import board_on, governance_warnings
from .services import board as board_services
from .services import elections as election_services
from .services import meetings as meeting_services
from .services.audit import audit_record

# What an election action did, in a sentence.
TRANSITION_DONE = {
    "open-nominations": _("%(election)s: nominations are open; the electorate is being told."),
    "close-nominations": _("%(election)s: nominations are closed."),
    "open-voting": _(
        "%(election)s: voting is open and the electoral roll is frozen; voters are being told."
    ),
    "close-voting": _(
        "%(election)s: voting is closed; the trustees now open the ballot box in the "
        "member area, and the votes are counted as it opens."
    ),
    "tally": _("%(election)s: the votes are counted; check the result, then certify it."),
    "certify": _("%(election)s: the result is certified and the winner takes the seat."),
}

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
                    request, TRANSITION_DONE[transition] % {"election": election}, messages.SUCCESS
                )
        return None

    action.__name__ = f"transition_{transition.replace('-', '_')}"
    return admin.action(description=TRANSITION_LABELS[transition], permissions=["change"])(action)


class CandidateInline(TranslatedTabularInline):
    model = Candidate
    fk_name = "election"
    extra = 0
    fields = ["person", "nominated_by", "status", "statement"]
    readonly_fields = ["person", "nominated_by", "status"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        # Nominations go through the member area, where eligibility is checked.
        return False

    def get_readonly_fields(self, request, obj=None):
        # Statements are translated until voting opens, then fixed.
        if obj is not None and obj.voting_has_opened:
            return [*self.readonly_fields, *in_every_language("statement")]
        return self.readonly_fields


class TrusteeInline(admin.TabularInline):
    """Who holds the ballot box's key shares, and what each has done; never a key or
    a share. Trustees are named until voting opens; then the shares are made."""

    model = ElectionTrustee
    extra = 0
    fields = ["person", "key_collected_at", "share_entered_at"]
    readonly_fields = ["key_collected_at", "share_entered_at"]
    autocomplete_fields = ["person"]

    def _open(self, obj):
        return obj is None or not obj.voting_has_opened

    def has_add_permission(self, request, obj=None):
        return self._open(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._open(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._open(obj) and super().has_delete_permission(request, obj)


@admin.register(Election)
class ElectionAdmin(TranslatedAdmin):
    list_display = ["title", "seat", "method", "status", "voting_open_at", "voting_close_at"]
    list_filter = ["status", "method", "network"]
    search_fields = in_every_language("title")
    inlines = [CandidateInline, TrusteeInline]
    actions = [_transition_action(t) for t in election_services.TRANSITIONS]
    readonly_fields = [
        "status",
        "box_opened_at",
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
        if obj and obj.voting_has_opened:
            fields.append("trustee_threshold")
        return fields

    def has_delete_permission(self, request, obj=None):
        # Once published, an election is part of the record: it cannot be deleted.
        return obj is None or obj.status == Election.Status.DRAFT

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
        if not election.result["valid_ballots"]:
            heading = _("No valid ballot was cast: no one is elected.")
        else:
            heading = _("Elected: %(names)s") % {"names": elected}
        round_label = _("Round")
        return format_html_join("", "<p>{}</p>", [(heading,)]) + format_html_join(
            "", "<p>{} {}: {}</p>", ((round_label, n, counts) for n, counts in rows)
        )


@admin.register(BoardSeat)
class BoardSeatAdmin(AccessibleModelAdmin):
    list_display = ["__str__", "network", "position"]


@admin.register(Directorship)
class DirectorshipAdmin(AccessibleModelAdmin):
    list_display = ["person", "seat", "starts_on", "ends_on", "origin", "officer"]
    list_filter = ["seat", "origin", "officer"]
    search_fields = ["person__display_name"]
    autocomplete_fields = ["person"]
    raw_id_fields = ["election"]

    # What a certified election decided: who holds which seat from when.
    ELECTED = ["seat", "person", "starts_on", "origin", "election"]

    def get_readonly_fields(self, request, obj=None):
        return self.ELECTED if obj is not None and obj.election_id else []

    def has_delete_permission(self, request, obj=None):
        return obj is None or not obj.election_id

    def save_model(self, request, obj, form, change):
        board_services.directorship_record(directorship=obj, actor=request.user)

    def delete_model(self, request, obj):
        board_services.directorship_delete(directorship=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for directorship in queryset:
            board_services.directorship_delete(directorship=directorship, actor=request.user)


@admin.register(AuditEntry)
class AuditEntryAdmin(AccessibleModelAdmin):
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


class AgendaItemInline(TranslatedTabularInline):
    model = AgendaItem
    extra = 0


class InvitationInline(AccessibleTabularInline):
    model = Invitation
    extra = 0
    autocomplete_fields = ["person"]
    readonly_fields = ["answer"]


class AttendanceInline(AccessibleTabularInline):
    model = Attendance
    extra = 0
    autocomplete_fields = ["person", "proxy"]


class MotionInline(TranslatedTabularInline):
    """Motions are listed here and edited on their own page, where votes are run."""

    model = Motion
    extra = 0
    fields = ["kind", "text", "proposer", "status"]
    readonly_fields = ["kind", "text", "proposer", "status"]
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Meeting)
class MeetingAdmin(TranslatedAdmin):
    list_display = ["title", "kind", "starts_at", "city", "status", "is_public"]
    list_filter = ["kind", "status", "is_public"]
    search_fields = in_every_language("title")
    date_hierarchy = "starts_at"
    inlines = [AgendaItemInline, InvitationInline, AttendanceInline, MotionInline]
    actions = ["invite_board"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "status" in form.changed_data:
            audit_record(
                actor=request.user,
                action="meeting.status",
                obj=obj,
                summary=f"{obj}: {obj.get_status_display()}",
            )

    change_list_template = "admin/governance/meeting/change_list.html"

    def changelist_view(self, request, extra_context=None):
        # Shown on the page, not as messages: a message would be repeated after
        # every action taken on the list.
        extra_context = {**(extra_context or {}), "governance_warnings": governance_warnings()}
        return super().changelist_view(request, extra_context)

    @admin.action(description=_("Invite the current board"), permissions=["change"])
    def invite_board(self, request, queryset):
        for meeting in queryset:
            directors = [d.person for _seat, d in board_on(on=meeting.starts_at.date()) if d]
            sent = meeting_services.invitations_send(
                meeting=meeting, people=directors, actor=request.user
            )
            already = len(directors) - sent.invited
            message = ngettext(
                "%(meeting)s: invited %(count)d director of the current board;",
                "%(meeting)s: invited %(count)d directors of the current board;",
                sent.invited,
            ) % {"meeting": meeting, "count": sent.invited}
            message += " " + ngettext(
                "%(count)d email queued.", "%(count)d emails queued.", sent.emailed
            ) % {"count": sent.emailed}
            if already:
                message += " " + ngettext(
                    "%(count)d director was invited before.",
                    "%(count)d directors were invited before.",
                    already,
                ) % {"count": already}
            self.message_user(request, message, messages.SUCCESS)


@admin.register(Paper)
class PaperAdmin(AccessibleModelAdmin):
    list_display = ["title", "agenda_item"]
    list_select_related = ["agenda_item__meeting"]
    search_fields = [
        "title",
        *in_every_language("agenda_item__title", "agenda_item__meeting__title"),
    ]
    autocomplete_fields = ["agenda_item"]


@admin.register(AgendaItem)
class AgendaItemAdmin(TranslatedAdmin):
    list_display = ["title", "meeting", "position"]
    list_select_related = ["meeting"]
    # The paper form's autocomplete finds an item by its meeting too.
    search_fields = in_every_language("title", "meeting__title")
    autocomplete_fields = ["meeting"]

    def get_queryset(self, request):
        # Each item is named with its meeting (AgendaItem.__str__).
        return super().get_queryset(request).select_related("meeting")


def _motion_action(name, description, done, call):
    def action(modeladmin, request, queryset):
        for motion in queryset:
            try:
                call(motion, request.user)
            except ValidationError as error:
                modeladmin.message_user(
                    request, f"{motion}: {' '.join(error.messages)}", messages.ERROR
                )
            else:
                modeladmin.message_user(request, done % {"motion": motion}, messages.SUCCESS)

    action.__name__ = name
    return admin.action(description=description, permissions=["change"])(action)


class MotionVoteInline(AccessibleTabularInline):
    """Recorded votes are added here and go through the same checks as anywhere:
    only people in the attendance snapshot, once each, while the vote is open."""

    model = MotionVote
    extra = 1
    autocomplete_fields = ["person"]
    can_delete = False


@admin.register(Motion)
class MotionAdmin(TranslatedAdmin):
    """Votes are opened (attendance snapshot, quorum) and closed by action; the
    counts of a show-of-hands vote are typed in before closing."""

    list_display = [
        "__str__",
        "meeting",
        "kind",
        "status",
        "votes_for",
        "votes_against",
        "abstentions",
    ]
    list_filter = ["status", "kind"]
    search_fields = in_every_language("text")
    autocomplete_fields = ["meeting", "proposer", "seconder"]
    readonly_fields = [
        "status",
        "attendance_snapshot",
        "quorum_required",
        "quorum_met",
        "minutes_sha256",
    ]
    inlines = [MotionVoteInline]

    def get_readonly_fields(self, request, obj=None):
        if obj is None or obj.status == Motion.Status.PROPOSED:
            return self.readonly_fields
        editable = []
        if obj.status == Motion.Status.VOTING and not obj.recorded:
            # A show of hands: the chair's count is typed in before closing.
            editable = ["votes_for", "votes_against", "abstentions"]
        frozen = [f.name for f in Motion._meta.fields if f.name not in editable and f.name != "id"]
        return [*frozen, *in_every_language("text")]

    def has_delete_permission(self, request, obj=None):
        return obj is None or obj.status == Motion.Status.PROPOSED

    def save_formset(self, request, form, formset, change):
        if formset.model is not MotionVote:
            return super().save_formset(request, form, formset, change)
        for vote_form in formset.forms:
            data = vote_form.cleaned_data
            if vote_form.instance.pk or not data:
                continue
            try:
                meeting_services.motion_record_vote(
                    motion=form.instance, person=data["person"], vote=data["vote"]
                )
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
        # The admin's change message reads these.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        return None

    actions = [
        _motion_action(
            "open_vote",
            _("Open the vote (takes the attendance snapshot)"),
            _("%(motion)s: the vote is open; the attendance is recorded for the quorum."),
            lambda motion, user: meeting_services.motion_open_vote(motion=motion, actor=user),
        ),
        _motion_action(
            "close_vote",
            _("Close the vote and record the outcome"),
            _("%(motion)s: the vote is closed and its outcome recorded."),
            lambda motion, user: meeting_services.motion_close(
                motion=motion,
                votes_for=motion.votes_for,
                votes_against=motion.votes_against,
                abstentions=motion.abstentions,
                actor=user,
            ),
        ),
    ]


class MinutesForm(forms.ModelForm):
    new_text = forms.CharField(
        label=_("Text of the minutes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 20}),
        help_text=_("Saving a changed text adds a revision; earlier ones are kept."),
    )

    class Meta:
        model = Minutes
        fields = ["meeting"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        latest = self.instance.revisions.last() if self.instance.pk else None
        self.fields["new_text"].initial = latest.text if latest else ""
        if not self.instance.pk:
            self.fields["new_text"].required = True
            self.fields["new_text"].help_text = _(
                "The first revision; later changes add revisions and keep this one."
            )

    def clean(self):
        cleaned = super().clean()
        meeting = cleaned.get("meeting") or getattr(self.instance, "meeting", None)
        if meeting is not None and not self.instance.pk:
            try:
                meeting_services.minutes_check_meeting_started(meeting=meeting)
            except ValidationError as error:
                self.add_error("meeting", error)
        return cleaned


@admin.register(Minutes)
class MinutesAdmin(AccessibleModelAdmin):
    """Minutes are written as revisions; approval happens by a motion at a meeting."""

    form = MinutesForm
    list_display = ["__str__", "approved_revision"]

    autocomplete_fields = ["meeting"]

    def get_fields(self, request, obj=None):
        # One step: the meeting and the text together, on one page.
        if obj is None:
            return ["meeting", "new_text"]
        return ["meeting", "approved_revision", "revision_history", "new_text"]

    def get_readonly_fields(self, request, obj=None):
        return ["meeting", "approved_revision", "revision_history"] if obj else []

    @admin.display(description=_("revisions"))
    def revision_history(self, minutes):
        return format_html_join(
            "",
            "<p>r{} · {} · <code>{}</code></p>",
            ((r.number, r.created_at, r.sha256) for r in minutes.revisions.all()),
        )

    def save_model(self, request, obj, form, change):
        text = form.cleaned_data.get("new_text", "")
        latest = obj.revisions.last() if change else None
        if not text or (latest is not None and latest.text == text):
            return
        try:
            revision = meeting_services.minutes_revise(
                meeting=obj.meeting, text=text, author=request.user
            )
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return
        # The service made the minutes with their first revision; the admin's
        # "added" message and redirect need the row it made.
        obj.pk = revision.minutes_id
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        # Nothing related is edited here; the minutes may not even exist if refused.
        pass


class ObjectiveInline(TranslatedTabularInline):
    model = StrategicObjective
    extra = 0


@admin.register(StrategicPlan)
class StrategicPlanAdmin(TranslatedAdmin):
    list_display = ["title", "start_year", "end_year"]
    inlines = [ObjectiveInline]


class KPIValueInline(AccessibleTabularInline):
    model = KPIValue
    extra = 0


@admin.register(KPI)
class KPIAdmin(TranslatedAdmin):
    list_display = ["title", "objective", "target"]
    list_filter = ["objective__plan"]
    list_select_related = ["objective__plan"]
    inlines = [KPIValueInline]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "objective":
            # Each objective is named with its plan (StrategicObjective.__str__).
            kwargs["queryset"] = StrategicObjective.objects.select_related("plan")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class WorkPlanActivityInline(TranslatedTabularInline):
    model = WorkPlanActivity
    extra = 0


@admin.register(WorkPlan)
class WorkPlanAdmin(AccessibleModelAdmin):
    list_display = ["__str__", "plan", "approved_by_meeting"]
    readonly_fields = ["approved_by_meeting"]
    inlines = [WorkPlanActivityInline]

    @admin.display(description=_("approved by"))
    def approved_by_meeting(self, plan):
        if plan.approved_by_id is None:
            return _("Not approved yet")
        return plan.approved_by.meeting
