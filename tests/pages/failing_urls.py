"""The site's URLs plus one page that fails as if the database were down."""

from django.conf.urls.i18n import i18n_patterns
from django.db import OperationalError
from django.urls import path

from inpud_portal.public_pages import public_page
from inpud_portal.urls import handler404, handler500, urlpatterns  # noqa: F401


@public_page
def database_down(request):
    raise OperationalError("could not connect to server")


urlpatterns = [*urlpatterns, *i18n_patterns(path("failing/", database_down))]
