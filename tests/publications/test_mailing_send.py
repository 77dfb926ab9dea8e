"""Sending a mailing: who gets it, in which language, and never twice."""

import smtplib

import pytest
from django.core import mail

from inpud_portal import outbox
from inpud_portal.models import OutboxMessage
from publications import mailing_outbox
from publications.models import Mailing, Subscriber
from publications.services import mailing as services

from .conftest import make_subscriber


def send_all(mailing):
    mailing.refresh_from_db()
    services.mailing_fan_out(mailing_id=mailing.pk)
    outbox.outbox_send()


def row_of(mailing, subscriber):
    return services.mailing_rows(mailing_id=mailing.pk).get(ref__subscriber=subscriber.pk)


@pytest.fixture
def audience_members(members_audience, donors):
    return {
        "fr": make_subscriber("fr@example.org", language="fr", audiences=[members_audience]),
        "es": make_subscriber(
            "es@example.org", language="es", audiences=[members_audience, donors]
        ),
        "ar": make_subscriber("ar@example.org", language="ar", audiences=[members_audience]),
        "unconfirmed": make_subscriber(
            "new@example.org", audiences=[members_audience], confirmed=False
        ),
        "unsubscribed": make_subscriber(
            "gone@example.org", audiences=[members_audience], status="unsubscribed"
        ),
        "suppressed": make_subscriber(
            "bounced@example.org", audiences=[members_audience], status="suppressed"
        ),
        "donor_only": make_subscriber("donor@example.org", audiences=[donors]),
    }


def start(mailing):
    assert services.mailing_send_now(mailing=mailing)
    send_all(mailing)


def test_it_sends_once_to_each_confirmed_active_member_of_the_audiences(mailing, audience_members):
    start(mailing)

    assert sorted(m.to[0] for m in mail.outbox) == [
        "ar@example.org",
        "es@example.org",
        "fr@example.org",
    ]
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.SENT


def test_each_subscriber_gets_their_language_or_english(mailing, audience_members):
    start(mailing)

    by_address = {m.to[0]: m for m in mail.outbox}
    assert by_address["fr@example.org"].subject == "Nouvelle note sur l'analyse de produits"
    assert (
        by_address["es@example.org"].subject == "New brief on drug checking"
    )  # no Spanish version
    assert by_address["es@example.org"].extra_headers["Content-Language"] == "en"
    arabic = by_address["ar@example.org"].alternatives[0][0]
    assert '<html lang="ar" dir="rtl">' in arabic


def test_every_message_offers_one_click_unsubscribe_and_a_language_link(mailing, audience_members):
    start(mailing)

    for message in mail.outbox:
        header = message.extra_headers["List-Unsubscribe"]
        assert header.startswith("<http") and "/unsubscribe/" in header
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert "/subscription/" in message.body


def test_it_tracks_nothing_and_rewrites_no_link(mailing, audience_members):
    start(mailing)

    html = mail.outbox[0].alternatives[0][0]
    assert "<img" not in html
    assert "https://" in html or "http://" in html
    assert "/publications/drug-checking-brief/" in html


def test_sending_again_sends_nothing_more(mailing, audience_members):
    start(mailing)
    first = len(mail.outbox)

    send_all(mailing)
    OutboxMessage.objects.update(lease_until=None)
    outbox.outbox_send()

    assert len(mail.outbox) == first
    assert OutboxMessage.objects.count() == 3


def test_ten_clicks_on_send_start_one_mailing(mailing, audience_members):
    started = [services.mailing_send_now(mailing=mailing) for _ in range(10)]

    assert started.count(True) == 1


def test_two_schedulers_start_a_due_mailing_once(mailing, audience_members):
    from django.utils import timezone

    services.mailing_schedule(mailing=mailing, at=timezone.now())

    first = services.mailings_start_due()
    second = services.mailings_start_due()

    assert first == [mailing.pk]
    assert second == []


class FlakyBackend:
    """An SMTP edge: the true edge of the world, so a stand-in is fair here."""

    def __init__(self, error):
        self.error = error

    def open(self):
        return True

    def send_messages(self, messages):
        raise self.error

    def close(self):
        pass


