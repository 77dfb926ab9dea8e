"""Sending a mailing: who gets it, in which language, and never twice."""

import smtplib

import pytest
from django.core import mail

from publications.models import Delivery, Mailing, Subscriber
from publications.services import mailing as services

from .conftest import make_subscriber


def send_all(mailing, django_capture_on_commit_callbacks=None):
    mailing.refresh_from_db()
    batches = services.mailing_fan_out(mailing_id=mailing.pk)
    for batch in batches:
        services.deliveries_send(delivery_ids=batch)


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
    for batch in services.queued_batches(mailing_id=mailing.pk):
        services.deliveries_send(delivery_ids=batch)
    services.deliveries_send(delivery_ids=list(Delivery.objects.values_list("pk", flat=True)))

    assert len(mail.outbox) == first
    assert Delivery.objects.count() == 3


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

    def send_messages(self, messages):
        raise self.error

    def close(self):
        pass


def test_a_transient_smtp_failure_is_queued_again(mailing, audience_members, monkeypatch):
    services.mailing_send_now(mailing=mailing)
    batches = services.mailing_fan_out(mailing_id=mailing.pk)
    monkeypatch.setattr(
        services,
        "get_connection",
        lambda **kw: FlakyBackend(smtplib.SMTPResponseException(451, b"try later")),
    )

    retry = services.deliveries_send(delivery_ids=batches[0]).retry

    assert sorted(retry) == sorted(batches[0])
    assert set(Delivery.objects.values_list("status", flat=True)) == {"queued"}


def test_a_permanent_refusal_is_recorded_and_suppresses_the_address(
    mailing, audience_members, monkeypatch
):
    services.mailing_send_now(mailing=mailing)
    batches = services.mailing_fan_out(mailing_id=mailing.pk)
    refused = smtplib.SMTPRecipientsRefused({"fr@example.org": (550, b"no such user")})
    monkeypatch.setattr(services, "get_connection", lambda **kw: FlakyBackend(refused))

    retry = services.deliveries_send(delivery_ids=batches[0]).retry

    assert retry == []
    assert set(Delivery.objects.values_list("status", flat=True)) == {"failed"}
    assert Subscriber.objects.get(email="fr@example.org").status == "suppressed"


def test_a_stalled_mailing_resumes_and_a_message_caught_mid_send_is_not_resent(
    mailing, audience_members
):
    import datetime

    services.mailing_send_now(mailing=mailing)
    services.mailing_fan_out(mailing_id=mailing.pk)
    first = Delivery.objects.order_by("pk").first()
    # A worker claimed this one and died before recording the outcome.
    Delivery.objects.filter(pk=first.pk).update(status="sending", claimed_at="2020-01-01T00:00:00Z")
    Mailing.objects.filter(pk=mailing.pk).update(started_at="2020-01-01T00:00:00Z")

    batches = services.mailings_resume_stalled(stalled_after=datetime.timedelta(minutes=1))
    for batch in batches:
        services.deliveries_send(delivery_ids=batch)

    first.refresh_from_db()
    assert first.status == "uncertain"
    assert first.subscriber.email not in [m.to[0] for m in mail.outbox]
    assert len(mail.outbox) == 2


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

    batches = services.mailings_resume_stalled(stalled_after=datetime.timedelta(minutes=1))
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.SENDING
    for batch in batches:
        services.deliveries_send(delivery_ids=batch)

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
    Delivery.objects.create(
        mailing=mailing, subscriber=audience_members["fr"], language="fr", status="sent"
    )
    Mailing.objects.filter(pk=mailing.pk).update(started_at="2020-01-01T00:00:00Z")

    for batch in services.mailings_resume_stalled(stalled_after=datetime.timedelta(minutes=1)):
        services.deliveries_send(delivery_ids=batch)

    assert sorted(m.to[0] for m in mail.outbox) == ["ar@example.org", "es@example.org"]
    assert Delivery.objects.filter(mailing=mailing).count() == 3
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.SENT


def test_a_task_out_of_time_hands_back_its_deliveries_untouched(mailing, audience_members):
    import time

    services.mailing_send_now(mailing=mailing)
    [batch] = services.mailing_fan_out(mailing_id=mailing.pk)

    outcome = services.deliveries_send(delivery_ids=batch, deadline=time.monotonic())

    assert outcome.not_started == batch and outcome.retry == []
    assert mail.outbox == []
    assert set(Delivery.objects.values_list("status", "attempts")) == {("queued", 0)}


def test_a_rate_wait_past_the_deadline_gives_the_claim_back(
    mailing, audience_members, monkeypatch, settings
):
    import time

    from publications import rate_limit

    monkeypatch.setattr(rate_limit, "_window", rate_limit.LocalWindow())
    settings.MAIL_RATE_PER_SECOND = 1
    services.mailing_send_now(mailing=mailing)
    [batch] = services.mailing_fan_out(mailing_id=mailing.pk)

    outcome = services.deliveries_send(delivery_ids=batch, deadline=time.monotonic() + 0.5)

    # One slot in the first second; the next would come after the deadline.
    assert len(mail.outbox) == 1
    assert outcome.not_started == batch[1:]
    rest = Delivery.objects.filter(pk__in=batch[1:])
    assert set(rest.values_list("status", "attempts", "claimed_at")) == {("queued", 0, None)}
    # Handed back, not lost: a later task sends them (the slot is free again by then).
    time.sleep(1)
    settings.MAIL_RATE_PER_SECOND = 50
    services.deliveries_send(delivery_ids=outcome.not_started)
    assert len(mail.outbox) == 3


def test_someone_who_unsubscribes_after_the_fan_out_is_not_mailed(mailing, audience_members):
    from publications.services.subscribers import subscriber_unsubscribe

    services.mailing_send_now(mailing=mailing)
    batches = services.mailing_fan_out(mailing_id=mailing.pk)
    subscriber_unsubscribe(subscriber=audience_members["fr"])

    for batch in batches:
        services.deliveries_send(delivery_ids=batch)

    assert "fr@example.org" not in [m.to[0] for m in mail.outbox]
    assert Delivery.objects.get(subscriber=audience_members["fr"]).status == "failed"


def test_a_message_that_cannot_be_rendered_is_recorded_failed_not_left_sending(
    mailing, audience_members, monkeypatch
):
    real = services.mailing_message

    def broken_for_french(**kwargs):
        if kwargs["subscriber"].email == "fr@example.org":
            raise ValueError("broken template")
        return real(**kwargs)

    monkeypatch.setattr(services, "mailing_message", broken_for_french)
    start(mailing)

    french = Delivery.objects.get(subscriber=audience_members["fr"])
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
        samples = [services.retry_countdown(retries) for _ in range(50)]
        assert all(0 <= s <= cap for s in samples)
        assert len(set(samples)) > 1  # jittered, so retries do not arrive together
    assert max(services.retry_countdown(3) for _ in range(200)) > 10 * 2**2


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
