"""A shared cache of public pages as anonymous visitors see them, and the HTTP
headers that let every cache on the way keep them too.

Nearly every visitor is anonymous and sees exactly the same page as every other
visitor reading in that language. Rendering one costs ten to a hundred times what
serving it from Redis does (benchmarks/README.md), so `cache_for_visitors` keeps the
rendered page in the shared cache, for everybody.

What keeps it from ever showing one person what was rendered for another:

- a page is served from, or stored in, the cache only for a GET that carries no
  session cookie and no message cookie: a logged-in member (or anybody with a
  session or a pending flash message) always gets the page rendered for them;
- a page is stored only when rendering it was anonymous too: status 200, no cookie
  set, no CSRF token used, no message queued, not marked private or no-store;
- the key is the scheme, host, path (with its language prefix) and the page's own
  query parameters, normalised (blanks dropped, a search's words folded to lower
  case and single spaces), plus the active language. The view renders from
  that normalised query, so everyone whose request has the same key would have got
  the same page. A request with any other query parameter is rendered, not cached.

Freshness: records belong to kinds (their app: publications, members, governance,
pages, network; anything else is "other"), and each kind has a generation. A page names the
kinds it shows and every entry is tagged with their generations. Saving or deleting
a record (except the private, high-volume ones in NOT_SHOWN) starts a new generation
of its kind, at once and again when the transaction commits, so an edit is on the
pages at the next request while the pages of other kinds stay cached: a busy
election day does not throw away the library. Entries also expire after
PUBLIC_PAGE_CACHE_SECONDS (search results after PUBLIC_SEARCH_CACHE_SECONDS), which
bounds what no save signal reports (bulk updates, content that depends on the date,
such as "upcoming" meetings). PUBLIC_PAGE_CACHE_SECONDS=0 (the default without
Redis) turns the shared cache off; the HTTP headers below stay.

HTTP: an anonymous page is answered `Cache-Control: public` with a short max-age
for browsers and a longer s-maxage plus stale-while-revalidate for shared caches, a
strong ETag (a digest of the bytes sent) and Last-Modified (when it was rendered),
and a conditional GET that matches is answered 304. Text is compressed with gzip
once, when the page is stored, and sent compressed to clients that accept it: a
stored page holds no session, CSRF token or other secret, so compression leaks
nothing (BREACH needs a secret and attacker-controlled text in one response).

The security headers, the session's ``Vary: Cookie`` and ``Content-Language`` are
added by the middleware on every response, cached or not: only the view's output is
kept.
"""

import dataclasses
import functools
import gzip
import hashlib
import logging
import re
import secrets
import time

from django.conf import settings
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse, QueryDict
from django.utils import translation
from django.utils.cache import (
    cc_delim_re,
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.http import http_date

logger = logging.getLogger(__name__)

GENERATION_KEY = "public-page:generation:{kind}"
# The kinds a page may show; a record of any other app is "other", which every page
# depends on.
KINDS = ("members", "governance", "publications", "pages", "network")
OTHER = "other"
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
        "governance.sealedballot",
        "governance.voter",
        "inpud_portal.outboxmessage",
        # A network's own answers to a consultation: never on a public page.
        "network.answer",
        "network.consultationevent",
        "network.response",
        "publications.downloadcount",
        "publications.mailing",
        "publications.mailingevent",
        "publications.subscriber",
    }
)
_PRIVATE_DIRECTIVES = frozenset({"private", "no-store", "no-cache"})
# What Django's GZipMiddleware compresses too: below this, gzip's header costs more.
_MIN_COMPRESSED_LENGTH = 200
_ACCEPTS_GZIP = re.compile(r"\bgzip\b")
_LARGE = 256 * 1024
_COMPRESSIBLE = ("text/", "application/xml", "application/atom+xml", "application/rss+xml")


@dataclasses.dataclass(frozen=True)
class _Entry:
    generations: tuple
    headers: dict
    body: bytes
    etag: str
    gzipped: bytes | None
    gzipped_etag: str | None
    rendered_at: int | None


