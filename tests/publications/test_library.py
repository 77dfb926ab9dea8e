"""The public library: search, filters, pages, files, citations, feeds, sitemap."""

import datetime
import hashlib
import re

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from publications.models import DownloadCount, Publication, PublicationFile, Theme

from ..sitemap import whole_sitemap

LANGUAGES = ["en", "fr", "es", "ru", "ar", "pt"]


def add_file(publication, language, fmt="pdf", content=b"%PDF-1.4 demo"):
    return PublicationFile.objects.create(
        publication=publication,
        language=language,
        format=fmt,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        file=ContentFile(content, name=f"x.{fmt}"),
    )


@pytest.fixture
def library(db):
    decriminalisation = Theme.objects.create(
        slug="decriminalisation", name_en="Decriminalisation", name_fr="Dépénalisation"
    )
    naloxone = Publication.objects.create(
        slug="naloxone-toolkit",
        kind="toolkit",
        status="published",
        published_on=datetime.date(2024, 3, 1),
        title_en="Naloxone toolkit",
        title_fr="Boîte à outils naloxone",
        summary_en="How peers distribute naloxone.",
        summary_fr="Comment les pairs distribuent la naloxone.",
        authors="INPUD; EuroNPUD",
        isbn="978-0-00-000000-2",
    )
    naloxone.themes.add(decriminalisation)
    add_file(naloxone, "en")
    add_file(naloxone, "fr")
    add_file(naloxone, "fr", "docx", b"PK demo docx")
    decrim = Publication.objects.create(
        slug="decriminalisation-statement",
        kind="statement",
        status="published",
        published_on=datetime.date(2025, 6, 26),
        title_en="Statement on decriminalisation",
        summary_en="Why decriminalisation saves lives.",
    )
    decrim.themes.add(decriminalisation)
    Publication.objects.create(
        slug="secret-draft",
        kind="report",
        status="draft",
        published_on=datetime.date(2025, 1, 1),
        title_en="Unfinished naloxone report",
    )
    return {"naloxone": naloxone, "decrim": decrim}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_library_opens_in_every_language(client, library, lang):
    response = client.get(f"/{lang}/publications/")

    assert response.status_code == 200
    assert f'<html lang="{lang}"' in response.content.decode()


def test_drafts_never_show(client, library):
    body = client.get("/en/publications/?q=naloxone").content.decode()

    assert "Naloxone toolkit" in body
    assert "Unfinished" not in body
    assert client.get("/en/publications/secret-draft/").status_code == 404


def test_the_listing_names_each_language_once(client, library):
    body = client.get("/en/publications/?kind=toolkit").content.decode()

    # French comes as a PDF and a DOCX: one language, listed once.
    assert body.count('<span lang="fr">') == 1
    assert body.count('<span lang="en">') == 1


def test_it_searches_in_french(client, library):
    body = client.get("/fr/publications/?q=naloxone").content.decode()

    assert "Boîte à outils naloxone" in body
    assert "Statement on decriminalisation" not in body


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=statement", ["Statement on decriminalisation"]),
        ("theme=decriminalisation", ["Statement on decriminalisation", "Naloxone toolkit"]),
        ("language=fr", ["Naloxone toolkit"]),
        ("year=2025", ["Statement on decriminalisation"]),
    ],
)
def test_it_filters(client, library, query, expected):
    page = client.get(f"/en/publications/?{query}").context["page"]

    assert [p.title for p in page] == expected


def test_bad_filters_are_ignored_not_an_error(client, library):
    response = client.get("/en/publications/?year=abc&kind=nonsense&page=999")

    assert response.status_code == 200


def test_the_listing_runs_constant_queries(client, db):
    def make(n):
        for i in range(n):
            p = Publication.objects.create(
                slug=f"p-{i}-{n}",
                kind="report",
                status="published",
                published_on=datetime.date(2024, 1, 1),
                title_en=f"Report {i}",
            )
            add_file(p, "en")

    make(3)
    with CaptureQueriesContext(connection) as few:
        client.get("/en/publications/")
    make(40)
    with CaptureQueriesContext(connection) as many:
        client.get("/en/publications/")

    assert len(few) == len(many)
    # A listing shows titles and summaries: long texts and search vectors stay behind.
    assert not any('"body_en"' in q["sql"] or '"search_en"' in q["sql"] for q in many)