def test_a_transient_smtp_failure_is_queued_again(mailing, audience_members, monkeypatch):
    services.mailing_send_now(mailing=mailing)
    services.mailing_fan_out(mailing_id=mailing.pk)
    monkeypatch.setattr(
        outbox,
        "get_connection",
        lambda **kw: FlakyBackend(smtplib.SMTPResponseException(451, b"try later")),
    )

    report = outbox.outbox_send()

    assert report.sent == 0
    rows = OutboxMessage.objects.all()
    assert set(rows.values_list("status", "attempts", "lease_owner")) == {("queued", 1, "")}
    # Not before a backoff: the next sender leaves them until then.
    assert all(row.not_before is not None for row in rows)
    assert not outbox.outbox_has_work()


def test_a_permanent_refusal_is_recorded_and_suppresses_the_address(
    mailing, audience_members, monkeypatch
):
    services.mailing_send_now(mailing=mailing)
    services.mailing_fan_out(mailing_id=mailing.pk)
    refused = smtplib.SMTPRecipientsRefused({"fr@example.org": (550, b"no such user")})
    monkeypatch.setattr(outbox, "get_connection", lambda **kw: FlakyBackend(refused))

    outbox.outbox_send()

    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"failed"}
    assert Subscriber.objects.get(email="fr@example.org").status == "suppressed"


def test_a_message_caught_mid_send_by_a_dead_worker_is_not_resent_and_its_claims_return(
    mailing, audience_members
):
    import datetime

    from django.utils import timezone

    services.mailing_send_now(mailing=mailing)
    services.mailing_fan_out(mailing_id=mailing.pk)
    first, second, _third = OutboxMessage.objects.order_by("pk")
    expired = timezone.now() - datetime.timedelta(seconds=1)
    # A worker handed the first over, had claimed the second, and died.
    OutboxMessage.objects.filter(pk=first.pk).update(
        status="sending", lease_owner="dead", lease_until=expired
    )
    OutboxMessage.objects.filter(pk=second.pk).update(lease_owner="dead", lease_until=expired)

    outbox.outbox_sweep()
    outbox.outbox_send()

    first.refresh_from_db()
    assert first.status == "uncertain"
    assert first.to_email not in [m.to[0] for m in mail.outbox]
    assert sorted(m.to[0] for m in mail.outbox) == sorted([second.to_email, _third.to_email])


def test_a_mailing_whose_last_row_a_dead_worker_held_is_marked_sent_by_the_sweep(
    mailing, audience_members
):
    import datetime

    from django.utils import timezone

    start(mailing)
    last = services.mailing_rows(mailing_id=mailing.pk).order_by("pk").last()
    # As a worker killed mid-send leaves it: every other row sent, the mailing
    # still sending, its last row handed over and never recorded.
    OutboxMessage.objects.filter(pk=last.pk).update(
        status="sending",
        lease_owner="dead",
        lease_until=timezone.now() - datetime.timedelta(seconds=1),
    )
    Mailing.objects.filter(pk=mailing.pk).update(status="sending", finished_at=None)

    outbox.outbox_sweep()

    mailing.refresh_from_db()
    assert mailing.status == "sent"
    assert services.mailing_rows(mailing_id=mailing.pk).get(pk=last.pk).status == "uncertain"


def test_rows_claimed_by_a_live_worker_are_left_to_it(mailing, audience_members):
    import datetime

    from django.utils import timezone

    services.mailing_send_now(mailing=mailing)
    services.mailing_fan_out(mailing_id=mailing.pk)
    OutboxMessage.objects.update(
        lease_owner="alive", lease_until=timezone.now() + datetime.timedelta(seconds=15)
    )

    outbox.outbox_sweep()
    outbox.outbox_send()

    assert mail.outbox == []
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"queued"}


def test_the_progress_counts_by_status_and_language(mailing, audience_members):
    start(mailing)

    progress = services.mailing_progress(mailing=mailing)

    assert progress["totals"] == {"sent": 3}
    assert progress["by_language"] == {"ar": {"sent": 1}, "en": {"sent": 1}, "fr": {"sent": 1}}


