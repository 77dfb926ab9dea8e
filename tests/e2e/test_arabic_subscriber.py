"""An Arabic subscriber gets a mailing that exists only in English: the content in
English, everything around it in Arabic, and the unsubscribe link opens an Arabic
page where one click ends the subscription."""

import re

from django.utils import translation

from publications.models import Audience, Mailing, Subscriber
from publications.services import mailing as mailing_services

from ..celery_worker import wait_until
from ..publications.conftest import make_subscriber
from .conftest import E2E_MARKS, expect, screenshot

pytestmark = E2E_MARKS


def arabic(text: str) -> str:
    with translation.override("ar"):
        translated = translation.gettext(text)
    assert translated != text
    return translated


def test_an_arabic_subscriber_gets_english_content_in_arabic_chrome_and_unsubscribes_in_arabic(
    portal, new_context
):
    members = Audience.objects.create(slug="members", name_en="Members", public_signup=True)
    make_subscriber("amal@example.org", language="ar", audiences=[members])
    mailing = Mailing.objects.create(
        subject_en="New brief on drug checking", body_text_en="Read our new brief."
    )
    mailing.audiences.set([members])

    # 1. The worker sends it: English content, Arabic chrome.
    assert mailing_services.mailing_send_now(mailing=mailing)
    assert wait_until(lambda: portal.messages_to("amal@example.org"), timeout=60)
    [message] = portal.messages_to("amal@example.org")
    assert message["Subject"] == "New brief on drug checking"
    assert message["Content-Language"] == "en"
    html = message.get_body(("html",)).get_content()
    text = message.get_body(("plain",)).get_content()
    assert '<html lang="ar" dir="rtl">' in html
    assert '<div lang="en" dir="ltr">' in html
    assert arabic("Unsubscribe with one click:") in text
    [unsubscribe] = re.findall(r"http://\S+/unsubscribe/\S+/", text)
    assert "/ar/unsubscribe/" in unsubscribe

    # 2. The link opens an Arabic page; one click unsubscribes.
    page = new_context().new_page()
    page.goto(unsubscribe)
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    screenshot(page, "arabic-subscriber-unsubscribe")
    page.get_by_role("button", name=arabic("Unsubscribe")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(arabic("You are unsubscribed"))
    assert Subscriber.objects.get(email="amal@example.org").status == Subscriber.Status.UNSUBSCRIBED