def test_the_page_offers_the_visitors_language_first_with_sizes(client, library):
    response = client.get("/fr/publications/naloxone-toolkit/")

    files = response.context["files"]
    assert [f.language for f in files][:2] == ["fr", "fr"]
    body = response.content.decode()
    assert 'hreflang="fr"' in body
    assert "13" in body  # bytes of the demo file, shown with its size


def test_the_page_carries_scholarly_and_opengraph_metadata(client, library):
    body = client.get("/fr/publications/naloxone-toolkit/").content.decode()

    assert '<meta name="citation_title" content="Boîte à outils naloxone">' in body
    assert '<meta name="citation_publication_date" content="2024/03/01">' in body
    # One tag per author, as Highwire readers expect.
    assert '<meta name="citation_author" content="INPUD">' in body
    assert '<meta name="citation_author" content="EuroNPUD">' in body
    pdf_urls = re.findall(r'<meta name="citation_pdf_url" content="([^"]+)">', body)
    assert pdf_urls == ["http://testserver/fr/publications/naloxone-toolkit/fr.pdf"]
    assert '<meta property="og:title" content="Boîte à outils naloxone">' in body
    assert 'property="og:url" content="http://testserver/fr/publications/naloxone-toolkit/"' in body


def test_the_pdf_for_indexers_follows_the_page_language(client, library):
    english = client.get("/en/publications/naloxone-toolkit/").content.decode()
    spanish = client.get("/es/publications/naloxone-toolkit/").content.decode()

    assert re.findall(r'name="citation_pdf_url" content="([^"]+)"', english) == [
        "http://testserver/en/publications/naloxone-toolkit/en.pdf"
    ]
    # No Spanish file: the page still points indexers at a PDF of the publication.
    assert len(re.findall(r'name="citation_pdf_url"', spanish)) == 1


def test_a_regional_variant_counts_as_the_page_language(client, library):
    add_file(library["naloxone"], "pt-BR")

    response = client.get("/pt/publications/naloxone-toolkit/")

    assert response.context["files"][0].language == "pt-BR"
    assert 'hreflang="pt-BR" type="application/pdf"' in response.content.decode()
    assert "/pt/publications/naloxone-toolkit/pt-BR.pdf" in response.content.decode()
    assert client.get("/pt/publications/naloxone-toolkit/pt-BR.pdf").status_code == 200


def test_the_page_names_the_strategic_direction_it_serves(client, library):
    from governance.models import StrategicObjective, StrategicPlan

    plan = StrategicPlan.objects.create(title_en="Strategic plan", start_year=2017, end_year=2020)
    direction = StrategicObjective.objects.create(
        plan=plan, kind="direction", number=4, title_en="Advocacy and Campaigning"
    )
    Publication.objects.filter(pk=library["naloxone"].pk).update(objective=direction)

    body = client.get("/en/publications/naloxone-toolkit/").content.decode()

    assert "Strategic direction" in body and "Advocacy and Campaigning" in body


def test_a_pdf_opens_inline_and_other_files_download_in_a_sandbox(client, library):
    pdf = client.get("/fr/publications/naloxone-toolkit/fr.pdf")
    docx = client.get("/fr/publications/naloxone-toolkit/fr.docx")

    assert pdf["Content-Disposition"].startswith("inline")
    assert pdf["Content-Type"] == "application/pdf"
    assert docx["Content-Disposition"].startswith("attachment")
    for response in (pdf, docx):
        assert "sandbox" in response["Content-Security-Policy"]
        assert response["X-Content-Type-Options"] == "nosniff"


def test_the_file_address_is_stable_and_unknown_files_are_404(client, library):
    assert client.get("/en/publications/naloxone-toolkit/en.pdf").status_code == 200
    assert client.get("/en/publications/naloxone-toolkit/ru.pdf").status_code == 404
    assert client.get("/en/publications/secret-draft/en.pdf").status_code == 404


def test_downloads_are_counted_per_file_per_day_and_nothing_else(client, library):
    for _ in range(3):
        b"".join(client.get("/en/publications/naloxone-toolkit/en.pdf").streaming_content)

    [count] = DownloadCount.objects.all()
    assert count.count == 3
    assert {f.name for f in DownloadCount._meta.get_fields()} == {"id", "file", "day", "count"}


