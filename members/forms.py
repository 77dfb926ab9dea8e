import datetime

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import Activity, Need, Network, Organisation, Visibility


class ProfileForm(forms.Form):
    display_name = forms.CharField(
        label=_("Display name"),
        max_length=120,
        help_text=_("Shown wherever your name appears; it may be a pseudonym."),
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


class OrganisationForm(forms.ModelForm):
    """A directory entry as a network's director or staff edits it."""

    class Meta:
        model = Organisation
        fields = [
            "network",
            "name",
            "description",
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
        widgets = {
            "activities": forms.CheckboxSelectMultiple,
            "needs": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, networks, **kwargs):
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

    def clean_founded_year(self):
        year = self.cleaned_data.get("founded_year")
        if year and year > datetime.date.today().year:
            raise forms.ValidationError(_("The founding year cannot be in the future."))
        return year
