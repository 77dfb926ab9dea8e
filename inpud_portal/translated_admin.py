"""The admin classes every app registers with: Django's and modeltranslation's, made
usable with a keyboard and a screen reader.

modeltranslation's own tabs (jQuery UI) nest links in tabs, leave the language switch
unnamed and cannot be moved with the arrow keys; they are replaced by
`translation_tabs.js`, a WAI-ARIA tablist per translated field with a named language
switch, which degrades to one labelled field per language without JavaScript. The
widgets of Django's admin that have no name of their own get one here (see
`name_widgets`) or, where Django builds them in the browser, in `widget_names.js`.
"""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.widgets import (
    AdminSplitDateTime,
    AutocompleteSelect,
    RelatedFieldWidgetWrapper,
)
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import (
    TranslationAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)
from modeltranslation.utils import build_localized_fieldname

BLANK_CHOICE_LABEL = "---------"


def in_every_language(*fields: str) -> list[str]:
    """Search fields for every translation of each translated field: a search by
    someone using the admin in French must still find text that exists only in English."""
    return [
        build_localized_fieldname(field, language)
        for field in fields
        for language, _name in settings.LANGUAGES
    ]


class NamedBlankAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete with a blank choice that has a text: an empty <option> is
    invalid HTML, and a required select needs a blank first choice too (the Nu checker
    refuses both)."""

    def optgroups(self, name, value, attr=None):
        groups = super().optgroups(name, value, attr)
        options = groups[0][1]
        if options and options[0]["value"] == "":
            options[0]["label"] = BLANK_CHOICE_LABEL
        else:
            options.insert(0, self.create_option(name, "", BLANK_CHOICE_LABEL, False, 0))
            for index, option in enumerate(options):
                option["index"] = str(index)
        return groups


def name_widgets(field: forms.Field) -> None:
    """Give the parts of composite admin widgets the names their one label cannot."""
    widget = field.widget
    if isinstance(widget, RelatedFieldWidgetWrapper):
        widget = widget.widget
    if type(widget) is AutocompleteSelect:
        widget.__class__ = NamedBlankAutocompleteSelect
    if isinstance(widget, AdminSplitDateTime):
        # The field's label is the legend of the pair; each input says which half it is.
        date, time = widget.widgets
        date.attrs["aria-label"] = _("Date")
        time.attrs["aria-label"] = _("Time")


class AccessibleAdminMixin:
    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None:
            name_widgets(field)
        return field


TRANSLATION_TABS_MEDIA = forms.Media(
    js=["inpud_portal/admin/translation_tabs.js"],
    css={"all": ["inpud_portal/admin/translation_tabs.css"]},
)


class AccessibleModelAdmin(AccessibleAdminMixin, admin.ModelAdmin):
    pass


class AccessibleTabularInline(AccessibleAdminMixin, admin.TabularInline):
    pass


class AccessibleStackedInline(AccessibleAdminMixin, admin.StackedInline):
    pass


class TranslatedAdmin(AccessibleAdminMixin, TranslationAdmin):
    """A model with translated fields: one tab per language on each such field."""

    @property
    def media(self):
        return super().media + TRANSLATION_TABS_MEDIA


class TranslatedTabularInline(AccessibleAdminMixin, TranslationTabularInline):
    pass


class TranslatedStackedInline(AccessibleAdminMixin, TranslationStackedInline):
    pass
