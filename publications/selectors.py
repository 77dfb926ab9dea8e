from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Q, QuerySet
from modeltranslation.utils import build_localized_fieldname

from .models import Publication

# PostgreSQL text-search configurations for the shipped languages.
SEARCH_CONFIGS = {
    "en": "english",
    "fr": "french",
    "es": "spanish",
    "ru": "russian",
    "ar": "arabic",
    "pt": "portuguese",
}
SEARCHED_FIELDS = ("title", "summary", "body")


def search_vector(language: str) -> SearchVector:
    """The expression the per-language GIN indexes are built on (migration 0002):
    queries must use exactly this to be served by them."""
    fields = [build_localized_fieldname(f, language) for f in SEARCHED_FIELDS]
    return SearchVector(*fields, config=SEARCH_CONFIGS[language])


def publications_published() -> QuerySet[Publication]:
    return Publication.objects.filter(status=Publication.Status.PUBLISHED)


def publications_for_listing(queryset: QuerySet[Publication]) -> QuerySet[Publication]:
    return queryset.prefetch_related("themes", "files")


def publications_search(
    *,
    text: str,
    language: str,
    kind: str = "",
    theme: str = "",
    file_language: str = "",
    year: int | None = None,
) -> QuerySet[Publication]:
    """Published publications matching the filters; with text, best matches first.

    On PostgreSQL the text is searched with the page language's configuration and,
    when that is not English, with English too (English is the fallback content).
    Elsewhere a simpler substring search over the same fields is used.
    """
    queryset = publications_published()
    if kind:
        queryset = queryset.filter(kind=kind)
    if theme:
        queryset = queryset.filter(themes__slug=theme)
    if file_language:
        queryset = queryset.filter(files__language=file_language)
    if year:
        queryset = queryset.filter(published_on__year=year)
    if kind or theme or file_language:
        queryset = queryset.distinct()
    text = text.strip()
    if not text:
        return queryset.order_by("-published_on", "-pk")
    languages = (
        [language] if language == settings.LANGUAGE_CODE else [language, settings.LANGUAGE_CODE]
    )
    if connection.vendor == "postgresql":
        rank = None
        condition = Q()
        for code in languages:
            query = SearchQuery(text, config=SEARCH_CONFIGS[code], search_type="websearch")
            vector = search_vector(code)
            annotation = f"match_{code}"
            queryset = queryset.annotate(**{annotation: vector})
            condition |= Q(**{annotation: query})
            code_rank = SearchRank(vector, query)
            rank = code_rank if rank is None else rank + code_rank
        return (
            queryset.filter(condition).annotate(rank=rank).order_by("-rank", "-published_on", "-pk")
        )
    condition = Q()
    for code in languages:
        for field in SEARCHED_FIELDS:
            condition |= Q(**{f"{build_localized_fieldname(field, code)}__icontains": text})
    return queryset.filter(condition).order_by("-published_on", "-pk")
