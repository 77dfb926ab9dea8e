"""The real path: a Celery worker process on Redis, PostgreSQL, and a real SMTP
server receiving every message; including a worker killed mid-send."""

import datetime

import pytest

from inpud_portal.celery import app
from publications.models import Delivery, Mailing
from publications.services import mailing as services
from publications.tasks import send_deliveries

from ..celery_worker import Worker, wait_until
from ..smtp_sink import SmtpSink
from .conftest import LANGUAGES, make_subscriber

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def real_queue(monkeypatch):
    # The test process enqueues through Redis instead of running tasks itself.
    monkeypatch.setitem(app.conf, "task_always_eager", False)


@pytest.fixture
def sink():
    with SmtpSink() as server:
        yield server


def subscribers(audience, count):
    return [
        make_subscriber(f"peer{n}@example.org", language=LANGUAGES[n % 6], audiences=[audience])
        for n in range(count)
    ]


def test_a_worker_delivers_one_message_per_subscriber_in_their_language(
    real_queue, sink, mailing, members_audience
):
    people = subscribers(members_audience, 24)
    worker = Worker(EMAIL_URL=sink.url, MAIL_RATE_PER_SECOND=50).start()
    try:
        assert services.mailing_send_now(mailing=mailing)
        assert wait_until(lambda: len(sink.collector.messages) >= 24, timeout=90)
        assert wait_until(lambda: Mailing.objects.get(pk=mailing.pk).status == "sent", timeout=30)
    finally:
        worker.stop()

    received = sink.collector.by_recipient()
    assert sorted(received) == sorted(p.email for p in people)
    for person in people:
        [message] = received[person.email]
        expected = {
            "fr": "Nouvelle note sur l'analyse de produits",
            "ar": "موجز جديد عن فحص المواد",
        }
        assert message["Subject"] == expected.get(
            person.preferred_language, "New brief on drug checking"
        )
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_killing_a_worker_mid_send_never_sends_anyone_the_mailing_twice(
    real_queue, sink, mailing, members_audience
):
    people = subscribers(members_audience, 60)
    worker = Worker(EMAIL_URL=sink.url, MAIL_RATE_PER_SECOND=10).start()
    try:
        assert services.mailing_send_now(mailing=mailing)
        assert wait_until(lambda: len(sink.collector.messages) >= 15, timeout=90)
    finally:
        worker.kill()
    sent_before_kill = len(sink.collector.messages)
    assert sent_before_kill < 60

    # The periodic resume finds the stalled mailing; a new worker finishes it.
    batches = services.mailings_resume_stalled(stalled_after=datetime.timedelta(0))
    for batch in batches:
        send_deliveries.delay(delivery_ids=batch)
    worker = Worker(EMAIL_URL=sink.url, MAIL_RATE_PER_SECOND=50).start()
    try:
        assert wait_until(
            lambda: (
                not Delivery.objects.filter(
                    mailing=mailing, status__in=["queued", "sending"]
                ).exists()
            ),
            timeout=120,
        )
    finally:
        worker.stop()

    received = sink.collector.by_recipient()
    assert all(len(messages) == 1 for messages in received.values())
    statuses = dict(
        Delivery.objects.filter(mailing=mailing).values_list("subscriber__email", "status")
    )
    # At most the one message in flight at the kill has an unknown outcome; it is not resent.
    assert list(statuses.values()).count("uncertain") <= 1
    assert {e for e, s in statuses.items() if s == "sent"} <= set(received)
    assert len(received) >= len(people) - 1
