from django.shortcuts import get_object_or_404, render

from inpud_portal.public_pages import public_page

from .selectors import about_pages, pages_with_sections


@public_page
def about_index(request):
    return render(request, "pages/about_index.html", {"pages": about_pages()})


@public_page
def about_page(request, slug):
    page = get_object_or_404(pages_with_sections(about_pages()), slug=slug)
    return render(
        request,
        "pages/about_page.html",
        {"page": page, "sections": page.sections.all(), "pages": about_pages()},
    )