def cache_for_visitors(
    view=None,
    *,
    shows: tuple[str, ...] = KINDS,
    query_parameters: frozenset[str] = frozenset(),
    search_parameters: frozenset[str] = frozenset(),
):
    """Serve the view's page to anonymous visitors from the shared cache.

    `shows` names the kinds of records the page shows (see KINDS): a change to any
    other kind leaves it cached. `query_parameters` are those the page may be cached
    with (filters, page number); `search_parameters` (free text) too, but a page with
    one of them is kept for PUBLIC_SEARCH_CACHE_SECONDS only. A request with any
    other parameter is rendered and not cached."""
    kinds = tuple(sorted({*shows, OTHER}))
    allowed = query_parameters | search_parameters

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not _anonymous_request(request, allowed):
                return view(request, *args, **kwargs)
            searched = _normalise_query(request, search_parameters)
            seconds = settings.PUBLIC_PAGE_CACHE_SECONDS
            if searched:
                seconds = min(seconds, settings.PUBLIC_SEARCH_CACHE_SECONDS)
            if seconds <= 0:
                return _render_for_visitors(request, view, args, kwargs, searched=searched)
            key = _page_key(request)
            generation_keys = [GENERATION_KEY.format(kind=kind) for kind in kinds]
            try:
                found = cache.get_many([*generation_keys, key])
            except Exception:
                logger.warning("page cache unavailable, rendering %s", request.path, exc_info=True)
                return _render_for_visitors(request, view, args, kwargs, searched=searched)
            generations = tuple(found.get(k) for k in generation_keys)
            entry = found.get(key)
            if None not in generations and entry is not None and entry.generations == generations:
                return _respond(request, entry, searched=searched)
            if None in generations:
                # Read before rendering: a change made while the page renders moves
                # the generation on, and the entry stored below is then never served.
                generations = tuple(
                    g if g is not None else _generation_start(k, cache.get_or_set)
                    for g, k in zip(generations, generation_keys, strict=True)
                )
            response = _render(request, view, args, kwargs)
            if not _storable_response(request, response):
                return response
            entry = _entry(response, generations)
            try:
                cache.set(key, entry, seconds)
            except Exception:
                logger.warning("page cache unavailable, not storing %s", request.path)
            return _respond(request, entry, searched=searched)

        return wrapper

    return decorator(view) if view is not None else decorator


def public_pages_invalidate(*, kinds: tuple[str, ...] = (*KINDS, OTHER)) -> None:
    """Drop the cached pages that show these kinds of records: now, and again once
    the current transaction commits (a page rendered in between may have read the
    data as it was before)."""
    _generations_start(kinds)
    transaction.on_commit(lambda: _generations_start(kinds))


def public_pages_invalidate_on_change(sender, instance=None, **kwargs) -> None:
    """Receiver for post_save, post_delete and m2m_changed, connected in apps.py."""
    if kwargs.get("action", "post_").startswith("pre_"):
        return
    model = type(instance) if instance is not None else sender
    if model._meta.label_lower in NOT_SHOWN:
        return
    kinds = {_kind(model)}
    if kwargs.get("model") is not None:
        # m2m_changed: the records on the other side changed too.
        kinds.add(_kind(kwargs["model"]))
    public_pages_invalidate(kinds=tuple(sorted(kinds)))


def _kind(model) -> str:
    return model._meta.app_label if model._meta.app_label in KINDS else OTHER


def _generations_start(kinds: tuple[str, ...]) -> None:
    for kind in kinds:
        _generation_start(GENERATION_KEY.format(kind=kind), cache.set)


def _generation_start(key: str, store) -> object:
    generation = secrets.token_hex(8)
    try:
        result = store(key, generation, None)
    except Exception:
        logger.warning("page cache unavailable: cached pages expire by age only", exc_info=True)
        return generation
    # get_or_set answers the generation in place, set answers nothing.
    return result if result is not None else generation


def _anonymous_request(request, allowed: frozenset[str]) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or CookieStorage.cookie_name in (
        request.COOKIES
    ):
        return False
    if request.user.is_authenticated:
        return False
    return all(name in allowed for name in request.GET)


