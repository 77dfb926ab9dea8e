from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from inpud_portal.translated_admin import (
    AccessibleAdminMixin,
    AccessibleModelAdmin,
    AccessibleStackedInline,
    AccessibleTabularInline,
    TranslatedAdmin,
    in_every_language,
)

from . import services
from .directory_export import directory_csv
from .forms import PersonAdminForm
from .models import (
    Activity,
    Endorsement,
    Expertise,
    FormerName,
    Need,
    Network,
    Organisation,
    Partner,
    Person,
    Region,
    Role,
    SkillsRecord,
    User,
)
from .visibility import organisations_visible_to, people_visible_to


@admin.register(User)
class UserAdmin(AccessibleAdminMixin, DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "is_active", "is_staff", "last_login"]
    search_fields = ["email", "person__display_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "usable_password", "password1", "password2"),
            },
        ),
    )
    readonly_fields = ["last_login", "date_joined"]

    def get_readonly_fields(self, request, obj=None):
        # A superuser passes every visibility and role check: only a superuser
        # makes another, so a secretariat login cannot raise itself above its role.
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly.append("is_superuser")
        return readonly


@admin.register(Region)
class RegionAdmin(TranslatedAdmin):
    list_display = ["name", "slug", "position"]
    search_fields = ["slug", *in_every_language("name")]
    prepopulated_fields = {"slug": ("name_en",)}


class FormerNameInline(AccessibleTabularInline):
    model = FormerName
    extra = 0


class EndorsementInline(AccessibleTabularInline):
    model = Endorsement
    extra = 0


@admin.register(Network)
class NetworkAdmin(TranslatedAdmin):
    list_display = ["acronym", "name", "region", "status", "member_since"]
    list_filter = ["status", "region"]
    search_fields = [
        "acronym",
        "former_names__name",
        "former_names__acronym",
        *in_every_language("name"),
    ]
    prepopulated_fields = {"slug": ("acronym",)}
    inlines = [FormerNameInline, EndorsementInline]


@admin.register(Activity)
class ActivityAdmin(TranslatedAdmin):
    list_display = ["name", "slug"]
    search_fields = ["slug", *in_every_language("name")]


@admin.register(Need)
class NeedAdmin(TranslatedAdmin):
    list_display = ["name", "slug"]
    search_fields = ["slug", *in_every_language("name")]


@admin.register(Organisation)
class OrganisationAdmin(TranslatedAdmin):
    list_display = ["name", "network", "country", "kind", "legal_status", "visibility"]
    list_filter = [
        "network",
        "visibility",
        "kind",
        "legal_status",
        "country",
        "activities",
        "needs",
    ]
    search_fields = ["city", "network__acronym", *in_every_language("name", "description")]
    list_select_related = ["network"]
    prepopulated_fields = {"slug": ("name_en",)}
    filter_horizontal = ["activities", "needs"]
    actions = ["export_csv"]

    def get_queryset(self, request):
        # Only the secretariat sees every entry; staff without a current
        # secretariat role (a staff flag set by hand, a role that ended since the
        # last access sync) see what the member area would show them.
        return organisations_visible_to(request.user, super().get_queryset(request))

    @admin.action(description=_("Export selected organisations as CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        # The same rule as everywhere else: staff who are not (or no longer) the
        # secretariat export only what they may see.
        visible = organisations_visible_to(request.user, queryset)
        response = HttpResponse(directory_csv(visible), content_type="text/csv; charset=utf-8")
        filename = f"inpud-directory-{timezone.localdate().isoformat()}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class RoleInline(AccessibleTabularInline):
    model = Role
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(Person)
class PersonAdmin(TranslatedAdmin):
    form = PersonAdminForm
    list_display = ["display_name", "email", "preferred_language", "visibility", "has_account"]
    list_filter = ["visibility", "preferred_language", "roles__kind", "roles__network"]
    search_fields = ["display_name", "legal_name", "email"]
    raw_id_fields = ["user"]
    inlines = [RoleInline]
    actions = ["invite"]

    def get_queryset(self, request):
        # As for organisations: legal names and private people are the secretariat's.
        return people_visible_to(request.user, super().get_queryset(request))

    @admin.display(boolean=True, description=_("account"))
    def has_account(self, person):
        return person.user_id is not None

    def delete_model(self, request, obj):
        services.person_delete(person=obj)

    def delete_queryset(self, request, queryset):
        for person in queryset:
            services.person_delete(person=person)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.person_sync_access(person=form.instance)

    @admin.action(description=_("Invite to the member area by email"), permissions=["change"])
    def invite(self, request, queryset):
        invited, refused = 0, []
        for person in queryset:
            try:
                services.person_invite(person=person)
                invited += 1
            except ValidationError as error:
                refused.append(f"{person}: {' '.join(error.messages)}")
        if invited:
            self.message_user(
                request,
                ngettext("%(count)d invitation sent.", "%(count)d invitations sent.", invited)
                % {"count": invited},
                messages.SUCCESS,
            )
        for line in refused:
            self.message_user(request, line, messages.ERROR)


class PartnerAdminForm(forms.ModelForm):
    relationships = forms.MultipleChoiceField(
        label=_("Relationship"),
        choices=Partner.Relationship.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Partner
        fields = [
            "slug",
            "name",
            "description",
            "kind",
            "relationships",
            "regions",
            "countries",
            "focus_areas",
            "organisation",
            "website",
            "contact_name",
            "contact_email",
            "visibility",
        ]


@admin.register(Expertise)
class ExpertiseAdmin(TranslatedAdmin):
    list_display = ["name", "slug", "position"]
    search_fields = ["slug", *in_every_language("name")]


class SkillsRecordInline(AccessibleStackedInline):
    model = SkillsRecord
    fk_name = "partner"
    extra = 0
    filter_horizontal = ["expertise", "regions"]
    fields = ["expertise", "languages", "regions", "availability", "note", "visibility"]


@admin.register(Partner)
class PartnerAdmin(TranslatedAdmin):
    form = PartnerAdminForm
    list_display = ["name", "kind", "visibility", "updated_at"]
    list_filter = ["kind", "visibility", "regions"]
    search_fields = ["slug", "website", *in_every_language("name")]
    prepopulated_fields = {"slug": ["name_en"]}
    filter_horizontal = ["regions", "focus_areas"]
    autocomplete_fields = ["organisation"]
    inlines = [SkillsRecordInline]


@admin.register(SkillsRecord)
class SkillsRecordAdmin(AccessibleModelAdmin):
    list_display = ["__str__", "availability", "visibility", "updated_at"]
    list_filter = ["availability", "visibility", "expertise", "regions"]
    search_fields = ["person__display_name", "organisation__name", "partner__name"]
    autocomplete_fields = ["person", "organisation", "partner"]
    filter_horizontal = ["expertise", "regions"]