def test_it_exports_citations(client, library):
    ris = client.get("/en/publications/naloxone-toolkit/cite.ris").content.decode()
    bib = client.get("/en/publications/naloxone-toolkit/cite.bib").content.decode()

    assert (
        "TI  - Naloxone toolkit" in ris
        and "AU  - EuroNPUD" in ris
        and "SN  - 978-0-00-000000-2" in ris
    )
    assert bib.startswith("@misc{naloxonetoolkit2024,")
    assert "author = {INPUD} and {EuroNPUD}" in bib
    assert client.get("/en/publications/naloxone-toolkit/cite.xml").status_code == 404


def test_there_is_an_atom_feed_per_language(client, library):
    fr = client.get("/fr/publications/feed/").content.decode()

    assert 'xml:lang="fr"' in fr
    assert "Boîte à outils naloxone" in fr
    assert "Unfinished" not in fr


def test_the_sitemap_lists_only_translations_that_exist(client, library):
    body = whole_sitemap(client)

    assert "<loc>http://testserver/fr/publications/naloxone-toolkit/</loc>" in body
    assert "<loc>http://testserver/fr/publications/decriminalisation-statement/</loc>" not in body
    assert "<loc>http://testserver/en/publications/decriminalisation-statement/</loc>" in body
    assert "secret-draft" not in body
    alternates = re.findall(r'hreflang="([^"]+)" href="[^"]*/naloxone-toolkit/"', body)
    assert sorted(set(alternates)) == ["en", "fr"]
    assert not re.search(r'hreflang="fr" href="[^"]*/decriminalisation-statement/"', body)


def test_staff_see_the_translation_matrix(client, secretariat, library):
    client.force_login(secretariat)

    response = client.get("/admin/publications/publication/translations/")

    assert response.status_code == 200
    rows = dict(response.context["rows"])
    assert rows[library["naloxone"]][1] == (True, True, True)  # fr: title, summary, file
    assert rows[library["decrim"]][1] == (False, False, False)


def test_a_regional_file_fills_its_language_in_the_translation_matrix(client, secretariat, library):
    add_file(library["decrim"], "pt-BR")
    client.force_login(secretariat)

    rows = dict(client.get("/admin/publications/publication/translations/").context["rows"])

    assert rows[library["decrim"]][5] == (False, False, True)  # pt: a Brazilian file


def test_staff_publish_unpublish_and_disseminate(client, secretariat, library):
    client.force_login(secretariat)
    draft = Publication.objects.get(slug="secret-draft")
    before = draft.updated_at

    client.post(
        "/admin/publications/publication/", {"action": "publish", "_selected_action": [draft.pk]}
    )
    draft.refresh_from_db()
    assert draft.status == "published"
    assert draft.updated_at > before  # the sitemap's lastmod moves

    response = client.post(
        "/admin/publications/publication/",
        {"action": "disseminate", "_selected_action": [library["naloxone"].pk]},
    )
    mailing = library["naloxone"].mailings.get()
    assert response["Location"] == f"/admin/publications/mailing/{mailing.pk}/change/"
    assert mailing.subject_fr.endswith("Boîte à outils naloxone")
    assert "Naloxone toolkit" in mailing.body_text_en

    client.post(
        "/admin/publications/publication/", {"action": "unpublish", "_selected_action": [draft.pk]}
    )
    draft.refresh_from_db()
    assert draft.status == "draft"


@pytest.mark.postgres
def test_postgresql_search_understands_word_forms_per_language(client, library):
    # French stemming: "pair" finds "pairs" (and a word inside another, as in
    # "réparations", would not match).
    page = client.get("/fr/publications/?q=pair").context["page"]

    assert [p.slug for p in page] == ["naloxone-toolkit"]


