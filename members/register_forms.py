"""Forms of the partner and skills register."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Expertise, Partner, Region, SkillsRecord, Visibility
from .skills_register import WORKING_LANGUAGES


class SkillsForm(forms.Form):
    expertise = forms.ModelMultipleChoiceField(
        label=_("Areas of expertise"),
        queryset=Expertise.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you can work in"),
        choices=WORKING_LANGUAGES,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl (or Cmd) to choose several."),
    )
    regions = forms.ModelMultipleChoiceField(
        label=_("Regions you know well"),
        queryset=Region.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    availability = forms.ChoiceField(
        label=_("Availability"),
        choices=SkillsRecord.Availability.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
        help_text=_("E.g. the kind of support you have given before."),
    )
    visibility = forms.ChoiceField(
        label=_("Who may see this record"),
        choices=Visibility.choices,
        widget=forms.RadioSelect,
        initial=Visibility.MEMBERS,
    )


class RegisterFilterForm(forms.Form):
    expertise = forms.ModelChoiceField(
        label=_("Area of expertise"), queryset=Expertise.objects.all(), required=False
    )
    language = forms.ChoiceField(
        label=_("Language"), choices=[("", "—"), *WORKING_LANGUAGES], required=False
    )
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.all(), required=False
    )
    kind = forms.ChoiceField(
        label=_("Type of partner"), choices=[("", "—"), *Partner.Kind.choices], required=False
    )
