import datetime

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname

from inpud_portal.names import validate_name

from .models import Activity, Need, Network, Organisation, Visibility

PHOTO_MAX_BYTES = 10 * 1024 * 1024


class ProfileForm(forms.Form):
    display_name = forms.CharField(
        label=_("Display name"),
        max_length=120,
        help_text=_("Shown wherever your name appears; it may be a pseudonym."),
        validators=[validate_name],
    )
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=settings.LANGUAGES,
        help_text=_("Emails from the portal will be in this language."),
    )
    bio = forms.CharField(
        label=_("Short biography"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Written in the language of this page."),
    )


ORGANISATION_FIELDS = [
    "network",
    "country",
    "city",
    "kind",
    "legal_status",
    "founded_year",
    "website",
    "activities",
    "needs",
    "visibility",
]


class OrganisationForm(forms.ModelForm):
    """A directory entry as a network's director or staff edits it. Build it with
    organisation_form_class(): the name and description fields are those of one
    language, so the form never shows (and saves back) another language's text."""

    class Meta:
        model = Organisation
        fields = ORGANISATION_FIELDS
        widgets = {
            "activities": forms.CheckboxSelectMultiple,
            "needs": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, networks, language, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["network"].queryset = Network.objects.filter(pk__in=[n.pk for n in networks])
        self.fields["network"].empty_label = None
        self.fields["activities"].queryset = Activity.objects.all()
        self.fields["needs"].queryset = Need.objects.all()
        # The secretariat-only level is set by the secretariat, in the admin.
        self.fields["visibility"].choices = [
            (Visibility.PUBLIC, Visibility.PUBLIC.label),
            (Visibility.MEMBERS, Visibility.MEMBERS.label),
        ]
        # A name is needed in this language unless the entry has one in another.
        has_name = any(
            getattr(self.instance, build_localized_fieldname("name", code))
            for code, _name in settings.LANGUAGES
            if code != language
        )
        self.fields[build_localized_fieldname("name", language)].required = not has_name

    def clean_founded_year(self):
        year = self.cleaned_data.get("founded_year")
        if year and year > datetime.date.today().year:
            raise forms.ValidationError(_("The founding year cannot be in the future."))
        return year


def organisation_form_class(language: str) -> type[OrganisationForm]:
    name = build_localized_fieldname("name", language)
    description = build_localized_fieldname("description", language)
    return forms.modelform_factory(
        Organisation,
        form=OrganisationForm,
        fields=["network", name, description, *ORGANISATION_FIELDS[1:]],
        labels={name: _("Name"), description: _("Description")},
        widgets={description: forms.Textarea(attrs={"rows": 6})},
    )


class PersonAdminForm(forms.ModelForm):
    # No Meta: the admin gives the model and the fields.

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if isinstance(photo, UploadedFile):
            # A phone's photo carries where and when it was taken: it is checked and
            # re-encoded as covers are, keeping only the pixels, under a random name.
            from publications.cover_images import cover_cleaned

            return cover_cleaned(data=photo.read(), max_bytes=PHOTO_MAX_BYTES)
        return photo
