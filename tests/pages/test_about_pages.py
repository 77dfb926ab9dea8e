"""About pages: content the secretariat writes and translates, safe to render."""

import re

import pytest
from django.conf import settings
from django.db import IntegrityError
from django.test import Client

from pages.models import Page

from ..sitemap import whole_sitemap
from .conftest import make_page

LANGUAGES = [code for code, _name in settings.LANGUAGES]


def html_tag(response) -> str:
    return re.search(r"<html[^>]*>", response.content.decode()).group(0)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("path", ["/{lang}/about/", "/{lang}/about/history/"])
def test_it_serves_the_about_pages_in_every_language(client, history, lang, path):
    response = client.get(path.format(lang=lang))

    assert response.status_code == 200
    direction = "rtl" if lang == "ar" else "ltr"
    assert html_tag(response) == f'<html lang="{lang}" dir="{direction}">'


def test_it_shows_the_page_in_the_visitors_language(client, history):
    body = client.get("/fr/about/history/").content.decode()

    assert "<h1>Notre histoire</h1>" in body
    assert "<p>Une réunion de militants en 2006.</p>\n\n<p>La Déclaration a suivi.</p>" in body


def test_it_shows_english_marked_as_english_where_the_translation_is_missing(client, history):
    body = client.get("/fr/about/history/").content.decode()

    assert ">Un réseau de réseaux</h2>" in body  # the heading is translated
    assert (
        '<div lang="en" dir="ltr"><p>Regional membership since Kuala Lumpur, 2015.</p></div>'
        in body
    )


def test_it_marks_english_fallback_on_an_arabic_page_left_to_right(client, history):
    body = client.get("/ar/about/history/").content.decode()

    assert "<h1>تاريخنا</h1>" in body
    assert '<span lang="en" dir="ltr">Founded in Vancouver</span>' in body


def test_it_escapes_whatever_staff_type(client, db):
    make_page(
        "escaping",
        title_en="Rights <b>now</b>",
        sections=[{"heading_en": "<i>H</i>", "body_en": '<script>alert("x")</script>'}],
    )

    body = client.get("/en/about/escaping/").content.decode()

    assert "<script>alert" not in body
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body
    assert "<b>now</b>" not in body
    assert "<title>Rights &lt;b&gt;now&lt;/b&gt; ·" in body


@pytest.mark.parametrize("lang", ["en", "fr", "ar"])
def test_a_draft_page_is_not_found(client, draft, lang):
    response = client.get(f"/{lang}/about/{draft.slug}/")

    assert response.status_code == 404


def test_a_draft_page_is_listed_nowhere(client, history, draft):
    about = client.get("/en/about/").content.decode()
    page = client.get("/en/about/history/").content.decode()
    sitemap = whole_sitemap(client)

    for body in (about, page, sitemap):
        assert draft.slug not in body
        assert "Notes not ready to publish" not in body
    assert "/en/about/history/" in about


def test_the_home_page_text_has_no_about_address(client, home_text):
    assert client.get(f"/en/about/{home_text.slug}/").status_code == 404
    assert home_text.get_absolute_url() == "/en/"


def test_the_about_index_links_the_strategic_plan_rather_than_copying_it(client, history):
    body = client.get("/en/about/").content.decode()

    assert 'href="/en/strategy/"' in body
    assert 'href="/en/about/history/"' in body


def test_the_navigation_links_the_about_pages(client, db):
    body = client.get("/es/").content.decode()

    assert 'href="/es/about/"' in body


def test_the_sitemap_lists_about_pages_with_their_alternates(client, history):
    sitemap = whole_sitemap(client)

    for lang in LANGUAGES:
        assert f"<loc>http://testserver/{lang}/about/history/</loc>" in sitemap
        assert f"<loc>http://testserver/{lang}/about/</loc>" in sitemap
    assert (
        '<xhtml:link rel="alternate" hreflang="ar" href="http://testserver/ar/about/history/"/>'
        in sitemap
    )
    assert (
        '<xhtml:link rel="alternate" hreflang="x-default" '
        'href="http://testserver/about/history/"/>' in sitemap
    )


def test_there_is_only_one_home_page_text(home_text):
    with pytest.raises(IntegrityError):
        make_page("another-home", placement=Page.Placement.HOME, title_en="Another")


def test_the_secretariat_previews_a_draft_before_publishing_it(client, secretariat, draft):
    client.force_login(secretariat)

    response = client.get(f"/en/about/{draft.slug}/")

    assert response.status_code == 200
    body = response.content.decode()
    assert "Draft: only the secretariat can see this page" in body
    assert '<meta name="robots" content="noindex">' in body
    assert "no-store" in response["Cache-Control"]


def test_a_member_without_the_right_to_edit_pages_gets_no_preview(client, asia_director, draft):
    client.force_login(asia_director)

    assert client.get(f"/en/about/{draft.slug}/").status_code == 404


def test_a_published_page_has_no_draft_notice(client, history):
    body = client.get("/en/about/history/").content.decode()

    assert "Draft:" not in body
    assert "noindex" not in body


@pytest.mark.parametrize("path", ["/en/about/", "/ar/about/history/"])
def test_anonymous_visitors_get_the_about_pages_from_the_cache(
    client, history, path, django_assert_num_queries, settings
):
    # The cache is on by default only with Redis; the test's cache serves as well.
    settings.PUBLIC_PAGE_CACHE_SECONDS = 300
    first = client.get(path)

    with django_assert_num_queries(0):
        second = Client().get(path)

    assert second.status_code == 200
    assert second.content == first.content


def test_a_draft_previewed_by_staff_is_never_cached_for_visitors(
    client, secretariat, history, draft, settings
):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 300
    address = f"/en/about/{draft.slug}/"
    # A visitor first, then staff previewing, then visitors again: neither the 404
    # nor the preview may be kept for the other.
    assert Client().get(address).status_code == 404
    client.force_login(secretariat)
    preview = client.get(address)
    assert preview.status_code == 200
    assert "Secret-ish draft text." in preview.content.decode()
    assert "no-store" in preview["Cache-Control"]

    for visitor in (Client(), Client()):
        response = visitor.get(address)
        assert response.status_code == 404
        assert "Secret-ish" not in response.content.decode()
    # The index the staff member saw (with its session) is not the visitors' either,
    # and lists no draft.
    assert draft.slug not in Client().get("/en/about/").content.decode()


def test_a_page_published_after_a_visit_shows_at_the_next_request(client, history, draft):
    assert draft.slug not in client.get("/en/about/").content.decode()

    draft.status = Page.Status.PUBLISHED
    draft.save()

    assert draft.slug in Client().get("/en/about/").content.decode()
    assert Client().get(f"/en/about/{draft.slug}/").status_code == 200