@pytest.mark.postgres
def test_postgresql_search_is_served_by_the_language_index(library):
    from django.contrib.postgres.search import SearchQuery

    from publications.search_index import SEARCH_CONFIGS, search_vectors_refresh

    # Enough published rows that the status alone selects nothing useful.
    Publication.objects.bulk_create(
        Publication(
            slug=f"filler-{n}",
            kind="report",
            status="published",
            published_on=datetime.date(2020, 1, 1),
            **{f"title_{c}": "filler" for c in SEARCH_CONFIGS},
        )
        for n in range(300)
    )
    search_vectors_refresh(Publication.objects.all())
    with connection.cursor() as cursor:
        # Leave the planner only the search indexes (inside this test's transaction,
        # rolled back after): whether it can use one is the question, not which is cheapest.
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'publications_publication' "
            "AND indexname NOT LIKE 'publication_search_%%' AND indexdef NOT LIKE '%%UNIQUE%%'"
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute("ANALYZE publications_publication")
    for language, config in SEARCH_CONFIGS.items():
        query = SearchQuery("naloxone", config=config, search_type="websearch")
        queryset = Publication.objects.filter(status="published", **{f"search_{language}": query})
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            sql, params = queryset.query.sql_with_params()
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert f"publication_search_{language}" in plan, plan


@pytest.mark.postgres
def test_postgresql_search_vectors_follow_every_save(client, library):
    naloxone = library["naloxone"]
    naloxone.title_es = "Guía de naloxona"
    naloxone.save()

    page = client.get("/es/publications/?q=naloxona").context["page"]

    assert [p.slug for p in page] == ["naloxone-toolkit"]


@pytest.mark.postgres
def test_postgresql_search_ranks_a_title_match_above_a_match_in_the_text(client, db):
    for slug, title, body in [
        ("mentions-it", "Community monitoring report", "A section covers overdose prevention."),
        ("about-it", "Overdose prevention guide", "Peers lead this work."),
    ]:
        Publication.objects.create(
            slug=slug,
            kind="report",
            status="published",
            published_on=datetime.date(2024, 1, 1)
            if slug == "about-it"
            else datetime.date(2025, 1, 1),
            title_en=title,
            body_en=body,
        )

    page = client.get("/en/publications/?q=overdose").context["page"]

    # The newer publication only mentions it; the older one is about it.
    assert [p.slug for p in page] == ["about-it", "mentions-it"]


def test_authors_written_in_english_are_marked_so_on_other_pages(client, library):
    arabic = client.get("/ar/publications/naloxone-toolkit/").content.decode()
    english = client.get("/en/publications/naloxone-toolkit/").content.decode()

    assert '<dd lang="en" dir="ltr">INPUD; EuroNPUD</dd>' in arabic
    assert "<dd>INPUD; EuroNPUD</dd>" in english


def test_related_publications_share_a_theme_newest_first_in_constant_queries(
    client, db, django_assert_num_queries
):
    harm, law = (Theme.objects.create(slug=s, name_en=s.title()) for s in ("harm", "law"))
    page = Publication.objects.create(
        slug="page",
        kind="report",
        status="published",
        title_en="The page",
        published_on=datetime.date(2025, 1, 1),
    )
    page.themes.set([harm, law])

    def make(n, *, theme=harm, status="published", start=0):
        for i in range(start, start + n):
            p = Publication.objects.create(
                slug=f"rel-{status}-{theme.slug}-{i}",
                kind="report",
                status=status,
                title_en=f"Related {status} {theme.slug} {i}",
                published_on=datetime.date(2024, 1, 1) + datetime.timedelta(days=i),
            )
            p.themes.set([theme, law] if theme is harm and i % 2 else [theme])

    make(1)
    with django_assert_num_queries(6) as few:
        body = client.get("/en/publications/page/").content.decode()
    assert "Related published harm 0" in body
    # No DISTINCT over whole rows, and the teasers leave the search vectors behind:
    # only the page's own row is read with them.
    sqls = [q["sql"] for q in few.captured_queries]
    assert not any("DISTINCT" in sql for sql in sqls)
    assert sum('"search_en"' in sql for sql in sqls) == 1
    make(9, start=1)
    make(2, theme=Theme.objects.create(slug="other", name_en="Other"), start=50)
    make(2, status="draft", start=60)
    with django_assert_num_queries(len(few.captured_queries)):
        body = client.get("/fr/publications/page/").content.decode()

    related = re.findall(r"Related \w+ \w+ \d+", body.split('id="related-heading"')[1])
    # Each once although it shares two themes with the page; no draft, no stranger.
    assert related == [f"Related published harm {i}" for i in (9, 8, 7, 6)]
