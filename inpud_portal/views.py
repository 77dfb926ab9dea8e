import logging

from django.conf import settings
from django.db import connection
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache

from pages.selectors import home_content

from .page_cache import cache_for_visitors
from .public_pages import public_page

logger = logging.getLogger(__name__)


@public_page
# What home_content reads: the page text, networks, publications and meetings.
@cache_for_visitors(shows=("pages", "members", "publications", "governance"))
def home(request):
    return render(request, "home.html", home_content())


@public_page
def favicon(request):
    """Browsers ask for /favicon.ico on their own, whatever the page links: send them
    to the icon the pages link. Temporary and cached for a day only, because the
    address it sends to changes with the icon's content."""
    response = HttpResponseRedirect(static("img/favicon.svg"))
    patch_cache_control(response, public=True, max_age=24 * 60 * 60)
    return response


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        logger.exception("healthz: database check failed")
        return False


def _broker_answers() -> bool:
    from .celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        logger.exception("healthz: broker check failed")
        return False


@public_page
@never_cache
def healthz(request):
    checks = {"database": _database_answers()}
    if settings.REDIS_URL:
        checks["broker"] = _broker_answers()
    healthy = all(checks.values())
    return JsonResponse(
        {name: "ok" if ok else "unavailable" for name, ok in checks.items()},
        status=200 if healthy else 503,
    )


@public_page
def page_not_found(request, exception):
    # A path without a shipped language prefix (/xx/networks/, and /pt-br/ too,
    # which Django would read as Portuguese) has no language of its own: answer in
    # the default language rather than guess.
    # (override, not activate: LocaleMiddleware still redirects /networks/ to the
    # visitor's language afterwards.)
    prefix = request.path_info.split("/")[1]
    language = prefix if prefix in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    with translation.override(language):
        return render(request, "404.html", status=404)


@public_page
def server_error(request):
    return render(request, "500.html", status=500)