def test_a_mailing_whose_fan_out_was_lost_is_not_finished_but_fanned_out_by_the_resume(
    mailing, audience_members
):
    import datetime

    # "Send now" committed and the fan-out task was lost with the broker (here: the
    # on-commit enqueue never runs).
    assert services.mailing_send_now(mailing=mailing)
    Mailing.objects.filter(pk=mailing.pk).update(started_at="2020-01-01T00:00:00Z")
    assert not services.mailing_finish_if_done(mailing_id=mailing.pk)

    assert services.mailings_resume_stalled(stalled_after=datetime.timedelta(minutes=1)) == 3
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.SENDING
    outbox.outbox_send()

    assert sorted(m.to[0] for m in mail.outbox) == [
        "ar@example.org",
        "es@example.org",
        "fr@example.org",
    ]
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.SENT


def test_a_fan_out_cut_short_is_completed_without_mailing_anyone_twice(mailing, audience_members):
    import datetime

    assert services.mailing_send_now(mailing=mailing)
    # The worker listed and mailed one recipient, then died before listing the rest.
    fr = audience_members["fr"]
    group = services.mailing_group(mailing.pk)
    OutboxMessage.objects.create(
        kind="mailing",
        to_email=fr.email,
        language="fr",
        template=services.TEMPLATE,
        ref={"mailing": mailing.pk, "subscriber": fr.pk},
        group=group,
        dedupe_key=f"{group}:subscriber:{fr.pk}",
        status="sent",
    )
    Mailing.objects.filter(pk=mailing.pk).update(started_at="2020-01-01T00:00:00Z")
    OutboxMessage.objects.update(created_at="2020-01-01T00:00:00Z")

    services.mailings_resume_stalled(stalled_after=datetime.timedelta(minutes=1))
    outbox.outbox_send()

    assert sorted(m.to[0] for m in mail.outbox) == ["ar@example.org", "es@example.org"]
    assert services.mailing_rows(mailing_id=mailing.pk).count() == 3
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.SENT


def test_a_task_out_of_time_hands_back_its_rows_untouched(mailing, audience_members):
    import time

    services.mailing_send_now(mailing=mailing)
    services.mailing_fan_out(mailing_id=mailing.pk)

    report = outbox.outbox_send(deadline=time.monotonic())

    assert report.sent == 0
    assert mail.outbox == []
    assert set(OutboxMessage.objects.values_list("status", "attempts", "lease_owner")) == {
        ("queued", 0, "")
    }


def test_a_rate_wait_past_the_deadline_gives_the_claims_back(
    mailing, audience_members, monkeypatch, settings
):
    import time

    from inpud_portal import mail_rate

    monkeypatch.setattr(mail_rate, "_window", mail_rate.LocalWindow())
    settings.MAIL_RATE_PER_SECOND = 1
    settings.MAIL_BATCH_SIZE = 200
    services.mailing_send_now(mailing=mailing)
    services.mailing_fan_out(mailing_id=mailing.pk)

    report = outbox.outbox_send(deadline=time.monotonic() + 0.5)

    # One slot in the first second; the next would come after the deadline.
    assert len(mail.outbox) == 1 and report.out_of_time
    rest = OutboxMessage.objects.exclude(status="sent")
    assert set(rest.values_list("status", "attempts", "lease_owner", "lease_until")) == {
        ("queued", 0, "", None)
    }
    # Handed back, not lost: a later sender sends them (the slot is free again by then).
    time.sleep(1)
    settings.MAIL_RATE_PER_SECOND = 50
    outbox.outbox_send()
    assert len(mail.outbox) == 3


def test_someone_who_unsubscribes_after_the_fan_out_is_not_mailed(mailing, audience_members):
    from publications.services.subscribers import subscriber_unsubscribe

    services.mailing_send_now(mailing=mailing)
    services.mailing_fan_out(mailing_id=mailing.pk)
    subscriber_unsubscribe(subscriber=audience_members["fr"])

    outbox.outbox_send()

    assert "fr@example.org" not in [m.to[0] for m in mail.outbox]
    assert row_of(mailing, audience_members["fr"]).status == "suppressed"


def test_a_message_that_cannot_be_rendered_is_recorded_failed_not_left_sending(
    mailing, audience_members, monkeypatch
):
    real = mailing_outbox.mailing_message

    def broken_for_french(**kwargs):
        if kwargs["subscriber"].email == "fr@example.org":
            raise ValueError("broken template")
        return real(**kwargs)

    monkeypatch.setattr(mailing_outbox, "mailing_message", broken_for_french)
    start(mailing)

    french = row_of(mailing, audience_members["fr"])
    assert french.status == "failed" and "broken template" in french.error
    assert len(mail.outbox) == 2
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.SENT


