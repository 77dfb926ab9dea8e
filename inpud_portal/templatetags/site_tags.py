from django import template
from django.conf import settings
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import translation
from django.utils.encoding import escape_uri_path, iri_to_uri
from django.utils.html import format_html, linebreaks
from django.utils.safestring import mark_safe
from modeltranslation.utils import build_localized_fieldname

from ..text import list_separator

register = template.Library()

# OpenGraph wants language_TERRITORY. Each language is given the territory its
# readers most often share links from; Facebook knows Arabic as ar_AR.
OPENGRAPH_LOCALES = {
    "en": "en_GB",
    "fr": "fr_FR",
    "es": "es_ES",
    "ru": "ru_RU",
    "ar": "ar_AR",
    "pt": "pt_BR",
}


@register.simple_tag(takes_context=True)
def language_versions(context) -> list[dict]:
    """This page in every shipped language, for the switcher and hreflang links."""
    request = context["request"]
    current = translation.get_language()
    query = request.META.get("QUERY_STRING", "")
    translated = _translated_paths(request)
    versions = []
    for code, _name in settings.LANGUAGES:
        info = translation.get_language_info(code)
        url = _in_language(escape_uri_path(request.path), translated[code], current, code)
        versions.append(
            {
                "code": code,
                "name_local": info["name_local"],
                "bidi": info["bidi"],
                "url": f"{url}?{iri_to_uri(query)}" if query else url,
                "current": code == current,
            }
        )
    return versions


def _translated_paths(request) -> dict[str, str]:
    """translate_url(request.path, code) for every shipped language, resolving the
    path once: translate_url() resolves it again for each language, and every page's
    head and language switcher need all of them (13 resolves a page before)."""
    if not hasattr(request, "_translated_paths"):
        path = escape_uri_path(request.path)
        codes = [code for code, _name in settings.LANGUAGES]
        try:
            match = resolve(request.path)
        except Resolver404:
            request._translated_paths = dict.fromkeys(codes, path)
            return request._translated_paths
        name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
        paths = {}
        for code in codes:
            with translation.override(code):
                try:
                    paths[code] = reverse(name, args=match.args, kwargs=match.kwargs)
                except NoReverseMatch:
                    paths[code] = path
        request._translated_paths = paths
    return request._translated_paths


def _in_language(path: str, url: str, current: str, code: str) -> str:
    """The same address in another language. translate_url() leaves an address it
    cannot resolve (a page not found) unchanged; its language prefix is swapped
    instead, so the switcher still changes the language."""
    prefix = f"/{current}/"
    if url == path and code != current and path.startswith(prefix):
        return f"/{code}/{path[len(prefix) :]}"
    return url


@register.simple_tag(takes_context=True)
def page_links(context) -> dict:
    """Absolute addresses for the page head: canonical, hreflang alternates and
    x-default, and the OpenGraph locales.

    x-default is the address without a language prefix, as in /sitemap.xml: it
    sends each visitor on to the version in their browser's language.

    The query string is left out: a search or a filtered list is the same page
    as far as search engines and link previews are concerned.
    """
    request = context["request"]
    current = translation.get_language()
    codes = [code for code, _name in settings.LANGUAGES]
    default = settings.LANGUAGE_CODE

    translated = _translated_paths(request)
    alternates = [
        {"code": code, "url": request.build_absolute_uri(translated[code])} for code in codes
    ]
    return {
        "canonical": request.build_absolute_uri(request.path),
        "alternates": alternates,
        "x_default": request.build_absolute_uri(
            translated[default].replace(f"/{default}/", "/", 1)
        ),
        "og_locale": OPENGRAPH_LOCALES.get(current, current),
        "og_locale_alternates": [
            OPENGRAPH_LOCALES.get(code, code) for code in codes if code != current
        ],
    }


class CaptureNode(template.Node):
    def __init__(self, nodelist, name: str):
        self.nodelist = nodelist
        self.name = name

    def render(self, context):
        # Set in the current scope: use the tag at a template's top level, not
        # inside a block or {% with %}, for the value to outlive it.
        context[self.name] = mark_safe(self.nodelist.render(context))  # noqa: S308
        return ""


@register.tag
def capture(parser, token):
    """{% capture as name %}...{% endcapture %}: render once, use several times.

    The page title and description each appear in <title>, a meta tag and the
    OpenGraph tags; a template block can be rendered only once, so base.html
    captures it. What is captured was escaped when it was rendered.
    """
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("usage: {% capture as name %}...{% endcapture %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])


@register.simple_tag
def translated(obj, field_name: str, block: bool = False):
    """A translated content field in the page's language, or its fallback.

    The fallback is English, then any other language the text exists in (the same
    order as MODELTRANSLATION_FALLBACK_LANGUAGES). Fallback text is wrapped in an
    element carrying its own lang and dir, so browsers and screen readers switch
    language with it.
    """
    language = translation.get_language()
    text, text_language = "", language
    for candidate in [language, *settings.MODELTRANSLATION_FALLBACK_LANGUAGES]:
        text = getattr(obj, build_localized_fieldname(field_name, candidate), "") or ""
        if text:
            text_language = candidate
            break
    body = mark_safe(linebreaks(text, autoescape=True)) if block else text  # noqa: S308 - escaped
    if text_language == language or not text:
        return body
    direction = "rtl" if translation.get_language_info(text_language)["bidi"] else "ltr"
    element = "div" if block else "span"
    return format_html(
        '<{0} lang="{1}" dir="{2}">{3}</{0}>', element, text_language, direction, body
    )


@register.filter
def get_item(mapping: dict, key):
    """mapping[key], whether the key arrived as a number or as JSON's string."""
    return mapping.get(str(key), mapping.get(key, ""))


# The main navigation's sections, by the URL names of the pages in them: a view name
# ("governance:board") or, for every page of an app, its namespace ("pages").
NAV_SECTIONS = {
    "home": "home",
    "pages": "about",
    "members": "networks",
    "governance:board": "board",
    "governance:board_year": "board",
    "governance:election": "board",
    "governance:meetings": "meetings",
    "governance:meeting": "meetings",
    "publications:list": "publications",
    "publications:detail": "publications",
    "portal": "portal",
    "account_login": "login",
}


@register.simple_tag(takes_context=True)
def nav_section(context) -> str:
    """The main navigation section the page belongs to ("" for none), so that its link
    can say aria-current="page"."""
    match = getattr(context.get("request"), "resolver_match", None)
    if match is None:
        return ""
    return NAV_SECTIONS.get(match.view_name) or NAV_SECTIONS.get(match.namespace, "")


register.simple_tag(list_separator, name="list_separator")
