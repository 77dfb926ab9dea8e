"""A visitor: switches language and stays on the page, searches the library in
French, downloads a file, subscribes and confirms from the email received.

How each public page looks in each language and screen width is checked by
tests/browser/test_screenshots.py."""

import datetime
import hashlib
import io
import re
from pathlib import Path

import pikepdf
import pytest
from django.core.files.base import ContentFile

from publications.file_checks import sanitize_pdf
from publications.models import Audience, Publication, PublicationFile, Subscriber

from ..celery_worker import wait_until
from .conftest import E2E_MARKS, expect, screenshot

pytestmark = E2E_MARKS

TITLE_EN = "Harm reduction in prisons: a community guide"
TITLE_FR = "La réduction des risques en prison : un guide communautaire"


def pdf(pages: int) -> bytes:
    document = pikepdf.new()
    for _ in range(pages):
        document.add_blank_page()
    out = io.BytesIO()
    document.save(out)
    return sanitize_pdf(out.getvalue())


@pytest.fixture
def library(db):
    guide = Publication.objects.create(
        slug="prisons-guide",
        kind=Publication.Kind.TOOLKIT,
        title_en=TITLE_EN,
        title_fr=TITLE_FR,
        summary_en="What peer workers need to run harm reduction inside prisons.",
        summary_fr="Ce dont les pairs ont besoin pour la réduction des risques en prison.",
        published_on=datetime.date(2026, 3, 1),
        status=Publication.Status.PUBLISHED,
    )
    files = {}
    for pages, language in enumerate(("en", "fr"), start=1):
        content = pdf(pages)
        files[language] = PublicationFile.objects.create(
            publication=guide,
            language=language,
            format="pdf",
            file=ContentFile(content, name="guide.pdf"),
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
        )
    # Another publication, which the French search must not find.
    Publication.objects.create(
        slug="naloxone-statement",
        kind=Publication.Kind.STATEMENT,
        title_en="Naloxone for everyone",
        title_fr="La naloxone pour tout le monde",
        published_on=datetime.date(2026, 2, 1),
        status=Publication.Status.PUBLISHED,
    )
    Audience.objects.create(
        slug="publications",
        name_en="New publications",
        name_fr="Nouvelles publications",
        public_signup=True,
    )
    return guide, files


def test_a_visitor_reads_searches_downloads_and_subscribes_in_french(portal, new_context, library):
    guide, files = library
    page = new_context().new_page()

    # 1. The language switcher keeps the visitor on the same page.
    page.goto("/en/publications/prisons-guide/")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE_EN)
    page.get_by_role("navigation", name="Languages").get_by_role("link", name="Français").click()
    page.wait_for_url(f"{portal.url}/fr/publications/prisons-guide/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE_FR)
    screenshot(page, "visitor-publication-fr")

    # 2. The French library search finds the French publication, and only it.
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Publications"
    ).click()
    page.wait_for_url(f"{portal.url}/fr/publications/")
    # "risque" is not in any text as such: French stemming matches "risques".
    search = page.get_by_role("search")
    search.get_by_label("Rechercher").fill("risque prison")
    search.get_by_role("button", name="Rechercher").click()
    page.wait_for_url(re.compile(r"/fr/publications/\?q=risque"))
    results = page.locator("ul.card-list > li.card")
    expect(results).to_have_count(1)
    expect(results.get_by_role("link")).to_have_text(TITLE_FR)
    screenshot(page, "visitor-search-fr")

    # 3. Download the French file: the stored bytes, named, typed and in French.
    results.get_by_role("link", name=TITLE_FR).click()
    page.wait_for_url(f"{portal.url}/fr/publications/prisons-guide/")
    link = page.locator("ul.files a[hreflang=fr]")
    # A click opens the PDF in Chromium's viewer (the portal sends PDFs inline) ...
    with page.expect_response(re.compile(r"/prisons-guide/fr\.pdf$")) as response_info:
        link.click()
    response = response_info.value
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-language"] == "fr"
    assert response.headers["content-disposition"] == 'inline; filename="prisons-guide-fr.pdf"'
    page.go_back()
    # ... and Alt+click is Chromium's "download this link".
    with page.expect_download() as info:
        link.click(modifiers=["Alt"])
    download = info.value
    assert download.url == f"{portal.url}/fr/publications/prisons-guide/fr.pdf"
    assert download.suggested_filename == "prisons-guide-fr.pdf"
    saved = Path(download.path()).read_bytes()
    assert saved == files["fr"].file.open("rb").read()
    assert saved != files["en"].file.open("rb").read()

    # 4. Subscribe from the footer link; the form is in French and so is the email.
    page.get_by_role("contentinfo").get_by_role("link", name="S'abonner").click()
    page.wait_for_url(f"{portal.url}/fr/subscribe/")
    page.get_by_label("Adresse e-mail").fill("camille@example.org")
    expect(page.locator("select[name=language]")).to_have_value("fr")
    page.get_by_label("Nouvelles publications").check()
    page.locator("input[name=consent]").check()
    screenshot(page, "visitor-subscribe-fr")
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    subscriber = Subscriber.objects.get(email="camille@example.org")
    assert subscriber.confirmed_at is None

    assert wait_until(lambda: portal.messages_to("camille@example.org"), timeout=30)
    [message] = portal.messages_to("camille@example.org")
    body = message.get_body(("plain",)).get_content()
    [confirm_url] = re.findall(r"http://\S+/fr/subscribe/confirm/\S+/", body)
    assert confirm_url.startswith(portal.url)

    page.goto(confirm_url)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    screenshot(page, "visitor-subscription-confirmed-fr")
    subscriber.refresh_from_db()
    assert subscriber.confirmed_at is not None
    assert subscriber.preferred_language == "fr"
    assert subscriber.status == Subscriber.Status.ACTIVE
    assert list(subscriber.audiences.values_list("slug", flat=True)) == ["publications"]
