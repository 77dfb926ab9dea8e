from django.conf import settings
from django.contrib.postgres.search import SearchRank
from django.db import connection
from django.db.models import F, Q, QuerySet
from modeltranslation.utils import build_localized_fieldname

from .models import Publication
from .search_index import SEARCH_CONFIGS, search_query

SEARCHED_FIELDS = ("title", "summary", "body")


def publications_published() -> QuerySet[Publication]:
    return Publication.objects.filter(status=Publication.Status.PUBLISHED)


def _without_long_columns(queryset: QuerySet[Publication]) -> QuerySet[Publication]:
    # Teasers and listings show the title, summary, kind and date: the long texts
    # and the stored search vectors (large, never shown) stay in the database.
    vectors = [f"{kind}_{code}" for kind in ("search", "rank") for code in SEARCH_CONFIGS]
    bodies = [build_localized_fieldname("body", code) for code, _name in settings.LANGUAGES]
    return queryset.defer(*vectors, *bodies)


def _publications_teaser(queryset: QuerySet[Publication]) -> QuerySet[Publication]:
    return _without_long_columns(queryset).order_by("-published_on", "-pk")


def publications_latest(*, limit: int) -> QuerySet[Publication]:
    """The newest published publications, statements aside (they are listed apart)."""
    return _publications_teaser(publications_published().exclude(kind=Publication.Kind.STATEMENT))[
        :limit
    ]


def statements_latest(*, limit: int) -> QuerySet[Publication]:
    return _publications_teaser(publications_published().filter(kind=Publication.Kind.STATEMENT))[
        :limit
    ]


def publications_related(publication: Publication, *, limit: int) -> QuerySet[Publication]:
    """Published publications sharing a theme with this one, newest first.

    A subquery on the themes, not a join: the join needed DISTINCT over whole rows,
    search vectors and long texts included, and cost more than the rest of the page.
    """
    themes = [theme.pk for theme in publication.themes.all()]
    sharing = Publication.themes.through.objects.filter(theme__in=themes).values("publication_id")
    return _publications_teaser(
        publications_published().filter(pk__in=sharing).exclude(pk=publication.pk)
    )[:limit]


def publications_for_listing(queryset: QuerySet[Publication]) -> QuerySet[Publication]:
    return _without_long_columns(queryset).prefetch_related("themes", "files")


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

    On PostgreSQL the text is searched in the stored vector of the page language
    and, when that is not English, of English too (English is the fallback content),
    each with its own configuration, so word forms match ("pair" finds "pairs").
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
    if theme or file_language:
        queryset = queryset.distinct()
    text = text.strip()
    if not text:
        return queryset.order_by("-published_on", "-pk")
    languages = [language]
    if language != settings.LANGUAGE_CODE:
        languages.append(settings.LANGUAGE_CODE)
    if connection.vendor == "postgresql":
        rank = None
        condition = Q()
        for code in languages:
            query = search_query(text, language=code)
            condition |= Q(**{f"search_{code}": query})
            code_rank = SearchRank(F(f"rank_{code}"), query)
            rank = code_rank if rank is None else rank + code_rank
        return (
            queryset.filter(condition).annotate(rank=rank).order_by("-rank", "-published_on", "-pk")
        )
    condition = Q()
    for code in languages:
        for field in SEARCHED_FIELDS:
            condition |= Q(**{f"{build_localized_fieldname(field, code)}__icontains": text})
    return queryset.filter(condition).order_by("-published_on", "-pk")
