from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import translation

from inpud_portal.page_cache import cache_for_visitors
from inpud_portal.public_pages import public_page
from inpud_portal.stored_files import stored_file_response
from inpud_portal.stored_images import image_response

from ..citations import bibtex, ris
from ..forms import LibraryFilterForm
from ..models import Publication, PublicationFile
from ..selectors import (
    publications_for_listing,
    publications_published,
    publications_related,
    publications_search,
)
from ..services.downloads import download_count

PAGE_SIZE = 20


@public_page
# A text search (?q=) is cached too, for less time: there are many, each read by few.
@cache_for_visitors(
    shows=("publications",),
    query_parameters=frozenset({"kind", "theme", "language", "year", "page"}),
    search_parameters=frozenset({"q"}),
)
def publication_list(request):
    form = LibraryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    publications = publications_search(
        text=filters.get("q", ""),
        language=translation.get_language(),
        kind=filters.get("kind", ""),
        theme=filters.get("theme", ""),
        file_language=filters.get("language", ""),
        year=filters.get("year"),
    )
    page = Paginator(publications_for_listing(publications), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "publications/publication_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


def _in_language(file: PublicationFile, language: str) -> bool:
    return file.page_language == language


def _files_in_visitor_order(publication: Publication) -> list[PublicationFile]:
    language = translation.get_language()
    return sorted(
        publication.files.all(),
        key=lambda f: (not _in_language(f, language), f.language, f.format),
    )


@public_page
# Co-publishing networks and the strategic objective it serves are shown with it.
@cache_for_visitors(shows=("publications", "members", "governance"))
def publication_detail(request, slug):
    publication = get_object_or_404(
        publications_published()
        .select_related("objective__plan")
        .prefetch_related(
            "themes", "files", "co_publishing_networks", "co_publishing_partners__record"
        ),
        slug=slug,
    )
    files = _files_in_visitor_order(publication)
    related = publications_related(publication, limit=4)
    language = translation.get_language()
    page_pdf = next((f for f in files if f.format == "pdf" and _in_language(f, language)), None)
    return render(
        request,
        "publications/publication_detail.html",
        {
            "publication": publication,
            "files": files,
            "related": related,
            "citation_pdf": page_pdf or next((f for f in files if f.format == "pdf"), None),
        },
    )


@public_page
def publication_file(request, slug, language, format):
    file = get_object_or_404(
        PublicationFile.objects.select_related("publication"),
        publication__slug=slug,
        publication__status=Publication.Status.PUBLISHED,
        language=language,
        format=format,
    )
    download_count(file=file)
    filename = f"{slug}-{language}.{format}"
    response = stored_file_response(
        file.file,
        # PDFs open in the browser's viewer; the rest are saved.
        as_attachment=format != "pdf",
        filename=filename,
        content_type=file.media_type,
    )
    if format == "pdf":
        response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; object-src 'self'"
    response["Content-Language"] = language
    return response


@public_page
def publication_cover(request, slug, name):
    publication = get_object_or_404(publications_published(), slug=slug)
    return image_response(publication.cover, name=name)


@public_page
def publication_citation(request, slug, fmt):
    if fmt not in ("ris", "bib"):
        raise Http404
    publication = get_object_or_404(publications_published(), slug=slug)
    url = request.build_absolute_uri(publication.get_absolute_url())
    if fmt == "ris":
        response = HttpResponse(
            ris(publication, url=url), content_type="application/x-research-info-systems"
        )
    else:
        response = HttpResponse(
            bibtex(publication, url=url), content_type="application/x-bibtex; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="{slug}.{fmt}"'
    return response
