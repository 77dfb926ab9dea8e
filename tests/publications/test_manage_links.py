"""Manage links age out (they download and erase a subscriber's data); unsubscribe
links never do (RFC 8058); an expired manage link mails a fresh one through the
outbox without telling the visitor whether the address is still subscribed."""

import datetime
import json
import re

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone
from django.utils.formats import date_format

from inpud_portal import outbox
from inpud_portal.models import OutboxMessage
from publications.mail_messages import MANAGE_SALT, UNSUBSCRIBE_SALT, subscriber_token
from publications.models import Subscriber

from .conftest import make_subscriber

pytestmark = pytest.mark.django_db

FIVE_YEARS = datetime.timedelta(days=5 * 365)


def token_signed_ago(subscriber, age: datetime.timedelta, *, salt=MANAGE_SALT) -> str:
    with time_machine.travel(timezone.now() - age, tick=False):
        return subscriber_token(subscriber, salt=salt)


def manage_url(token: str, lang: str = "en") -> str:
    return f"/{lang}/subscription/{token}/"


def test_a_fresh_manage_link_opens_the_page_and_says_until_when(client, settings):
    settings.SUBSCRIPTION_MANAGE_LINK_DAYS = 30
    subscriber = make_subscriber("a@example.org")
    token = token_signed_ago(subscriber, datetime.timedelta(days=29, hours=23))

    response = client.get(manage_url(token))

    assert response.status_code == 200
    assert "a@example.org" in response.text
    expires = (timezone.now() + datetime.timedelta(hours=1)).date()
    assert f"works until {date_format(expires, 'DATE_FORMAT')}." in response.text


def test_a_manage_link_older_than_the_setting_has_expired(client, settings):
    settings.SUBSCRIPTION_MANAGE_LINK_DAYS = 7
    subscriber = make_subscriber("a@example.org")
    token = token_signed_ago(subscriber, datetime.timedelta(days=7, minutes=1))

    response = client.get(manage_url(token))

    assert response.status_code == 200
    assert "This link has expired" in response.text
    assert "a@example.org" not in response.text
    assert 'name="action" value="resend"' in response.text


def test_a_five_year_old_manage_link_neither_downloads_nor_erases(client):
    subscriber = make_subscriber("a@example.org")
    token = token_signed_ago(subscriber, FIVE_YEARS)

    download = client.get(manage_url(token) + "?download=1")
    client.post(manage_url(token), {"action": "erase"})
    client.post(manage_url(token), {"action": "update", "language": "pt"})

    assert download["Content-Type"].startswith("text/html")
    assert "a@example.org" not in download.text
    subscriber.refresh_from_db()
    assert subscriber.preferred_language == "en"


def test_a_five_year_old_unsubscribe_link_still_unsubscribes_with_one_click(db):
    subscriber = make_subscriber("a@example.org")
    token = token_signed_ago(subscriber, FIVE_YEARS, salt=UNSUBSCRIBE_SALT)
    client = Client(enforce_csrf_checks=True)

    page = client.get(f"/en/unsubscribe/{token}/")
    response = client.post(f"/en/unsubscribe/{token}/", {"List-Unsubscribe": "One-Click"})

    assert page.status_code == 200 and "a@example.org" in page.text
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == "unsubscribed"


def test_the_expired_page_emails_a_fresh_link_in_the_subscribers_language(client):
    subscriber = make_subscriber("ana@example.org", language="fr")
    token = token_signed_ago(subscriber, FIVE_YEARS)

    response = client.post(manage_url(token), {"action": "resend"})
    sent_page = client.get(response["Location"])
    (row,) = OutboxMessage.objects.all()
    outbox.outbox_send()

    assert response.status_code == 302 and response["Location"].endswith("?sent=1")
    assert "a new link to manage your subscription is on its way" in sent_page.text
    assert (row.kind, row.priority, row.body_text) == ("subscription", 0, "")
    (message,) = mail.outbox
    assert message.to == ["ana@example.org"]
    assert message.subject == "Votre lien pour gérer votre abonnement à INPUD"
    fresh = re.search(r"https?://[^/\s]+(/fr/subscription/\S+/)", message.body).group(1)
    data = json.loads(client.get(fresh + "?download=1").content)
    assert data["email"] == "ana@example.org"
    row.refresh_from_db()
    assert row.status == "sent"


def test_the_answer_is_the_same_whether_the_address_is_still_subscribed(client):
    kept = make_subscriber("kept@example.org")
    erased = make_subscriber("erased@example.org")
    tokens = {s.email: token_signed_ago(s, FIVE_YEARS) for s in (kept, erased)}
    erased.delete()

    answers = {}
    for email, token in tokens.items():
        response = client.post(manage_url(token), {"action": "resend"}, follow=True)
        answers[email] = response.text.replace(token, "<token>")

    assert answers["kept@example.org"] == answers["erased@example.org"]
    assert list(OutboxMessage.objects.values_list("to_email", flat=True)) == ["kept@example.org"]


def test_it_mails_at_most_one_fresh_link_an_hour(client):
    subscriber = make_subscriber("a@example.org")
    token = token_signed_ago(subscriber, FIVE_YEARS)

    for _ in range(5):
        client.post(manage_url(token), {"action": "resend"})

    assert OutboxMessage.objects.count() == 1


def test_a_subscriber_erased_before_the_fresh_link_is_sent_gets_nothing(client):
    subscriber = make_subscriber("a@example.org")
    client.post(manage_url(token_signed_ago(subscriber, FIVE_YEARS)), {"action": "resend"})
    Subscriber.objects.all().delete()

    outbox.outbox_send()

    assert mail.outbox == []
    assert OutboxMessage.objects.get().status == "suppressed"


def test_a_forged_manage_link_is_still_refused(client):
    subscriber = make_subscriber("a@example.org")

    response = client.post(manage_url(f"{subscriber.pk}:abc:def"), {"action": "resend"})

    assert response.status_code == 400
    assert not OutboxMessage.objects.exists()
