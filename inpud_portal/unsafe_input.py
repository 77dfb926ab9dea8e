"""Input no page can use: NUL characters and lone surrogates, refused with 400.

PostgreSQL cannot store a NUL in text, and a lone surrogate cannot be encoded as
UTF-8, so either one reaching a query, a file name or a template fails the request
with a 500 somewhere deep in a view. Refusing them here, before any view runs, keeps
every view free of the check and every answer to such input a plain 400.
"""

import json
import logging
import re

from django.conf import settings
from django.http import HttpResponseBadRequest
from django.http.multipartparser import MultiPartParserError
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger("django.security.UnsafeInput")

UNSAFE_CHARACTERS = re.compile("[\x00\ud800-\udfff]")
# Deeper than any form of JSON the portal accepts, far shallower than the depth at
# which parsing it would exhaust the stack.
MAX_JSON_DEPTH = 32
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_JSON_BRACKET = re.compile(r"[\[\]{}]")


def has_unsafe_characters(text: str) -> bool:
    return UNSAFE_CHARACTERS.search(text) is not None


def json_depth(text: str) -> int:
    """How deeply arrays and objects nest in a JSON document, counted without parsing
    it (a parser recurses once per level, and runs out of stack on deep input)."""
    depth = deepest = 0
    for bracket in _JSON_BRACKET.findall(_JSON_STRING.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def json_loads_limited(body: bytes | str, *, max_depth: int = MAX_JSON_DEPTH):
    """json.loads that refuses, with ValueError, documents nested deeper than
    max_depth and strings holding NUL or a lone surrogate."""
    text = body.decode("utf-8") if isinstance(body, bytes) else body
    if json_depth(text) > max_depth:
        raise ValueError(f"JSON nested deeper than {max_depth} levels")
    document = json.loads(text)
    if any(has_unsafe_characters(value) for value in _json_strings(document)):
        raise ValueError("JSON string with a NUL or a lone surrogate")
    return document


def _json_strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item)


def _query_dict_is_safe(query_dict) -> bool:
    return not any(
        has_unsafe_characters(key) or any(has_unsafe_characters(v) for v in values)
        for key, values in query_dict.lists()
    )


def _request_problem(request) -> str | None:
    if has_unsafe_characters(request.path) or has_unsafe_characters(request.path_info):
        return "path"
    if not _query_dict_is_safe(request.GET):
        return "query string"
    if request.method not in ("POST", "PUT", "PATCH", "DELETE"):
        return None
    if request.content_type == "application/json":
        try:
            json_loads_limited(request.body)
        except (ValueError, RecursionError):
            return "JSON body"
        return None
    try:
        if not _query_dict_is_safe(request.POST):
            return "form field"
    except MultiPartParserError:
        return "form body"
    if any(has_unsafe_characters(f.name or "") for f in request.FILES.values()):
        return "file name"
    return None


def _page_language(request) -> str:
    # LocaleMiddleware has not run yet: answer in the language the address asks for.
    prefix = request.path_info.split("/")[1] if request.path_info.count("/") > 1 else ""
    return prefix if prefix in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


class RejectUnsafeInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        problem = _request_problem(request)
        if problem is None:
            return self.get_response(request)
        logger.warning("Refused a request with unusable characters in its %s", problem)
        # Rendered without the request: no session, user or database is needed.
        with translation.override(_page_language(request)):
            return HttpResponseBadRequest(render_to_string("400.html"))
