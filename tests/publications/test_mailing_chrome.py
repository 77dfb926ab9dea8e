"""A mailing without a version in the subscriber's language comes in English, but
everything the portal writes around it (footer, links, the pages they open) is in
the subscriber's language; the preview offers the mailing's own languages; the
public subscribe form offers public audiences only."""

import re

import pytest
from django.core import mail
from django.utils import translation
from django.utils.html import escape

from inpud_portal import outbox
from publications.models import Audience, Mailing
from publications.services import mailing as services

from .conftest import make_subscriber


@pytest.fixture
def english_only(members_audience, publication):
    mailing = Mailing.objects.create(
        publication=publication,
        subject_en="New brief on drug checking",
        body_text_en="Read our new brief.",
    )
    mailing.audiences.set([members_audience])
    return mailing


def send(mailing):
    assert services.mailing_send_now(mailing=mailing)
    mailing.refresh_from_db()
    services.mailing_fan_out(mailing_id=mailing.pk)
    outbox.outbox_send()


def arabic(text: str) -> str:
    with translation.override("ar"):
        translated = translation.gettext(text)
    assert translated != text
    return translated


def test_an_english_mailing_reaches_an_arabic_subscriber_with_arabic_chrome(
    client, english_only, members_audience
):
    make_subscriber("amal@example.org", language="ar", audiences=[members_audience])

    send(english_only)

    [message] = mail.outbox
    html = message.alternatives[0][0]
    assert message.subject == "New brief on drug checking"
    assert message.extra_headers["Content-Language"] == "en"
    assert '<html lang="ar" dir="rtl">' in html
    assert '<div lang="en" dir="ltr">' in html and "Read our new brief." in html
    assert escape(arabic("Unsubscribe with one click")) in html
    assert arabic("Unsubscribe with one click:") in message.body
    unsubscribe = re.search(r"<(http\S+)>", message.extra_headers["List-Unsubscribe"]).group(1)
    assert "/ar/unsubscribe/" in unsubscribe
    [manage] = re.findall(r"http\S+/subscription/\S+/", message.body)
    assert "/ar/subscription/" in manage
    # The pages those links open speak Arabic.
    path = unsubscribe.split("://", 1)[1].split("/", 1)[1]
    page = client.get("/" + path).content.decode()
    assert '<html lang="ar" dir="rtl">' in page


def test_a_subscriber_in_a_language_the_mailing_has_gets_it_unmarked(mailing, members_audience):
    make_subscriber("nour@example.org", language="ar", audiences=[members_audience])

    send(mailing)

    [message] = mail.outbox
    html = message.alternatives[0][0]
    assert message.subject == "موجز جديد عن فحص المواد"
    assert message.extra_headers["Content-Language"] == "ar"
    assert 'lang="en"' not in html


def test_the_preview_offers_only_the_mailings_languages(client, secretariat, mailing):
    client.force_login(secretariat)

    body = client.get(f"/admin/publications/mailing/{mailing.pk}/change/").content.decode()
    offered = re.findall(r"/preview/\?language=(\w+)", body)

    assert offered == ["en", "fr", "ar"]
    # Asked for a language it does not have, the preview shows English.
    spanish = client.get(f"/admin/publications/mailing/{mailing.pk}/preview/?language=es")
    assert "Read our new brief." in spanish.content.decode()


def test_the_public_subscribe_form_offers_public_audiences_only(client, members_audience, donors):
    Audience.objects.create(slug="partners", name_en="Partners", public_signup=False)

    form = client.get("/en/subscribe/").context["form"]

    assert [a.slug for a in form.fields["audiences"].queryset] == ["members"]
    body = client.get("/en/subscribe/").content.decode()
    [form_html] = [f for f in re.findall(r"<form.*?</form>", body, re.S) if "audiences" in f]
    assert "Donors" not in form_html and "Partners" not in form_html
