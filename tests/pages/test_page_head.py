"""Every public page's head: canonical link, hreflang alternates with x-default,
OpenGraph tags that the page fills in, and the right lang and dir."""

import datetime
import re

import pytest
from django.conf import settings

from publications.models import Publication

LANGUAGES = [code for code, _name in settings.LANGUAGES]


def head(response) -> str:
    return response.content.decode().split("</head>")[0]


def meta(body: str, prop: str) -> list[str]:
    return re.findall(rf'<meta property="{re.escape(prop)}" content="([^"]*)">', body)


@pytest.fixture
def report(db):
    return Publication.objects.create(
        slug="peer-report",
        kind=Publication.Kind.REPORT,
        title_en="Peer report",
        summary_en="What peers found.",
        published_on=datetime.date(2026, 3, 1),
        status=Publication.Status.PUBLISHED,
    )


PAGES = [
    "/{lang}/",
    "/{lang}/about/",
    "/{lang}/about/history/",
    "/{lang}/networks/",
    "/{lang}/networks/napud/",
    "/{lang}/board/",
    "/{lang}/meetings/",
    "/{lang}/publications/",
    "/{lang}/publications/peer-report/",
    "/{lang}/subscribe/",
    "/{lang}/accounts/login/",
]


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("path", PAGES)
def test_every_public_page_has_canonical_alternates_and_opengraph(
    client, history, napud, report, lang, path
):
    address = path.format(lang=lang)
    response = client.get(address)
    assert response.status_code == 200
    body = head(response)

    canonical = f"http://testserver{address}"
    assert body.count('rel="canonical"') == 1
    assert f'<link rel="canonical" href="{canonical}">' in body
    for code in LANGUAGES:
        expected = f"http://testserver{path.format(lang=code)}"
        assert f'<link rel="alternate" hreflang="{code}" href="{expected}">' in body
    neutral = "http://testserver" + path.format(lang="").replace("//", "/", 1)
    assert f'<link rel="alternate" hreflang="x-default" href="{neutral}">' in body
    assert meta(body, "og:url") == [canonical]
    assert meta(body, "og:title")[0]
    assert meta(body, "og:description")[0]
    assert meta(body, "og:type") in (["website"], ["article"])
    assert meta(body, "og:locale") == ["ar_AR" if lang == "ar" else "en_GB"]
    assert len(meta(body, "og:locale:alternate")) == len(LANGUAGES) - 1
    html = re.search(r"<html[^>]*>", body).group(0)
    assert html == f'<html lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}">'


def test_the_x_default_address_sends_visitors_to_their_language(client, history):
    response = client.get("/about/history/", headers={"accept-language": "ar"})

    assert response.status_code == 302
    assert response["Location"] == "/ar/about/history/"


def test_the_canonical_address_leaves_out_the_query_string(client, db):
    body = head(client.get("/fr/publications/?q=naloxone&kind=toolkit"))

    assert '<link rel="canonical" href="http://testserver/fr/publications/">' in body
    assert '<link rel="alternate" hreflang="es" href="http://testserver/es/publications/">' in body


def test_a_page_fills_in_its_own_title_and_description(client, history):
    body = head(client.get("/fr/about/history/"))

    assert meta(body, "og:title") == ["Notre histoire"]
    assert meta(body, "og:description") == ["Fondé à Vancouver en 2006."]
    assert meta(body, "og:type") == ["article"]
    assert "<title>Notre histoire · " in body


def test_fallback_text_in_the_title_is_plain_text(client, report):
    # The title exists only in English: the body marks it lang="en", the head cannot.
    body = head(client.get("/fr/publications/peer-report/"))

    assert "<title>Peer report · " in body
    assert meta(body, "og:title") == ["Peer report"]
    assert "<span" not in body


def test_a_publication_with_a_cover_offers_it_as_the_preview_image(client, report):
    assert meta(head(client.get("/en/publications/peer-report/")), "og:image") == []
    report.cover.name = "covers/peer-report.png"
    report.save()

    body = head(client.get("/en/publications/peer-report/"))

    assert meta(body, "og:image") == ["http://testserver/covers/peer-report/peer-report.png"]
    assert meta(body, "og:type") == ["article"]


def test_a_missing_page_has_no_canonical_link(client, db):
    body = head(client.get("/en/no-such-page/"))

    assert "canonical" not in body
    assert "hreflang" not in body
    assert "og:url" not in body


def test_the_head_and_the_switcher_resolve_the_address_once(client, napud, monkeypatch):
    # translate_url() resolved the address again for every language and every
    # link: 13 resolves on each page, a tenth of a cache miss's Python calls.
    from django import urls

    from inpud_portal.templatetags import site_tags

    resolved = []
    monkeypatch.setattr(
        site_tags, "resolve", lambda path: resolved.append(path) or urls.resolve(path)
    )
    monkeypatch.setattr(urls, "translate_url", lambda *a: pytest.fail("translate_url called"))

    body = client.get("/fr/networks/napud/?page=2").content.decode()

    assert resolved == ["/fr/networks/napud/"]
    alternate = '<link rel="alternate" hreflang="ar" href="http://testserver/ar/networks/napud/">'
    assert alternate in body
    assert 'href="/pt/networks/napud/?page=2" hreflang="pt"' in body
