from django.http import Http404
from django.shortcuts import render

from inpud_portal.public_pages import public_page

from .selectors import about_page_for, about_pages


@public_page
def about_index(request):
    return render(request, "pages/about_index.html", {"pages": about_pages()})


@public_page
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
