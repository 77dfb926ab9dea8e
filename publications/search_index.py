"""The stored full-text vectors of publications (PostgreSQL only).

Each language's vector is built from that language's title, summary and text with
the language's text-search configuration, weighted so a title match ranks above a
match in the body. Matching uses the full vector (title, summary and text); ranking
uses a second, small vector of title and summary only, which stays inside the table
row and is cheap to read for thousands of matches. Elsewhere (SQLite) the columns
stay empty and the library uses a simple substring search.
"""

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import F, Value
from modeltranslation.utils import build_localized_fieldname

from .arabic_search import ArabicNormalise

# PostgreSQL text-search configurations for the shipped languages.
SEARCH_CONFIGS = {
    "en": "english",
    "fr": "french",
    "es": "spanish",
    "ru": "russian",
    "ar": "arabic",
    "pt": "portuguese",
}
WEIGHTS = {"title": "A", "summary": "B", "body": "C"}


def searched_text(language: str, text):
    """The text (a field, or what was typed) as the language's configuration is
    given it: Arabic first has its spelling variants folded (publications.arabic_search)."""
    if language == "ar":
        return ArabicNormalise(text)
    return text


def search_query(text: str, *, language: str) -> SearchQuery:
    return SearchQuery(
        searched_text(language, Value(text)),
        config=SEARCH_CONFIGS[language],
        search_type="websearch",
    )


def search_vector(language: str, fields=tuple(WEIGHTS)) -> SearchVector:
    config = SEARCH_CONFIGS[language]
    vectors = [
        SearchVector(
            searched_text(language, F(build_localized_fieldname(field, language))),
            config=config,
            weight=WEIGHTS[field],
        )
        for field in fields
    ]
    combined = vectors[0]
    for vector in vectors[1:]:
        combined = combined + vector
    return combined


def search_vectors_refresh(queryset) -> int:
    """Recompute the stored vectors of these publications; a no-op off PostgreSQL."""
    if connection.vendor != "postgresql":
        return 0
    return queryset.update(
        **{f"search_{code}": search_vector(code) for code in SEARCH_CONFIGS},
        **{f"rank_{code}": search_vector(code, ("title", "summary")) for code in SEARCH_CONFIGS},
    )
