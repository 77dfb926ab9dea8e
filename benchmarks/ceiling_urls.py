"""The portal's URLconf plus one trivial view: the ceiling of benchmarks/page_throughput.py.

The view sits under the same language prefix and behind the same middleware as the
real pages, so what separates the two in a measurement is the work the pages do.
Used only through benchmarks/ceiling_settings.py; never installed in the portal.
"""

from django.conf.urls.i18n import i18n_patterns
from django.http import HttpResponse
from django.urls import path

from inpud_portal.public_pages import public_page
from inpud_portal.urls import handler404, handler500  # noqa: F401 (read by Django)
from inpud_portal.urls import urlpatterns as portal_urlpatterns


@public_page
def ceiling(request):
    return HttpResponse(b"ok", content_type="text/plain; charset=utf-8")


urlpatterns = i18n_patterns(path("benchmark/ceiling/", ceiling)) + portal_urlpatterns
