"""A shared cache of public pages as anonymous visitors see them.

Nearly every visitor is anonymous and sees exactly the same home page, network list
or library page as every other visitor reading in that language. Rendering one costs
ten to a hundred times what serving it from Redis does (benchmarks/README.md), so
`cache_for_visitors` keeps the rendered page in the shared cache, for everybody.

What keeps it from ever showing one person what was rendered for another:

- a page is served from, or stored in, the cache only for a GET that carries no
  session cookie and no message cookie: a logged-in member (or anybody with a
  session or a pending flash message) always gets the page rendered for them;
- a page is stored only when rendering it was anonymous too: status 200, no cookie
  set, no CSRF token used, no message queued, not marked private or no-store;
- the key is the absolute URL (scheme, host, language prefix, path and the allowed
  query parameters) plus the active language, so each language is cached apart;
  a request with any other query parameter (a library search ``?q=``) is not cached.

Freshness: every entry is tagged with the cache generation. Saving or deleting any
record the pages may show (every model except the private, high-volume ones in
NOT_SHOWN) starts a new generation, at once and again when the transaction commits,
so an edit in the admin or a publication published is on the pages at the next
request. Entries also expire after PUBLIC_PAGE_CACHE_SECONDS, which bounds what no
save signal reports (bulk updates, content that depends on the date, such as
"upcoming" meetings). PUBLIC_PAGE_CACHE_SECONDS=0 (the default without Redis)
turns the cache off.

The security headers, the session's ``Vary: Cookie`` and ``Content-Language`` are
added by the middleware on every response, cached or not: only the view's output is
kept.
"""

import functools
import hashlib
import logging
import secrets

from django.conf import settings
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import cc_delim_re

logger = logging.getLogger(__name__)

GENERATION_KEY = "public-page:generation"
# Records no public page shows and that are written often (ballots, deliveries,
# download counts, sessions): saving them leaves the cached pages alone.
NOT_SHOWN = frozenset(
    {
        "sessions.session",
        "admin.logentry",
        "contenttypes.contenttype",
        "auth.permission",
        "account.emailaddress",
        "account.emailconfirmation",
        "mfa.authenticator",
        "members.user",
        "governance.auditentry",
        "governance.attendance",
        "governance.ballot",
        "governance.calendarfeed",
        "governance.invitation",
        "governance.motionvote",
        "governance.participation",
        "governance.receipt",
        "governance.voter",
        "inpud_portal.outboxmessage",
        "publications.downloadcount",
        "publications.mailing",
        "publications.subscriber",
    }
)
_PRIVATE_DIRECTIVES = frozenset({"private", "no-store", "no-cache"})


def cache_for_visitors(view=None, *, query_parameters: frozenset[str] = frozenset()):
    """Serve the view's page to anonymous visitors from the shared cache.

    `query_parameters` are those the page may be cached with (filters, page number);
    a request with any other parameter is rendered and not cached."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not _cacheable_request(request, query_parameters):
                return view(request, *args, **kwargs)
            key = _page_key(request)
            try:
                found = cache.get_many([GENERATION_KEY, key])
            except Exception:
                logger.warning("page cache unavailable, rendering %s", request.path, exc_info=True)
                return view(request, *args, **kwargs)
            generation = found.get(GENERATION_KEY)
            entry = found.get(key)
            if generation is not None and entry is not None and entry[0] == generation:
                _generation, content, headers = entry
                return HttpResponse(content, headers=headers)
            if generation is None:
                # Read before rendering: a change made while the page renders moves
                # the generation on, and the entry stored below is then never served.
                generation = _generation_start(cache.get_or_set)
            response = view(request, *args, **kwargs)
            if getattr(response, "is_rendered", True) is False:
                response.render()
            if _storable_response(request, response):
                headers = {k: v for k, v in response.items() if k.lower() != "set-cookie"}
                try:
                    cache.set(
                        key,
                        (generation, response.content, headers),
                        settings.PUBLIC_PAGE_CACHE_SECONDS,
                    )
                except Exception:
                    logger.warning("page cache unavailable, not storing %s", request.path)
            return response

        return wrapper

    return decorator(view) if view is not None else decorator


def public_pages_invalidate() -> None:
    """Drop every cached page: now, and again once the current transaction commits
    (a page rendered in between may have read the data as it was before)."""
    _generation_start(cache.set)
    transaction.on_commit(lambda: _generation_start(cache.set))


def public_pages_invalidate_on_change(sender, instance=None, **kwargs) -> None:
    """Receiver for post_save, post_delete and m2m_changed, connected in apps.py."""
    if kwargs.get("action", "post_").startswith("pre_"):
        return
    model = type(instance) if instance is not None else sender
    if model._meta.label_lower in NOT_SHOWN:
        return
    public_pages_invalidate()


def _generation_start(store) -> object:
    generation = secrets.token_hex(8)
    try:
        result = store(GENERATION_KEY, generation, None)
    except Exception:
        logger.warning("page cache unavailable: cached pages expire by age only", exc_info=True)
        return generation
    # get_or_set answers the generation in place, set answers nothing.
    return result if result is not None else generation


def _cacheable_request(request, query_parameters: frozenset[str]) -> bool:
    if settings.PUBLIC_PAGE_CACHE_SECONDS <= 0 or request.method != "GET":
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or CookieStorage.cookie_name in (
        request.COOKIES
    ):
        return False
    if request.user.is_authenticated:
        return False
    return all(name in query_parameters for name in request.GET)


def _page_key(request) -> str:
    address = request.build_absolute_uri()
    digest = hashlib.sha256(address.encode()).hexdigest()
    return f"public-page:{translation.get_language()}:{digest}"


def _storable_response(request, response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or len(get_messages(request)):
        return False
    if getattr(request, "session", None) is not None and request.session.modified:
        return False
    directives = {
        d.split("=", 1)[0].strip().lower()
        for d in cc_delim_re.split(response.get("Cache-Control", ""))
    }
    return not directives & _PRIVATE_DIRECTIVES