def test_a_delivered_message_resets_the_soft_bounce_count(mailing, audience_members):
    Subscriber.objects.filter(email="fr@example.org").update(soft_bounces=2)

    start(mailing)

    assert Subscriber.objects.get(email="fr@example.org").soft_bounces == 0


def test_retries_back_off_exponentially_with_jitter():
    for retries in range(12):
        cap = min(600, 10 * 2**retries)
        samples = [outbox.retry_countdown(retries) for _ in range(50)]
        assert all(0 <= s <= cap for s in samples)
        assert len(set(samples)) > 1  # jittered, so retries do not arrive together
    assert max(outbox.retry_countdown(3) for _ in range(200)) > 10 * 2**2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_beat_schedulers_at_once_start_a_due_mailing_once_and_mail_each_person_once(
    mailing, audience_members
):
    import threading

    from django.db import connections
    from django.utils import timezone

    services.mailing_schedule(mailing=mailing, at=timezone.now())
    barrier = threading.Barrier(2)
    started = []

    def scheduler():
        barrier.wait()
        try:
            # Eager Celery here: the fan-out and the sending run in this thread.
            started.extend(services.mailings_start_due())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=scheduler) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert started == [mailing.pk]
    assert sorted(m.to[0] for m in mail.outbox) == [
        "ar@example.org",
        "es@example.org",
        "fr@example.org",
    ]


def test_a_mailing_to_an_audience_with_nobody_to_mail_is_finished_at_once(mailing):
    make_subscriber("new@example.org", audiences=list(mailing.audiences.all()), confirmed=False)

    start(mailing)

    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.SENT
    assert mail.outbox == []


def test_a_cancelled_mailing_sends_nothing_more_whatever_is_queued(mailing, audience_members):
    services.mailing_send_now(mailing=mailing)
    services.mailing_fan_out(mailing_id=mailing.pk)

    assert services.mailing_cancel(mailing=mailing)
    outbox.outbox_send()

    assert mail.outbox == []
    assert set(services.mailing_rows(mailing_id=mailing.pk).values_list("status", flat=True)) == {
        "cancelled"
    }
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.CANCELLED
    assert not services.mailing_cancel(mailing=mailing)
    assert not services.mailing_resume(mailing=mailing)


def test_rows_a_sender_has_claimed_are_not_sent_once_the_mailing_is_cancelled(
    mailing, audience_members
):
    services.mailing_send_now(mailing=mailing)
    services.mailing_fan_out(mailing_id=mailing.pk)
    claimed = outbox.outbox_claim(owner="worker-1", limit=10)
    assert len(claimed) == 3

    services.mailing_cancel(mailing=mailing)
    sender = outbox._Sender(owner="worker-1", deadline=None)
    sender.send_rows(claimed)
    sender.finish()

    assert mail.outbox == []


def test_a_paused_mailing_waits_and_resumes_where_it_stopped(mailing, audience_members):
    services.mailing_send_now(mailing=mailing)
    services.mailing_fan_out(mailing_id=mailing.pk)

    assert services.mailing_pause(mailing=mailing)
    outbox.outbox_send()
    assert mail.outbox == []
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.PAUSED

    assert services.mailing_resume(mailing=mailing)
    outbox.outbox_send()

    assert sorted(m.to[0] for m in mail.outbox) == [
        "ar@example.org",
        "es@example.org",
        "fr@example.org",
    ]
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.SENT


def test_account_mail_goes_ahead_of_a_bulk_mailing(mailing, audience_members):
    services.mailing_send_now(mailing=mailing)
    services.mailing_fan_out(mailing_id=mailing.pk)
    outbox.outbox_add(
        [
            OutboxMessage(
                kind="account",
                priority=OutboxMessage.Priority.ACCOUNT,
                to_email="director@example.org",
                language="en",
                template="account/email/password_reset_key",
                # Carries its own body, as allauth's rows do (members/adapters.py).
                ref={"stored": True},
                subject="Reset your password",
                body_text="A link",
            )
        ]
    )

    outbox.outbox_send()

    assert mail.outbox[0].to == ["director@example.org"]
    assert len(mail.outbox) == 4
    reset = OutboxMessage.objects.get(kind="account")
    # The one-time link is not kept once the message is out.
    assert (reset.status, reset.subject, reset.body_text) == ("sent", "", "")
