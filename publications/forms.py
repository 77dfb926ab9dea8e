import datetime

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from inpud_portal.names import validate_name

from .models import Audience, Publication, Theme


class LibraryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    language = forms.ChoiceField(label=_("Available in"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["kind"].choices = everything + list(Publication.Kind.choices)
        self.fields["theme"].choices = everything + [(t.slug, t.name) for t in Theme.objects.all()]
        self.fields["language"].choices = everything + list(settings.LANGUAGES)
        this_year = datetime.date.today().year
        self.fields["year"].choices = everything + [
            (str(y), str(y)) for y in range(this_year, 2005, -1)
        ]


class SubscribeForm(forms.Form):
    # autocomplete names each field's purpose (WCAG 1.3.5), so browsers can fill it in.
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    name = forms.CharField(
        label=_("Name (optional)"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        validators=[validate_name],
    )
    language = forms.ChoiceField(label=_("Language of the emails"), choices=settings.LANGUAGES)
    audiences = forms.ModelMultipleChoiceField(
        label=_("What you would like to receive"),
        queryset=Audience.objects.filter(public_signup=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    consent = forms.BooleanField(
        label=_(
            "I agree to receive emails from INPUD. I can unsubscribe at any time with one click."
        ),
    )


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of the emails"), choices=settings.LANGUAGES)
    audiences = forms.ModelMultipleChoiceField(
        label=_("What you receive"),
        queryset=Audience.objects.filter(public_signup=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
