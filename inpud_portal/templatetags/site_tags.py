from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from django.utils.html import format_html, linebreaks
from django.utils.safestring import mark_safe
from modeltranslation.utils import build_localized_fieldname

register = template.Library()


@register.simple_tag(takes_context=True)
def language_versions(context) -> list[dict]:
    """This page in every shipped language, for the switcher and hreflang links."""
    request = context["request"]
    current = translation.get_language()
    versions = []
    for code, _name in settings.LANGUAGES:
        info = translation.get_language_info(code)
        versions.append(
            {
                "code": code,
                "name_local": info["name_local"],
                "bidi": info["bidi"],
                "url": translate_url(request.get_full_path(), code),
                "current": code == current,
            }
        )
    return versions


@register.simple_tag
def translated(obj, field_name: str, block: bool = False):
    """A translated content field in the page's language, falling back to English.

    Text shown in English on a page of another language is wrapped in an element
    with lang="en", so screen readers and browsers switch language with it.
    """
    language = translation.get_language()
    own = getattr(obj, build_localized_fieldname(field_name, language), "")
    if own:
        text, fallback = own, False
    else:
        default = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
        text = getattr(obj, build_localized_fieldname(field_name, default), "") or ""
        fallback = bool(text) and language != default
    if block:
        body = mark_safe(linebreaks(text, autoescape=True))  # noqa: S308 - escaped by linebreaks
        if fallback:
            return format_html('<div lang="{}" dir="ltr">{}</div>', default, body)
        return body
    if fallback:
        return format_html('<span lang="{}" dir="ltr">{}</span>', default, text)
    return text


@register.filter
def get_item(mapping: dict, key):
    """mapping[key], whether the key arrived as a number or as JSON's string."""
    return mapping.get(str(key), mapping.get(key, ""))
