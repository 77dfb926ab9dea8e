"""The sender's PostgreSQL path, in this process against a real SMTP server: the
claim in one UPDATE ... RETURNING, the hand-over mark written from a second
connection while the envelope goes out, and accepted messages recorded in batches.
(Tests inside a transaction take the one-connection path: a second connection
would not see their rows.)"""

import datetime

import pytest
from django.utils import timezone

from inpud_portal import mail_rate, outbox
from inpud_portal.models import OutboxMessage

from ..smtp_sink import Collector, SmtpSink

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
S = OutboxMessage.Status


class Refusing(Collector):
    """Refuses, at RCPT, every address that starts with "gone"."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 - aiosmtpd's hook name
        if address.startswith("gone"):
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"


@pytest.fixture
def sink(settings, monkeypatch):
    server = SmtpSink()
    server.collector = Refusing()
    server.controller.handler = server.collector
    with server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = server.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.MAIL_RATE_PER_SECOND = 100_000
        monkeypatch.setattr(mail_rate, "_window", mail_rate.LocalWindow())
        yield server


def account_mail(to: str, **fields) -> OutboxMessage:
    return OutboxMessage(
        kind=OutboxMessage.Kind.ACCOUNT,
        priority=fields.pop("priority", OutboxMessage.Priority.ACCOUNT),
        to_email=to,
        language="en",
        template="account/email/password_reset_key",
        # Carries its own body, as allauth's rows do (members/adapters.py).
        ref={"stored": True},
        subject=f"Reset for {to}",
        body_text="A one-time link",
        **fields,
    )


def test_the_claim_takes_the_most_urgent_claimable_rows_in_one_statement(
    django_assert_num_queries,
):
    now = timezone.now()
    OutboxMessage.objects.bulk_create(
        [
            account_mail("bulk1@example.org", priority=OutboxMessage.Priority.BULK),
            account_mail("later@example.org", not_before=now + datetime.timedelta(minutes=5)),
            account_mail("held@example.org", lease_owner="other", lease_until=now + outbox.LEASE),
            account_mail("urgent@example.org"),
            account_mail("bulk2@example.org", priority=OutboxMessage.Priority.BULK),
            account_mail("sent@example.org", status=S.SENT),
        ]
    )

    with django_assert_num_queries(1):
        claimed = outbox.outbox_claim(owner="me", limit=2)

    assert [row.to_email for row in claimed] == ["urgent@example.org", "bulk1@example.org"]
    assert all(row.lease_owner == "me" and row.lease_until > now for row in claimed)
    # Whole rows, fields converted as the ORM would.
    assert (
        claimed[0].ref == {"stored": True} and claimed[0].subject == "Reset for urgent@example.org"
    )
    assert [row.to_email for row in outbox.outbox_claim(owner="you", limit=10)] == [
        "bulk2@example.org"
    ]


def test_every_row_is_sent_once_and_recorded_in_batches(sink, django_assert_max_num_queries):
    OutboxMessage.objects.bulk_create(
        account_mail(f"peer{n}@example.org", priority=OutboxMessage.Priority.BULK)
        for n in range(250)
    )

    # Per claim of up to 200 rows: the claim, and the accepted rows recorded in
    # batches; the hand-over marks go through the sender's second connection.
    with django_assert_max_num_queries(20):
        report = outbox.outbox_send()

    assert report.sent == 250
    received = sink.collector.by_recipient()
    assert sorted(received) == sorted(f"peer{n}@example.org" for n in range(250))
    assert all(len(messages) == 1 for messages in received.values())
    rows = OutboxMessage.objects.all()
    assert {(row.status, row.attempts, row.subject, row.body_text) for row in rows} == {
        (S.SENT, 1, "", "")
    }
    assert all(row.sent_at is not None for row in rows)


def test_a_refused_address_fails_without_touching_the_others(sink):
    OutboxMessage.objects.bulk_create(
        [
            account_mail("a@example.org"),
            account_mail("gone@example.org"),
            account_mail("b@example.org"),
        ]
    )

    outbox.outbox_send()

    assert sorted(sink.collector.by_recipient()) == ["a@example.org", "b@example.org"]
    statuses = dict(OutboxMessage.objects.values_list("to_email", "status"))
    assert statuses == {
        "a@example.org": S.SENT,
        "gone@example.org": S.FAILED,
        "b@example.org": S.SENT,
    }
    assert "550" in OutboxMessage.objects.get(to_email="gone@example.org").error


def test_a_row_cancelled_after_the_claim_is_not_handed_over(sink):
    OutboxMessage.objects.bulk_create(
        [account_mail("a@example.org", group="g"), account_mail("b@example.org", group="h")]
    )
    claimed = outbox.outbox_claim(owner="me", limit=10)
    outbox.group_set_status(group="g", from_statuses=[S.QUEUED], to_status=S.CANCELLED)

    sender = outbox._Sender(owner="me", deadline=None)
    sender.send_rows(claimed)
    sender.finish()

    assert list(sink.collector.by_recipient()) == ["b@example.org"]
    statuses = dict(OutboxMessage.objects.values_list("to_email", "status"))
    assert statuses == {"a@example.org": S.CANCELLED, "b@example.org": S.SENT}
    # The same connection went on to send the next message after the refusal.
    assert sender.report.sent == 1


def test_urgent_mail_written_mid_batch_overtakes_the_rest_of_the_batch(sink, monkeypatch):
    from django.core.mail import EmailMessage

    monkeypatch.setattr(outbox, "URGENT_CHECK_SECONDS", 0)
    rendered = []

    def prepare(rows):
        def render(row):
            rendered.append(row.to_email)
            if len(rendered) == 3:
                # A password reset asked for while the batch is being sent.
                OutboxMessage.objects.create(
                    kind=OutboxMessage.Kind.ACCOUNT,
                    priority=OutboxMessage.Priority.ACCOUNT,
                    to_email="reset@example.org",
                    language="en",
                    template="account/email/password_reset_key",
                    ref={"stored": True},
                    subject="Reset",
                    body_text="A one-time link",
                )
            return EmailMessage(subject="Bulk", body="News", to=[row.to_email])

        return render

    monkeypatch.setitem(outbox._KINDS, "bulk-test", outbox.KindHandler(prepare=prepare))
    OutboxMessage.objects.bulk_create(
        OutboxMessage(
            kind="bulk-test",
            priority=OutboxMessage.Priority.BULK,
            to_email=f"peer{n}@example.org",
            language="en",
            template="bulk",
        )
        for n in range(40)
    )

    report = outbox.outbox_send()

    order = [message["To"] for message in sink.collector.messages]
    assert report.sent == 41
    # The third bulk message was rendered when the reset came: it went out next.
    assert order.index("reset@example.org") == 3
    assert sorted(order) == sorted(
        [f"peer{n}@example.org" for n in range(40)] + ["reset@example.org"]
    )
