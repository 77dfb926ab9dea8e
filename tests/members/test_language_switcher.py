"""The language switcher keeps the visitor on the same page: the same view with the
same slugs and ids, the same query string, in the chosen language."""

import html
import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import resolve
from django.utils import translation

from members.models import User

from ..factories import enable_totp
from ..sitemap import whole_sitemap

LANGUAGES = [code for code, _name in settings.LANGUAGES]
SWITCHER = re.compile(r'<a href="([^"]+)" hreflang="([\w-]+)" lang="[\w-]+"')
MEMBER_PAGES = [
    "/fr/portal/",
    "/fr/portal/networks/napud/?sort=country&page=2",
    "/fr/portal/profile/",
    "/fr/portal/elections/",
    "/fr/accounts/2fa/reauthenticate/?next=%2Ffr%2Faccounts%2Fpassword%2Fchange%2F",
    "/fr/accounts/2fa/",
]


def switcher_links(response) -> dict[str, str]:
    links = SWITCHER.findall(response.content.decode())
    return {lang: html.unescape(url) for url, lang in links}


def assert_same_page(original: str, links: dict[str, str]):
    assert sorted(links) == sorted(LANGUAGES), original
    source = urlsplit(original)
    with translation.override(original.split("/")[1]):
        match = resolve(source.path)
    for lang, link in links.items():
        target = urlsplit(link)
        assert target.path.startswith(f"/{lang}/"), (original, link)
        assert target.query == source.query, (original, link)
        with translation.override(lang):
            other = resolve(target.path)
        assert (other.view_name, other.kwargs) == (match.view_name, match.kwargs), link


@pytest.fixture
def demo(db):
    call_command("seed_demo", verbosity=0)


def test_it_keeps_every_public_page_in_every_language(client, demo):
    sitemap = whole_sitemap(client)
    paths = {urlsplit(loc).path for loc in re.findall(r"<loc>([^<]+)</loc>", sitemap)}
    paths = {p for p in paths if p.startswith("/es/")}
    paths |= {"/es/publications/?q=drogas&page=1", "/es/networks/napud/?ref=a&b=%C3%A9"}
    assert len(paths) > 10

    for path in sorted(paths):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_same_page(path, switcher_links(response))


def test_it_keeps_every_member_page(client, demo):
    director = User.objects.get(email="director.napud@example.org")
    enable_totp(director)
    client.force_login(director)

    for path in MEMBER_PAGES:
        response = client.get(path)
        assert response.status_code == 200, path
        assert_same_page(path, switcher_links(response))


def test_on_a_missing_page_it_still_changes_the_language(client, db):
    response = client.get("/ru/networks/no-such-network/?x=1")

    assert response.status_code == 404
    links = switcher_links(response)
    assert links["fr"] == "/fr/networks/no-such-network/?x=1"
    assert links["ar"] == "/ar/networks/no-such-network/?x=1"