def _normalise_query(request, search_parameters: frozenset[str]) -> bool:
    """Puts the request's query in its one normal form, which the view then renders
    from; answers whether it holds a search."""
    normal = QueryDict(mutable=True)
    searched = False
    # In the order given: the page's links (the language switcher) repeat it.
    for name, values in request.GET.lists():
        for value in values:
            if name in search_parameters:
                value = " ".join(value.split()).casefold()
                searched = searched or bool(value)
            else:
                value = value.strip()
            if value:
                normal.appendlist(name, value)
    normal._mutable = False
    request.GET = normal
    # Templates build links from the full path (the language switcher): the same.
    request.META["QUERY_STRING"] = normal.urlencode()
    return searched


def _page_key(request) -> str:
    address = request.build_absolute_uri()
    digest = hashlib.sha256(address.encode()).hexdigest()
    return f"public-page:{translation.get_language()}:{digest}"


def _render(request, view, args, kwargs):
    response = view(request, *args, **kwargs)
    if getattr(response, "is_rendered", True) is False:
        response.render()
    return response


def _render_for_visitors(request, view, args, kwargs, *, searched: bool):
    response = _render(request, view, args, kwargs)
    if not _storable_response(request, response):
        return response
    # Sent once: compressed only for a client that takes it.
    entry = _entry(response, (), stored=False, compress=_accepts_gzip(request))
    return _respond(request, entry, searched=searched)


def _accepts_gzip(request) -> bool:
    return bool(_ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))


def _entry(response, generations: tuple, *, stored: bool = True, compress: bool = True) -> _Entry:
    headers = {
        k: v
        for k, v in response.items()
        if k.lower() not in ("set-cookie", "etag", "last-modified", "content-length")
    }
    body = response.content
    gzipped = None
    if (
        compress
        and len(body) >= _MIN_COMPRESSED_LENGTH
        and response.get("Content-Type", "").startswith(_COMPRESSIBLE)
    ):
        # mtime=0: the same page compresses to the same bytes, so its ETag holds.
        # A sitemap section runs to megabytes of near-identical lines: the fastest
        # level shrinks it almost as much, in a third of the time.
        level = 6 if len(body) < _LARGE else 1
        gzipped = gzip.compress(body, compresslevel=level, mtime=0)
        if len(gzipped) >= len(body):
            gzipped = None
    return _Entry(
        generations=generations,
        headers=headers,
        body=body,
        etag=_etag(body),
        gzipped=gzipped,
        gzipped_etag=_etag(gzipped) if gzipped is not None else None,
        # Rendered for this request alone, it is as new as the request: no date helps.
        rendered_at=int(time.time()) if stored else None,
    )


def _etag(content: bytes) -> str:
    # Strong: a digest of the exact bytes sent, so each encoding has its own.
    return f'"{hashlib.blake2b(content, digest_size=16).hexdigest()}"'


def _respond(request, entry: _Entry, *, searched: bool) -> HttpResponse:
    compressed = entry.gzipped is not None and _accepts_gzip(request)
    response = HttpResponse(entry.gzipped if compressed else entry.body, headers=entry.headers)
    etag = entry.gzipped_etag if compressed else entry.etag
    response["ETag"] = etag
    if entry.rendered_at is not None:
        response["Last-Modified"] = http_date(entry.rendered_at)
    if compressed:
        response["Content-Encoding"] = "gzip"
    if entry.gzipped is not None:
        patch_vary_headers(response, ("Accept-Encoding",))
    max_age = settings.PUBLIC_PAGE_MAX_AGE
    shared_max_age = settings.PUBLIC_PAGE_SHARED_MAX_AGE
    if searched:
        max_age = min(max_age, settings.PUBLIC_SEARCH_CACHE_SECONDS)
        shared_max_age = min(shared_max_age, settings.PUBLIC_SEARCH_CACHE_SECONDS)
    patch_cache_control(
        response,
        public=True,
        max_age=max_age,
        s_maxage=shared_max_age,
        stale_while_revalidate=settings.PUBLIC_PAGE_STALE_SECONDS,
    )
    return get_conditional_response(
        request, etag=etag, last_modified=entry.rendered_at, response=response
    )


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
