"""Double opt-in, one-click unsubscribe, preferences, bounces, import, and a
subscriber's own data."""

import json
import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import translation

from publications.mail_messages import MANAGE_SALT, UNSUBSCRIBE_SALT, subscriber_token
from publications.models import Audience, Subscriber
from publications.services import subscribers as services

from .conftest import make_subscriber

pytestmark = pytest.mark.django_db


def subscribe(client, email, lang="fr", **extra):
    data = {"email": email, "name": "Ana", "language": lang, "consent": "on"} | extra
    return client.post(f"/{lang}/subscribe/", data)


def link_in(message) -> str:
    return re.search(r"https?://[^/\s]+(/\S+/subscribe/confirm/\S+/)", message.body).group(1)


def test_subscribing_sends_a_confirmation_in_the_visitors_language(
    client, members_audience, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = subscribe(client, "ana@example.org", audiences=[members_audience.pk])

    assert response.status_code == 200
    [message] = mail.outbox
    with translation.override("fr"):
        assert message.subject == translation.gettext(
            "Confirm your subscription to INPUD's mailings"
        )
    subscriber = Subscriber.objects.get()
    assert subscriber.confirmed_at is None
    assert subscriber.consent_source.startswith("subscribe form:")

    client.post(link_in(message))
    assert list(subscriber.audiences.all()) == [members_audience]


CONFIRM_SUBJECTS = {
    "en": "Confirm your subscription to INPUD's mailings",
    "fr": "Confirmez votre abonnement aux e-mails d'INPUD",
    "es": "Confirme su suscripción a los correos de INPUD",
    "ru": "Подтвердите подписку на рассылку INPUD",
    "ar": "أكِّد اشتراكك في رسائل INPUD البريدية",
    "pt": "Confirme a sua subscrição dos e-mails da INPUD",
}


@pytest.mark.parametrize("lang", sorted(CONFIRM_SUBJECTS))
def test_a_visitor_subscribes_and_confirms_in_each_language(
    client, lang, django_capture_on_commit_callbacks
):
    assert client.get(f"/{lang}/subscribe/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        subscribe(client, f"{lang}@example.org", lang=lang)

    [message] = mail.outbox
    assert message.subject == CONFIRM_SUBJECTS[lang]
    html = message.alternatives[0][0]
    assert f'lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}"' in html
    link = link_in(message)
    assert link.startswith(f"/{lang}/")
    assert client.post(link).status_code == 200
    subscriber = Subscriber.objects.get()
    assert subscriber.confirmed_at is not None and subscriber.preferred_language == lang


def test_confirming_takes_a_button_press_not_a_link_visit(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        subscribe(client, "ana@example.org")
    link = link_in(mail.outbox[0])

    client.get(link)
    assert Subscriber.objects.get().confirmed_at is None

    response = client.post(link)
    assert response.status_code == 200
    assert Subscriber.objects.get().confirmed_at is not None


def test_the_form_answers_the_same_for_known_and_unknown_addresses(
    client, django_capture_on_commit_callbacks
):
    make_subscriber("known@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        known = subscribe(client, "known@example.org")
        unknown = subscribe(client, "unknown@example.org")

    assert known.status_code == unknown.status_code == 200
    assert known.content.replace(b"known@", b"X@").replace(
        b"unX@", b"X@"
    ) == unknown.content.replace(b"unknown@", b"X@")


def test_a_stranger_typing_a_subscribers_address_changes_nothing_until_it_is_confirmed(
    client, members_audience, donors, django_capture_on_commit_callbacks
):
    newsletter = Audience.objects.create(slug="news", name_en="News", public_signup=True)
    subscriber = make_subscriber("ana@example.org", language="es", audiences=[donors])

    with django_capture_on_commit_callbacks(execute=True):
        subscribe(client, "ana@example.org", audiences=[members_audience.pk, newsletter.pk])

    subscriber.refresh_from_db()
    assert subscriber.preferred_language == "es"
    assert list(subscriber.audiences.all()) == [donors]
    # Ana herself confirms: now her choice applies, and staff's audience stays.
    client.post(link_in(mail.outbox[0]))
    subscriber.refresh_from_db()
    assert subscriber.preferred_language == "fr"
    assert {a.slug for a in subscriber.audiences.all()} == {"donors", "members", "news"}


def test_a_confirmation_link_cannot_carry_a_staff_only_audience(client, donors):
    from django.core import signing

    subscriber = make_subscriber("ana@example.org", confirmed=False)
    token = signing.dumps(
        {"id": subscriber.pk, "language": "en", "audiences": [donors.pk]},
        salt=services.CONFIRM_SALT,
    )

    client.post(f"/en/subscribe/confirm/{token}/")

    assert not subscriber.audiences.exists()


def test_a_bad_subscription_is_refused_with_a_message(client):
    response = client.post("/en/subscribe/", {"email": "not-an-email", "language": "xx"})

    assert response.status_code == 200
    assert set(response.context["form"].errors) >= {"email", "language", "consent"}
    assert not Subscriber.objects.exists()


def test_a_get_on_the_unsubscribe_link_only_asks(client):
    subscriber = make_subscriber("a@example.org")
    token = subscriber_token(subscriber, salt=UNSUBSCRIBE_SALT)

    response = client.get(f"/en/unsubscribe/{token}/")

    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == "active"


def test_a_one_click_post_unsubscribes_at_once_without_login_or_csrf_token(db):
    subscriber = make_subscriber("a@example.org")
    token = subscriber_token(subscriber, salt=UNSUBSCRIBE_SALT)
    client = Client(enforce_csrf_checks=True)

    response = client.post(f"/en/unsubscribe/{token}/", {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == "unsubscribed"


def test_a_forged_token_unsubscribes_nobody(client):
    subscriber = make_subscriber("a@example.org")

    response = client.post(f"/en/unsubscribe/{subscriber.pk}/")

    assert response.status_code == 400
    subscriber.refresh_from_db()
    assert subscriber.status == "active"


def test_a_subscriber_changes_language_downloads_and_erases_their_data(client, members_audience):
    subscriber = make_subscriber("a@example.org", audiences=[members_audience])
    url = f"/en/subscription/{subscriber_token(subscriber, salt=MANAGE_SALT)}/"

    client.post(url, {"action": "update", "language": "pt", "audiences": [members_audience.pk]})
    subscriber.refresh_from_db()
    assert subscriber.preferred_language == "pt"
    assert list(subscriber.audiences.all()) == [members_audience]

    data = json.loads(client.get(url + "?download=1").content)
    assert data["email"] == "a@example.org" and data["preferred_language"] == "pt"

    client.post(url, {"action": "erase"})
    assert not Subscriber.objects.exists()


def test_saving_preferences_keeps_the_audiences_staff_assigned(client, members_audience, donors):
    subscriber = make_subscriber("a@example.org", audiences=[members_audience, donors])
    url = f"/en/subscription/{subscriber_token(subscriber, salt=MANAGE_SALT)}/"

    # Donors is not offered on the form; unticking "members" leaves only donors.
    client.post(url, {"action": "update", "language": "en"})

    assert list(subscriber.audiences.all()) == [donors]


def test_a_hard_bounce_or_complaint_suppresses_at_once_soft_bounces_after_three(db):
    hard = make_subscriber("hard@example.org")
    soft = make_subscriber("soft@example.org")
    complaint = make_subscriber("angry@example.org")

    services.subscriber_record_bounce(email="hard@example.org", kind="hard")
    services.subscriber_record_bounce(email="angry@example.org", kind="complaint")
    for _ in range(2):
        services.subscriber_record_bounce(email="soft@example.org", kind="soft")
    soft.refresh_from_db()
    assert soft.status == "active"
    services.subscriber_record_bounce(email="soft@example.org", kind="soft")

    for subscriber in (hard, soft, complaint):
        subscriber.refresh_from_db()
        assert subscriber.status == "suppressed"


CSV = """email,name,language,audiences
good@example.org,Good,fr,members
not-an-email,Bad,fr,members
odd@example.org,Odd,xx,members
good@example.org,Twice,es,members
known@example.org,Known,en,members
nobody@example.org,Nobody,en,astronauts
second@example.org,Second,ar,members;donors
"""


@pytest.fixture
def known(members_audience, donors):
    return make_subscriber("known@example.org")


def test_an_import_reports_every_rejected_row_with_its_reason(known):
    report = services.subscribers_import_check(data=CSV)

    assert [r["email"] for r in report.valid] == ["good@example.org", "second@example.org"]
    reasons = {line: reason for line, _email, reason in report.rejected}
    assert reasons[3] == "not a valid email address"
    assert reasons[4].startswith("unknown language")
    assert reasons[5] == "appears twice in the file"
    assert reasons[6] == "already a subscriber"
    assert reasons[7].startswith("unknown audience")
    assert Subscriber.objects.count() == 1  # checking changes nothing


def test_an_import_brings_in_all_valid_rows_at_once(known):
    report = services.subscribers_import(data=CSV, consent_record="2026 partners list")

    assert report.imported == 2
    second = Subscriber.objects.get(email="second@example.org")
    assert second.preferred_language == "ar"
    assert {a.slug for a in second.audiences.all()} == {"members", "donors"}
    assert second.consent_source == "import: 2026 partners list"
    assert second.confirmed_at is not None


def test_the_admin_import_shows_the_report_before_importing(client, secretariat, known):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(secretariat)
    upload = SimpleUploadedFile("list.csv", CSV.encode(), content_type="text/csv")

    response = client.post(
        "/admin/publications/subscriber/import/", {"file": upload, "consent_record": "forms kept"}
    )

    body = response.content.decode()
    assert "2 rows can be imported; 5 are rejected." in body
    assert "appears twice in the file" in body
    assert Subscriber.objects.count() == 1


def test_an_address_that_subscribes_mid_import_stops_the_whole_import(known, monkeypatch):
    from django.core.exceptions import ValidationError

    checked = services.subscribers_import_check(data=CSV)
    # Between the check and the writes, "second@" subscribed through the form.
    make_subscriber("second@example.org")
    monkeypatch.setattr(services, "subscribers_import_check", lambda data: checked)

    with pytest.raises(ValidationError):
        services.subscribers_import(data=CSV, consent_record="2026 partners list")

    # "good@" came first in the file and was written before the clash: rolled back.
    assert not Subscriber.objects.filter(email="good@example.org").exists()


def test_the_admin_imports_only_the_file_it_checked(client, secretariat, known):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(secretariat)
    url = "/admin/publications/subscriber/import/"
    checked = client.post(
        url, {"file": SimpleUploadedFile("a.csv", CSV.encode()), "consent_record": "forms"}
    ).context["report"]
    other = CSV + "third@example.org,Third,pt,members\n"

    response = client.post(
        url,
        {
            "file": SimpleUploadedFile("b.csv", other.encode()),
            "consent_record": "forms",
            "confirm": "yes",
            "checked": checked.checked,
        },
    )
    assert "This is not the file you checked" in response.content.decode()
    assert Subscriber.objects.count() == 1

    client.post(
        url,
        {
            "file": SimpleUploadedFile("a.csv", CSV.encode()),
            "consent_record": "forms",
            "confirm": "yes",
            "checked": checked.checked,
        },
    )
    assert sorted(Subscriber.objects.values_list("email", flat=True)) == [
        "good@example.org",
        "known@example.org",
        "second@example.org",
    ]


def test_the_mail_provider_reports_bounces_with_its_token(client, settings):
    settings.BOUNCE_WEBHOOK_TOKEN = "s3cret-token"
    subscriber = make_subscriber("gone@example.org")
    url = "/mail/bounces"

    refused = client.post(
        url, {"email": "gone@example.org", "type": "hard"}, content_type="application/json"
    )
    wrong = client.post(
        url,
        {"email": "gone@example.org", "type": "hard"},
        content_type="application/json",
        headers={"authorization": "Bearer nope"},
    )
    bad = client.post(
        url,
        {"email": "gone@example.org", "type": "lost"},
        content_type="application/json",
        headers={"authorization": "Bearer s3cret-token"},
    )
    subscriber.refresh_from_db()
    assert (refused.status_code, wrong.status_code, bad.status_code) == (401, 401, 400)
    assert subscriber.status == "active"

    ok = client.post(
        url,
        {"email": "gone@example.org", "type": "hard"},
        content_type="application/json",
        headers={"authorization": "Bearer s3cret-token"},
    )
    unknown = client.post(
        url,
        {"email": "who@example.org", "type": "hard"},
        content_type="application/json",
        headers={"authorization": "Bearer s3cret-token"},
    )
    subscriber.refresh_from_db()
    assert ok.json() == unknown.json() == {"recorded": True}
    assert subscriber.status == "suppressed"
