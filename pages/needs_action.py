"""Pages' line on the secretariat's home: published pages missing a translation."""

from django.urls import reverse
from django.utils.translation import ngettext

from inpud_portal.needs_action import ActionLine, missing_in_some_language

from .models import Page


def translation_lines() -> list[ActionLine]:
    pages = Page.objects.filter(
        missing_in_some_language("title"), status=Page.Status.PUBLISHED
    ).count()
    if not pages:
        return []
    return [
        ActionLine(
            ngettext(
                "%(count)d published page lacks a title in some language.",
                "%(count)d published pages lack a title in some language.",
                pages,
            )
            % {"count": pages},
            reverse("admin:pages_page_changelist") + "?status__exact=published",
        )
    ]
