"""The shared cache of public pages (inpud_portal/page_cache.py): who gets a cached
page, what is never stored, and how soon changes show."""

import datetime
import secrets

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from inpud_portal.page_cache import GENERATION_KEY
from members.models import Network
from publications.models import Publication, Subscriber
from publications.services.publishing import publications_set_status

from ..factories import NetworkFactory
from . import page_cache_urls


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    # On by default only with Redis; these tests are about the cache itself.
    settings.PUBLIC_PAGE_CACHE_SECONDS = 300


@pytest.fixture
def library(db):
    NetworkFactory(slug="napud", acronym="NAPUD", name_en="Asian network")
    for n in range(3):
        Publication.objects.create(
            slug=f"brief-{n}",
            kind="technical-brief",
            status="published",
            published_on=datetime.date(2025, 1, 1 + n),
            title_en=f"Published brief {n}",
            title_fr=f"Note publiée {n}",
        )
    return Publication.objects.create(
        slug="draft",
        kind="statement",
        status="draft",
        published_on=datetime.date(2026, 1, 1),
        title_en="Statement on the new law",
    )


@pytest.fixture
def counted_views():
    page_cache_urls.renders.clear()
    return page_cache_urls.renders


@pytest.mark.parametrize("path", ["/en/", "/en/networks/", "/en/publications/"])
def test_it_serves_anonymous_visitors_from_the_cache(
    client, library, path, django_assert_num_queries
):
    first = client.get(path)

    with django_assert_num_queries(0):
        second = Client().get(path)

    assert second.status_code == 200
    assert second.content == first.content


def test_cached_pages_keep_the_security_headers(client, library):
    client.get("/en/networks/")

    response = Client().get("/en/networks/")

    assert response["Content-Security-Policy"].startswith("default-src 'self'")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "Permissions-Policy" in response
    assert response["Content-Language"] == "en"
    assert response["Content-Type"] == "text/html; charset=utf-8"
    # Whatever sits between the portal and the visitor must not give it to a member.
    assert "Cookie" in response["Vary"]
    assert not response.cookies


def test_a_logged_in_member_never_gets_the_cached_anonymous_page(client, library, secretariat):
    client.get("/en/")
    member = Client()
    member.force_login(secretariat)

    page = member.get("/en/").content.decode()

    assert "Log out" in page
    assert "Member login" not in page


def test_a_page_rendered_for_a_member_is_never_stored(library, secretariat):
    member = Client()
    member.force_login(secretariat)
    member.get("/en/")

    page = Client().get("/en/").content.decode()

    assert "Member login" in page
    assert "Log out" not in page


def test_each_language_is_cached_apart(client, library):
    english = client.get("/en/publications/").content.decode()

    french = Client().get("/fr/publications/").content.decode()

    assert '<html lang="en"' in english
    assert "Published brief 2" in english
    assert '<html lang="fr"' in french
    assert "Note publiée 2" in french


def test_filters_and_pages_are_cached_apart(client, library):
    everything = client.get("/en/publications/").content.decode()

    statements = client.get("/en/publications/?kind=statement").content.decode()

    assert "Published brief 0" in everything
    assert "Published brief 0" not in statements


def test_a_search_is_rendered_every_time(client, library):
    client.get("/en/publications/?q=brief")

    with CaptureQueriesContext(connection) as queries:
        client.get("/en/publications/?q=brief")

    assert len(queries) > 0


@pytest.mark.urls("tests.project.page_cache_urls")
@pytest.mark.parametrize(
    "text,kept_in",
    [
        ("Thanks for subscribing", "messages"),
        # Too long for the message cookie even compressed: Django keeps it in the session.
        ("Thanks for subscribing " + secrets.token_hex(3000), "sessionid"),
    ],
)
def test_a_visitor_with_a_message_waiting_sees_it(client, library, text, kept_in):
    client.get("/en/")
    visitor = Client()
    visitor.get("/en/leave-a-message/", {"text": text})
    assert kept_in in visitor.cookies

    page = visitor.get("/en/").content.decode()

    assert "Thanks for subscribing" in page
    assert "Thanks for subscribing" not in client.get("/en/").content.decode()


def test_publishing_shows_at_the_next_request(client, library):
    assert "Statement on the new law" not in client.get("/en/publications/").content.decode()

    publications_set_status(queryset=Publication.objects.filter(pk=library.pk), status="published")

    assert "Statement on the new law" in client.get("/en/publications/").content.decode()


def test_unpublishing_removes_it_at_the_next_request(client, library):
    client.get("/en/publications/")

    publications_set_status(
        queryset=Publication.objects.filter(slug="brief-2"), status=Publication.Status.DRAFT
    )

    assert "Published brief 2" not in client.get("/en/publications/").content.decode()


def test_an_edit_saved_in_the_admin_shows_at_the_next_request(client, library):
    client.get("/en/")
    network = Network.objects.get(slug="napud")

    network.name_en = "Network of Asian People who Use Drugs"
    network.save()

    assert "Network of Asian People who Use Drugs" in client.get("/en/").content.decode()


def test_the_cache_starts_a_new_generation_again_when_the_change_commits(
    library, django_capture_on_commit_callbacks
):
    # A page rendered between the save and the commit read the data as it was before.
    with django_capture_on_commit_callbacks(execute=True):
        Network.objects.filter(slug="napud").get().save()
        during = cache.get(GENERATION_KEY)

    assert during is not None
    assert cache.get(GENERATION_KEY) != during


def test_saving_a_subscriber_leaves_the_cache_alone(client, library):
    client.get("/en/")
    generation = cache.get(GENERATION_KEY)

    Subscriber.objects.create(
        email="reader@example.org", consent_at=timezone.now(), consent_source="test"
    )

    assert cache.get(GENERATION_KEY) == generation


def test_the_cache_can_be_turned_off(client, library, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    client.get("/en/")

    with CaptureQueriesContext(connection) as queries:
        client.get("/en/")

    assert len(queries) > 0


@pytest.mark.urls("tests.project.page_cache_urls")
def test_it_stores_a_plain_anonymous_page(client, counted_views):
    client.get("/en/plain/")
    client.get("/en/plain/")

    assert counted_views["plain"] == 1


@pytest.mark.urls("tests.project.page_cache_urls")
@pytest.mark.parametrize(
    "path,name",
    [
        ("/en/csrf/", "csrf"),
        ("/en/cookie/", "cookie"),
        ("/en/message/", "message"),
        ("/en/private/", "private"),
        ("/en/missing/", "missing"),
    ],
)
def test_it_never_stores_a_page_with_anything_personal_or_an_error(db, counted_views, path, name):
    # A fresh client each time, so no cookie set by the first answer comes back.
    first = Client().get(path)
    Client().get(path)

    assert counted_views[name] == 2
    if name == "csrf":
        assert first.cookies["csrftoken"]


@pytest.mark.redis
def test_the_redis_backend_reuses_one_client(settings):
    cache.set("page-cache-test", {"a": 1}, 10)

    assert cache.get("page-cache-test") == {"a": 1}
    assert cache._cache.get_client() is cache._cache.get_client()
