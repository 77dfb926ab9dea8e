from django.http import Http404
from django.shortcuts import render

from inpud_portal.page_cache import cache_for_visitors
from inpud_portal.public_pages import public_page

from .selectors import about_page_for, about_pages


@public_page
@cache_for_visitors(shows=("pages",))
def about_index(request):
    return render(request, "pages/about_index.html", {"pages": about_pages()})


@public_page
# Only anonymous requests are cached, and they only ever get published pages: a draft
# is shown to logged-in staff alone, marked no-store besides.
@cache_for_visitors(shows=("pages",))
def about_page(request, slug):
    page = about_page_for(user=request.user, slug=slug)
    if page is None:
        raise Http404
    response = render(
        request,
        "pages/about_page.html",
        {"page": page, "sections": page.sections.all(), "pages": about_pages()},
    )
    if page.status != page.Status.PUBLISHED:
        # A draft shown to staff is theirs alone: never kept by a shared cache.
        response["Cache-Control"] = "private, no-store"
    return response
