"""Account and security mail (allauth's, sign-in warnings, invitations) is an
outbox row that goes ahead of bulk mail; allauth's body, which holds one-time
keys, is kept only until it is handed over."""

from django.core import mail

from inpud_portal.models import OutboxMessage
from inpud_portal.outbox import outbox_send
from members.notifications import sign_in_warning_add
from members.services import person_invite

from ..factories import PersonFactory


def test_a_password_reset_is_an_account_row_sent_by_the_one_sender(client, asia_director):
    client.post("/en/accounts/password/reset/", {"email": asia_director.email})

    assert mail.outbox == []
    [row] = OutboxMessage.objects.all()
    assert (row.kind, row.priority) == (
        OutboxMessage.Kind.ACCOUNT,
        OutboxMessage.Priority.ACCOUNT,
    )
    assert "/en/accounts/password/reset/key/" in row.body_text

    outbox_send()

    row.refresh_from_db()
    assert row.status == OutboxMessage.Status.SENT
    assert (row.subject, row.body_text, row.body_html) == ("", "", "")
    [message] = mail.outbox
    assert message.to == [asia_director.email]
    assert "/en/accounts/password/reset/key/" in message.body


def test_account_mail_goes_ahead_of_a_mailing_queued_before_it(client, asia_director):
    OutboxMessage.objects.bulk_create(
        OutboxMessage(
            kind=OutboxMessage.Kind.ACCOUNT,
            priority=OutboxMessage.Priority.BULK,
            to_email=f"peer{n}@example.org",
            language="en",
            template="bulk",
            ref={"stored": True},
            subject="Bulk",
            body_text="Bulk",
        )
        for n in range(5)
    )
    client.post("/en/accounts/password/reset/", {"email": asia_director.email})

    outbox_send()

    assert mail.outbox[0].to == [asia_director.email]
    assert len(mail.outbox) == 6


def test_a_sign_in_warning_is_rendered_in_the_owners_language(asia_director):
    asia_director.person.preferred_language = "fr"
    asia_director.person.save()

    sign_in_warning_add(user_id=asia_director.pk, second_factor=True)
    [row] = OutboxMessage.objects.all()
    outbox_send()

    assert row.priority == OutboxMessage.Priority.ACCOUNT
    [message] = mail.outbox
    assert message.extra_headers["Content-Language"] == "fr"
    assert "/fr/accounts/password/change/" in message.body


def test_an_invitation_asked_for_twice_before_it_goes_out_is_sent_once(db):
    person = PersonFactory(user=None, email="new@example.org")

    person_invite(person=person)
    person_invite(person=person)
    outbox_send()
    person_invite(person=person)
    outbox_send()

    rows = OutboxMessage.objects.filter(kind=OutboxMessage.Kind.INVITATION)
    assert rows.count() == 2
    assert [m.to for m in mail.outbox] == [["new@example.org"]] * 2
    assert "/accounts/invitation/" in mail.outbox[0].body
