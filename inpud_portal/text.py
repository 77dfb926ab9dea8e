"""Wording shared by templates and the files the portal writes (calendars)."""

from django.utils.translation import pgettext


def list_separator() -> str:
    """What goes between the items of a list run into a sentence, or between the parts
    of a place ("Montréal, Canada"): ", " in English, "، " in Arabic."""
    return pgettext("list separator", ", ")
