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


def test_a_search_is_cached_under_its_normal_form(client, library, django_assert_num_queries):
    first = client.get("/en/publications/", {"q": "  Published   BRIEF "})

    with django_assert_num_queries(0):
        again = Client().get("/en/publications/", {"q": "published brief"})

    assert again.content == first.content
    assert "Published brief 1" in again.content.decode()


@pytest.mark.redis
def test_a_search_is_kept_for_less_time(client, library, settings):
    settings.PUBLIC_SEARCH_CACHE_SECONDS = 7
    cache.clear()

    searched = client.get("/en/publications/?q=brief")
    browsed = client.get("/en/publications/?kind=statement")

    assert "s-maxage=7" in searched["Cache-Control"]
    assert "s-maxage=7" not in browsed["Cache-Control"]
    redis = cache._cache.get_client()
    lifetimes = sorted(redis.ttl(key) for key in redis.keys("*public-page:en:*"))
    assert len(lifetimes) == 2
    assert 0 < lifetimes[0] <= 7 < lifetimes[1] <= 300


def test_the_search_words_and_filters_are_kept_apart(client, library):
    client.get("/en/publications/?q=brief")

    other = Client().get("/en/publications/?q=statement").content.decode()

    assert "Published brief 1" not in other


def test_an_unknown_query_parameter_is_rendered_every_time(client, library):
    client.get("/en/publications/?utm_source=mailing")

    with CaptureQueriesContext(connection) as queries:
        client.get("/en/publications/?utm_source=mailing")

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


MEMBERS = GENERATION_KEY.format(kind="members")
PUBLICATIONS = GENERATION_KEY.format(kind="publications")


def test_the_cache_starts_a_new_generation_again_when_the_change_commits(
    library, django_capture_on_commit_callbacks
):
    # A page rendered between the save and the commit read the data as it was before.
    with django_capture_on_commit_callbacks(execute=True):
        Network.objects.filter(slug="napud").get().save()
        during = cache.get(MEMBERS)

    assert during is not None
    assert cache.get(MEMBERS) != during


def test_saving_a_subscriber_leaves_the_cache_alone(client, library):
    client.get("/en/")
    generation = cache.get(PUBLICATIONS)

    Subscriber.objects.create(
        email="reader@example.org", consent_at=timezone.now(), consent_source="test"
    )

    assert cache.get(PUBLICATIONS) == generation


def test_a_change_of_one_kind_leaves_the_pages_of_other_kinds_cached(
    client, library, django_assert_num_queries
):
    client.get("/en/publications/")
    client.get("/en/networks/")

    Network.objects.filter(slug="napud").get().save()

    with django_assert_num_queries(0):
        Client().get("/en/publications/")
    assert "napud" in client.get("/en/networks/").content.decode().lower()


def test_a_change_of_one_kind_drops_the_pages_that_show_it(client, library):
    client.get("/en/networks/")
    network = Network.objects.get(slug="napud")

    network.name_en = "Renamed Asian network"
    network.save()

    assert "Renamed Asian network" in Client().get("/en/networks/").content.decode()


def test_a_change_to_many_to_many_links_drops_the_pages_of_both_sides(client, library):
    from publications.models import Theme

    theme = Theme.objects.create(slug="naloxone", name_en="Naloxone")
    publication = Publication.objects.get(slug="brief-0")
    client.get(f"/en/publications/{publication.slug}/")

    publication.themes.add(theme)

    assert "Naloxone" in Client().get(f"/en/publications/{publication.slug}/").content.decode()


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
