"""The sitemap index and its sections (inpud_portal/sitemaps.py): every address has
a lastmod, the publications come a year at a time, and a section costs the same
number of queries however many publications it holds."""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.test import Client

from publications.models import Publication

from ..sitemap import sitemap_sections, whole_sitemap


@pytest.fixture
def demo(db):
    call_command("seed_demo", verbosity=0, stdout=io.StringIO())


def publish(slug: str, year: int, **titles) -> Publication:
    return Publication.objects.create(
        slug=slug,
        kind="report",
        status="published",
        published_on=datetime.date(year, 6, 1),
        title_en=titles.pop("title_en", slug),
        **titles,
    )


def test_the_index_lists_each_section_with_its_lastmod(client, demo):
    publish("old-report", 2011)

    index = client.get("/sitemap.xml").content.decode()

    sections = sitemap_sections(client)
    for name in ("pages", "about", "networks", "meetings", "elections", "publications-2011"):
        assert f"/sitemap-{name}.xml" in sections
    assert index.count("<sitemap>") == len(sections)
    for name in ("pages", "about", "networks", "meetings", "elections"):
        assert re.search(rf"sitemap-{name}\.xml</loc><lastmod>\d{{4}}-", index), name


def test_every_address_in_every_section_has_a_lastmod(client, demo):
    for path in sitemap_sections(client):
        body = client.get(path).content.decode()
        urls = re.findall(r"<url>.*?</url>", body, re.DOTALL)

        assert urls, path
        assert all(re.search(r"<lastmod>\d{4}-\d\d-\d\d</lastmod>", url) for url in urls), path


def test_publications_are_listed_under_the_year_they_were_published(client, db):
    publish("report-2019", 2019, title_fr="Rapport 2019")
    publish("report-2024", 2024)

    in_2019 = client.get("/sitemap-publications-2019.xml").content.decode()

    assert "<loc>http://testserver/en/publications/report-2019/</loc>" in in_2019
    assert "<loc>http://testserver/fr/publications/report-2019/</loc>" in in_2019
    assert (
        '<xhtml:link rel="alternate" hreflang="fr" '
        'href="http://testserver/fr/publications/report-2019/"/>' in in_2019
    )
    assert "report-2024" not in in_2019
    assert "report-2024" in whole_sitemap(client)


def test_a_draft_is_in_no_section(client, db):
    publish("report-2019", 2019)
    Publication.objects.create(
        slug="secret-draft", kind="report", status="draft", published_on=datetime.date(2019, 1, 1)
    )

    assert "secret-draft" not in whole_sitemap(client)


def test_the_index_lists_every_year_from_the_first_publication_to_the_last(client, db):
    publish("first", 2019)
    publish("last", 2021)

    sections = sitemap_sections(client)

    assert [s for s in sections if "publications" in s] == [
        "/sitemap-publications-2019.xml",
        "/sitemap-publications-2020.xml",
        "/sitemap-publications-2021.xml",
    ]


def test_a_section_costs_the_same_queries_however_many_it_holds(
    db, settings, django_assert_max_num_queries
):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    publish("first", 2020)
    with django_assert_max_num_queries(2):
        small = Client().get("/sitemap-publications-2020.xml")
    Publication.objects.bulk_create(
        Publication(
            slug=f"bulk-{n}",
            kind="report",
            status="published",
            published_on=datetime.date(2020, 1, 1),
            title_en=f"Bulk {n}",
        )
        for n in range(300)
    )

    with django_assert_max_num_queries(2):
        large = Client().get("/sitemap-publications-2020.xml")

    assert small.content.count(b"<url>") == 1
    assert large.content.count(b"<url>") == 301


def test_an_unknown_section_is_not_found(client, db):
    assert client.get("/sitemap-nothing.xml").status_code == 404
    assert client.get("/sitemap-publications-1900.xml").content.count(b"<url>") == 0
