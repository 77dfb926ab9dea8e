"""What the portal tells the caches on the way (inpud_portal/page_cache.py and
inpud_portal/private_responses.py): public pages may be kept and revalidated, and
compressed; nothing rendered for a person may be stored by a shared cache."""

import gzip
import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django.utils.cache import cc_delim_re

from governance.models import Election, Meeting
from governance.selectors import board_years
from pages.models import Page
from publications.models import Publication

from ..factories import NetworkFactory


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 300
    settings.PUBLIC_PAGE_MAX_AGE = 60
    settings.PUBLIC_PAGE_SHARED_MAX_AGE = 120
    settings.PUBLIC_PAGE_STALE_SECONDS = 30


@pytest.fixture
def demo(db):
    call_command("seed_demo", verbosity=0, stdout=io.StringIO())


@pytest.fixture
def network(db):
    return NetworkFactory(slug="napud", acronym="NAPUD", name_en="Asian network")


def directives(response) -> dict[str, str]:
    found = {}
    for directive in cc_delim_re.split(response.get("Cache-Control", "")):
        name, _sep, value = directive.partition("=")
        if name.strip():
            found[name.strip().lower()] = value.strip()
    return found


def demo_pages() -> list[str]:
    publication = Publication.objects.filter(status="published").first()
    meeting = Meeting.objects.exclude(status="draft").first()
    election = Election.objects.filter(status="certified").first()
    about = Page.objects.filter(placement="about", status="published").first()
    return [
        "/en/",
        "/en/networks/",
        "/ar/networks/napud/",
        "/en/publications/",
        "/en/publications/?q=drug",
        f"/en/publications/{publication.slug}/",
        "/en/publications/feed/",
        "/en/board/",
        f"/en/board/{board_years(today=timezone.localdate())[0]}/",
        "/en/meetings/",
        f"/en/meetings/{meeting.pk}/",
        f"/en/elections/{election.pk}/",
        "/en/strategy/",
        "/en/about/",
        f"/en/about/{about.slug}/",
        "/sitemap.xml",
    ]


def test_every_public_page_is_served_from_the_shared_cache(demo, django_assert_num_queries):
    for path in demo_pages():
        first = Client().get(path, follow=False)
        assert first.status_code == 200, path

        with django_assert_num_queries(0):
            again = Client().get(path)

        assert again.content == first.content, path
        assert directives(again)["public"] == "", path


def test_an_anonymous_page_may_be_kept_by_every_cache_on_the_way(network, client):
    response = client.get("/en/networks/")

    cache_control = directives(response)
    assert not response.cookies
    assert cache_control["public"] == ""
    assert cache_control["max-age"] == "60"
    assert cache_control["s-maxage"] == "120"
    assert cache_control["stale-while-revalidate"] == "30"
    assert response["ETag"].startswith('"')
    assert "Last-Modified" in response
    vary = {v.strip() for v in response["Vary"].split(",")}
    assert {"Cookie", "Accept-Encoding"} <= vary


@pytest.mark.parametrize("cache_seconds", [300, 0])
def test_a_conditional_get_is_answered_not_modified(network, client, settings, cache_seconds):
    settings.PUBLIC_PAGE_CACHE_SECONDS = cache_seconds
    first = client.get("/en/networks/")

    by_tag = Client().get("/en/networks/", headers={"If-None-Match": first["ETag"]})

    assert by_tag.status_code == 304
    assert by_tag.content == b""
    assert by_tag["ETag"] == first["ETag"]
    assert directives(by_tag)["public"] == ""


def test_a_get_since_the_page_was_stored_is_answered_not_modified(network, client):
    first = client.get("/en/networks/")

    response = Client().get("/en/networks/", headers={"If-Modified-Since": first["Last-Modified"]})

    assert response.status_code == 304


def test_a_changed_page_is_sent_again_to_a_conditional_get(network, client):
    first = client.get("/en/networks/")
    network.name_en = "Renamed network"
    network.save()

    response = Client().get("/en/networks/", headers={"If-None-Match": first["ETag"]})

    assert response.status_code == 200
    assert "Renamed network" in response.content.decode()
    assert response["ETag"] != first["ETag"]


def test_a_public_page_is_sent_compressed_to_clients_that_accept_it(network, client):
    plain = client.get("/en/networks/")

    compressed = Client().get("/en/networks/", headers={"Accept-Encoding": "gzip, br"})

    assert "Content-Encoding" not in plain
    assert compressed["Content-Encoding"] == "gzip"
    assert gzip.decompress(compressed.content) == plain.content
    assert len(compressed.content) < len(plain.content)
    # Strong tags name exact bytes: each encoding has its own.
    assert compressed["ETag"] != plain["ETag"]
    assert not compressed["ETag"].startswith("W/")


def test_a_members_page_is_never_stored_nor_compressed(asia_director):
    member = Client()
    member.force_login(asia_director)

    for path in ("/en/portal/", "/en/networks/", "/en/publications/"):
        response = member.get(path, headers={"Accept-Encoding": "gzip"})

        assert directives(response) == {"private": "", "no-store": ""}, path
        assert "Content-Encoding" not in response, path
        assert "ETag" not in response, path
        assert "Cookie" in response["Vary"], path


@pytest.mark.parametrize("path", ["/en/accounts/login/", "/en/subscribe/"])
def test_an_anonymous_page_with_a_form_token_is_never_stored(db, path):
    response = Client().get(path, headers={"Accept-Encoding": "gzip"})

    assert response.status_code == 200
    assert "csrfmiddlewaretoken" in response.content.decode()
    assert directives(response) == {"private": "", "no-store": ""}
    assert "Content-Encoding" not in response


def test_a_visitor_with_a_session_gets_a_private_answer(network):
    visitor = Client()
    visitor.cookies["sessionid"] = "not-a-session"

    response = visitor.get("/en/networks/")

    assert directives(response) == {"private": "", "no-store": ""}


def test_static_files_keep_their_own_public_headers(db, asia_director):
    member = Client()
    member.force_login(asia_director)

    response = member.get("/static/img/favicon.svg")

    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
