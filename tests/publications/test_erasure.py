"""Erasing a subscriber keeps the promise (issue 11, point 5): staff see what will be
erased and confirm; a suppressed address stays suppressed afterwards as a keyed hash,
never the address, and importing or subscribing it again is refused."""

import pytest

from inpud_portal.models import OutboxMessage
from publications.models import Audience, Subscriber, SuppressedAddress
from publications.services import subscribers as services
from publications.suppression import address_digest

from .conftest import make_subscriber

CSV = "email,name,language,audiences\n{email},Someone,en,members\n"


@pytest.fixture
def members(db):
    return Audience.objects.create(slug="members", name_en="Member networks")


@pytest.fixture
def complained(members):
    subscriber = make_subscriber("Kim@Example.org", audiences=[members])
    services.subscriber_record_bounce(email="kim@example.org", kind="complaint")
    subscriber.refresh_from_db()
    return subscriber


def erase_in_the_admin(client, subscriber):
    data = {"action": "erase", "_selected_action": [subscriber.pk]}
    confirmation = client.post("/admin/publications/subscriber/", data)
    done = client.post("/admin/publications/subscriber/", data | {"confirm": "yes"}, follow=True)
    return confirmation.content.decode(), done.content.decode()


def test_it_shows_what_will_be_erased_before_erasing(client, secretariat, complained):
    client.force_login(secretariat)

    confirmation = client.post(
        "/admin/publications/subscriber/",
        {"action": "erase", "_selected_action": [complained.pk]},
    ).content.decode()

    assert "Kim@Example.org" in confirmation
    assert "Member networks" in confirmation
    assert "A keyed hash of the address and the reason (complaint)" in confirmation
    assert Subscriber.objects.filter(pk=complained.pk).exists()


def test_an_erased_suppressed_address_is_kept_as_a_keyed_hash_only(client, secretariat, complained):
    client.force_login(secretariat)

    _confirmation, done = erase_in_the_admin(client, complained)

    assert "Erased 1 subscriber. 1 address stays suppressed, kept as a keyed hash only." in done
    assert not Subscriber.objects.exists()
    kept = SuppressedAddress.objects.get()
    assert kept.reason == "complaint"
    assert kept.digest == address_digest("kim@example.org")
    stored = " ".join(str(value) for value in vars(kept).values()).lower()
    assert "kim" not in stored and "example.org" not in stored


def test_erasing_an_active_subscriber_keeps_nothing(client, secretariat, members):
    subscriber = make_subscriber("lee@example.org", audiences=[members])
    client.force_login(secretariat)

    erase_in_the_admin(client, subscriber)

    assert not Subscriber.objects.exists()
    assert not SuppressedAddress.objects.exists()


def test_importing_an_erased_suppressed_address_is_refused_with_the_reason(complained):
    services.subscriber_erase(subscriber=complained)

    report = services.subscribers_import_check(data=CSV.format(email="KIM@example.org"))

    assert report.valid == []
    [(line, email, reason)] = report.rejected
    assert (line, email) == (2, "KIM@example.org")
    assert "suppressed (complaint) before it was erased" in reason


def test_subscribing_an_erased_suppressed_address_mails_nothing(complained, members):
    services.subscriber_erase(subscriber=complained)
    OutboxMessage.objects.all().delete()

    services.subscription_request(
        email="kim@example.org",
        name="",
        language="en",
        audiences=[members],
        consent_text="I agree",
    )

    assert not Subscriber.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_the_admin_offers_no_plain_delete_of_subscribers(client, secretariat, complained):
    client.force_login(secretariat)

    page = client.get("/admin/publications/subscriber/").content.decode()

    assert 'value="erase"' in page
    assert 'value="delete_selected"' not in page


def test_erasing_also_deletes_the_subscription_emails_that_carry_the_address(
    client, secretariat, members
):
    subscriber = make_subscriber("sam@example.org", audiences=[members])
    OutboxMessage.objects.create(
        kind=OutboxMessage.Kind.SUBSCRIPTION,
        to_email="Sam@example.org",
        language="en",
        template="publications/email/confirm_subscription",
        subject="Confirm",
        body_text="Hello Sam, confirm: https://example.org/confirm",
    )
    OutboxMessage.objects.create(
        kind=OutboxMessage.Kind.SUBSCRIPTION,
        to_email="sam@example.org",
        language="en",
        template="publications/email/manage_link",
        ref={"subscriber": subscriber.pk},
    )
    client.force_login(secretariat)
    confirmation, _done = erase_in_the_admin(client, subscriber)
    assert not OutboxMessage.objects.filter(to_email__iexact="sam@example.org").exists()
