"""Published consultation summaries: never a network's own answers."""

from django.shortcuts import get_object_or_404, render

from inpud_portal.page_cache import cache_for_visitors
from inpud_portal.public_pages import public_page

from ..selectors import consultations_published


@public_page
@cache_for_visitors
def summary_list(request):
    return render(
        request,
        "network/summary_list.html",
        {"consultations": consultations_published()},
    )


@public_page
@cache_for_visitors
def summary_detail(request, pk):
    consultation = get_object_or_404(consultations_published(), pk=pk)
    return render(request, "network/summary_detail.html", {"consultation": consultation})
