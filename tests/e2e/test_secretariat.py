"""The secretariat, in the admin: adds a publication with files in two languages,
publishes it, disseminates it to an audience and sends the mailing; a Celery worker
delivers it and the SMTP server receives one message per confirmed subscriber of
that audience, each in the subscriber's language (English when the mailing has no
version in theirs), and nothing for anyone else."""

import io
import re

import pikepdf
import pytest
from django.utils import translation

from inpud_portal.models import OutboxMessage
from publications.models import Audience, Mailing, Publication

from ..celery_worker import wait_until
from ..publications.conftest import make_subscriber
from .conftest import E2E_MARKS, admin_action, expect, log_in, screenshot

pytestmark = E2E_MARKS

TITLE_EN = "Peer-led drug checking: a toolkit"
TITLE_FR = "L'analyse de produits par les pairs : une boîte à outils"


def pdf_file(tmp_path, name: str, pages: int):
    document = pikepdf.new()
    for _ in range(pages):
        document.add_blank_page()
    path = tmp_path / name
    out = io.BytesIO()
    document.save(out)
    path.write_bytes(out.getvalue())
    return path


@pytest.fixture
def audiences(db):
    members = Audience.objects.create(slug="members", name_en="Member networks")
    donors = Audience.objects.create(slug="donors", name_en="Donors")
    return members, donors


@pytest.fixture
def subscribers(audiences):
    members, donors = audiences
    return {
        "expected": {
            "ana@example.org": make_subscriber("ana@example.org", audiences=[members]),
            "benoit@example.org": make_subscriber(
                "benoit@example.org", language="fr", audiences=[members]
            ),
            # No Spanish version of the mailing: she gets the English one.
            "rosa@example.org": make_subscriber(
                "rosa@example.org", language="es", audiences=[members, donors]
            ),
        },
        "not_mailed": [
            make_subscriber(
                "chloe@example.org", language="fr", audiences=[members], confirmed=False
            ),
            make_subscriber("olga@example.org", audiences=[members], status="unsubscribed"),
            make_subscriber("sami@example.org", audiences=[members], status="suppressed"),
            make_subscriber("dan@example.org", audiences=[donors]),
        ],
    }


def test_the_secretariat_publishes_and_disseminates_a_publication_in_two_languages(
    portal, new_context, secretariat, subscribers, tmp_path
):
    page = new_context().new_page()
    page.goto("/admin/")
    log_in(page, email=secretariat.email, secret=secretariat.totp_secret, used_codes=set())
    expect(page).to_have_url(f"{portal.url}/admin/")

    # 1. Add the publication: English and French titles, a PDF in each language.
    page.locator("tr.model-publication").get_by_role("link", name="Add").click()
    page.locator("#id_title_en").fill(TITLE_EN)
    page.get_by_role("tablist", name="Title: languages").get_by_role("tab", name="French").click()
    page.locator("#id_title_fr").fill(TITLE_FR)
    expect(page.locator("#id_slug")).to_have_value("peer-led-drug-checking-a-toolkit")
    page.locator("#id_kind").select_option("toolkit")
    page.locator("#id_published_on").fill("2026-11-20")
    page.locator("#id_files-0-language").fill("en")
    page.locator("#id_files-0-file").set_input_files(pdf_file(tmp_path, "toolkit-en.pdf", 1))
    page.locator("#files-group").get_by_role("button", name="Add another File").click()
    page.locator("#id_files-1-language").fill("fr")
    page.locator("#id_files-1-file").set_input_files(pdf_file(tmp_path, "toolkit-fr.pdf", 2))
    screenshot(page, "secretariat-publication-add")
    page.locator("input[name=_save]").click()
    expect(page.locator("ul.messagelist")).to_contain_text("was added successfully")
    publication = Publication.objects.get(slug="peer-led-drug-checking-a-toolkit")
    assert publication.status == Publication.Status.DRAFT
    assert publication.title_fr == TITLE_FR
    files = {f.language: f for f in publication.files.all()}
    assert sorted(files) == ["en", "fr"]
    assert {f.format for f in files.values()} == {"pdf"}
    with pikepdf.open(files["fr"].file.path) as stored:
        assert len(stored.pages) == 2

    # 2. Publish it: the public page now offers both files.
    admin_action(page, pk=publication.pk, action="publish")
    expect(page.locator("ul.messagelist")).to_contain_text("1 published.")
    public = new_context().new_page()
    public.goto(f"/fr/publications/{publication.slug}/")
    expect(public.get_by_role("heading", level=1)).to_have_text(TITLE_FR)
    expect(public.locator("ul.files a")).to_have_count(2)

    # 3. Disseminate: a draft mailing in English and French; choose the audience.
    admin_action(page, pk=publication.pk, action="disseminate")
    page.wait_for_url(re.compile(r"/admin/publications/mailing/\d+/change/"))
    mailing = Mailing.objects.get(publication=publication)
    with translation.override("fr"):
        subject_fr = translation.gettext("New from INPUD: %(title)s") % {"title": TITLE_FR}
    subject_en = f"New from INPUD: {TITLE_EN}"
    assert (mailing.subject_en, mailing.subject_fr, mailing.subject_es) == (
        subject_en,
        subject_fr,
        None,
    )
    page.locator("#id_audiences_from option", has_text="Member networks").dblclick()
    expect(page.locator("#id_audiences_to option")).to_have_text(["Member networks"])
    page.locator("input[name=_save]").click()
    expect(page.locator("ul.messagelist")).to_contain_text("was changed successfully")

    # 4. Send now: the confirmation counts the recipients before anything goes out.
    admin_action(page, pk=mailing.pk, action="send_now")
    expect(page.get_by_role("main")).to_contain_text("3 recipients")
    screenshot(page, "secretariat-mailing-confirm-send")
    assert portal.sink.collector.messages == []
    page.get_by_role("button", name="Yes, send now").click()
    expect(page.locator("ul.messagelist")).to_contain_text("sending started")

    assert wait_until(lambda: len(portal.sink.collector.messages) >= 3, timeout=60)
    assert wait_until(
        lambda: Mailing.objects.get(pk=mailing.pk).status == Mailing.Status.SENT, timeout=30
    )
    page.goto(f"/admin/publications/mailing/{mailing.pk}/progress/")
    screenshot(page, "secretariat-mailing-progress")

    received = portal.sink.collector.by_recipient()
    assert sorted(received) == sorted(subscribers["expected"])
    expected_language = {
        "ana@example.org": "en",
        "benoit@example.org": "fr",
        "rosa@example.org": "en",
    }
    for address, language in expected_language.items():
        [message] = received[address]
        assert message["Content-Language"] == language
        # Django folds a long encoded subject right after "Subject:", which leaves a
        # folding space in front once parsed; mail clients trim it.
        assert message["Subject"].strip() == (subject_fr if language == "fr" else subject_en)
        body = message.get_body(("plain",)).get_content()
        # Links lead to the pages of the subscriber's own language (whose content
        # falls back to English where it has no translation).
        own = "es" if address == "rosa@example.org" else language
        assert f"{portal.url}/{own}/publications/{publication.slug}/" in body
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert set(
        OutboxMessage.objects.filter(group=f"mailing:{mailing.pk}").values_list(
            "to_email", "status"
        )
    ) == {(address, "sent") for address in expected_language}
