"""The real path: a Celery worker process on Redis, PostgreSQL, and a real SMTP
server receiving every message; including a worker killed mid-send."""

import time

import pytest

from inpud_portal.celery import app
from inpud_portal.tasks import sweep_outbox
from publications.models import Mailing
from publications.services import mailing as services

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

    # Nothing but a new worker coming up: it takes over the dead one's rows as soon
    # as their leases end.
    worker = Worker(EMAIL_URL=sink.url, MAIL_RATE_PER_SECOND=50).start()
    started = time.monotonic()
    try:
        assert wait_until(lambda: len(sink.collector.messages) > sent_before_kill, timeout=60), (
            "sending did not resume within 60 s of the new worker starting"
        )
        resumed_after = time.monotonic() - started
        assert wait_until(
            lambda: (
                not services.mailing_rows(mailing_id=mailing.pk)
                .filter(status__in=["queued", "sending"])
                .exists()
            ),
            timeout=120,
        )
    finally:
        worker.stop()
    assert resumed_after < 60

    received = sink.collector.by_recipient()
    assert all(len(messages) == 1 for messages in received.values())
    statuses = dict(services.mailing_rows(mailing_id=mailing.pk).values_list("to_email", "status"))
    # The messages handed over and not yet recorded sent at the kill (recorded in
    # batches) have an unknown outcome and are not resent; all but the one in
    # flight did arrive.
    uncertain = {e for e, s in statuses.items() if s == "uncertain"}
    assert len(uncertain - set(received)) <= 1
    assert {e for e, s in statuses.items() if s == "sent"} <= set(received)
    assert len(received) >= len(people) - 1


def test_a_broker_restart_mid_send_loses_no_one_and_mails_no_one_twice(
    real_queue, sink, mailing, members_audience, tmp_path, monkeypatch
):
    """A private Redis (no persistence, like CI's) is stopped mid-send and started
    again: the queued tasks are gone with it, the database still knows every
    delivery, and the periodic resume finishes the mailing."""
    import shutil
    import subprocess

    from ..smtp_sink import free_port

    redis_server = shutil.which("redis-server")
    port = free_port()
    url = f"redis://127.0.0.1:{port}/0"

    def start_redis():
        subprocess.run(
            [
                redis_server,
                "--daemonize",
                "yes",
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(tmp_path),
            ],
            check=True,
        )
        assert wait_until(
            lambda: (
                subprocess.run(
                    ["redis-cli", "-p", str(port), "ping"], capture_output=True, text=True
                ).stdout.strip()
                == "PONG"
            ),
            timeout=10,
        )

    start_redis()
    # This process publishes to the private Redis too: fresh connection pools.
    monkeypatch.setitem(app.conf, "broker_url", url)
    monkeypatch.setattr(app, "_pool", None)
    monkeypatch.setattr(app.amqp, "_producer_pool", None)
    people = subscribers(members_audience, 40)
    worker = Worker(EMAIL_URL=sink.url, MAIL_RATE_PER_SECOND=10, REDIS_URL=url).start()
    try:
        assert services.mailing_send_now(mailing=mailing)
        assert wait_until(lambda: len(sink.collector.messages) >= 8, timeout=90)
        subprocess.run(["redis-cli", "-p", str(port), "shutdown", "nosave"], capture_output=True)
        start_redis()
        # What beat does every 20 seconds.
        sweep_outbox.delay()
        assert wait_until(
            lambda: (
                not services.mailing_rows(mailing_id=mailing.pk)
                .filter(status__in=["queued", "sending"])
                .exists()
            ),
            timeout=120,
        )
    finally:
        worker.stop()
        subprocess.run(["redis-cli", "-p", str(port), "shutdown", "nosave"], capture_output=True)

    received = sink.collector.by_recipient()
    assert all(len(messages) == 1 for messages in received.values())
    assert len(received) >= len(people) - 1


def test_two_workers_together_never_exceed_the_sending_rate(
    real_queue, sink, mailing, members_audience
):
    """Measured where it matters, at the SMTP server: with two worker processes
    sharing a mailing, no one-second window holds more messages than the limit."""
    subscribers(members_audience, 45)
    # Small batches, so both workers get a share of the mailing.
    workers = [
        Worker(EMAIL_URL=sink.url, MAIL_RATE_PER_SECOND=10, MAIL_BATCH_SIZE=5).start()
        for _ in range(2)
    ]
    try:
        assert services.mailing_send_now(mailing=mailing)
        assert wait_until(lambda: len(sink.collector.messages) >= 45, timeout=120)
        assert wait_until(lambda: Mailing.objects.get(pk=mailing.pk).status == "sent", timeout=30)
    finally:
        for worker in workers:
            worker.stop()

    for worker in workers:
        assert "send_outbox" in worker.log and "succeeded" in worker.log, worker.log
    times = sorted(sink.collector.received_at)
    # Any window, aligned or not, of a whole second at the server.
    busiest = max(sum(1 for t in times if start <= t < start + 1.0) for start in times)
    assert busiest <= 10
    # Unthrottled, two workers send these in well under a second.
    assert times[-1] - times[0] >= (45 - 10) / 10 - 0.2


def admin_form_data(response) -> dict:
    """What the admin change form would post back as it stands."""
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        widget = field.widget
        if hasattr(widget, "widgets"):  # split date and time
            for index, _widget in enumerate(widget.widgets):
                data[f"{name}_{index}"] = ""
            continue
        if value is None:
            continue
        if isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = str(value)
    return data


def test_the_secretariat_publishes_and_disseminates_and_everyone_gets_it_once_in_their_language(
    real_queue, sink, client, secretariat, publication, members_audience
):
    """The whole of "done when", through the admin: files in two languages, publish,
    disseminate, choose the audience, send; a real worker and SMTP server; then a
    subscriber's mail client uses the one-click unsubscribe it received."""
    import re
    from urllib.parse import urlsplit

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from publications.models import Publication, Subscriber

    from .test_admin_uploads import pdf_with_script

    client.force_login(secretariat)
    Publication.objects.filter(pk=publication.pk).update(status="draft")
    page = client.get(f"/admin/publications/publication/{publication.pk}/change/")
    data = admin_form_data(page) | {
        "files-TOTAL_FORMS": 2,
        "files-INITIAL_FORMS": 0,
        "files-0-language": "en",
        "files-0-file": SimpleUploadedFile("brief-en.pdf", pdf_with_script()),
        "files-1-language": "fr",
        "files-1-file": SimpleUploadedFile("brief-fr.pdf", pdf_with_script()),
    }
    saved = client.post(f"/admin/publications/publication/{publication.pk}/change/", data)
    assert saved.status_code == 302, saved.context["adminform"].form.errors
    assert sorted(publication.files.values_list("language", flat=True)) == ["en", "fr"]

    listing = "/admin/publications/publication/"
    client.post(listing, {"action": "publish", "_selected_action": [publication.pk]})
    disseminated = client.post(
        listing, {"action": "disseminate", "_selected_action": [publication.pk]}
    )
    mailing = Mailing.objects.get(publication=publication)
    change = disseminated["Location"]
    form = admin_form_data(client.get(change)) | {"audiences": [str(members_audience.pk)]}
    assert client.post(change, form).status_code == 302

    people = subscribers(members_audience, 12)
    make_subscriber("not-yet@example.org", audiences=[members_audience], confirmed=False)
    worker = Worker(EMAIL_URL=sink.url, MAIL_RATE_PER_SECOND=50).start()
    try:
        send = {"action": "send_now", "_selected_action": [mailing.pk], "confirm": "yes"}
        client.post("/admin/publications/mailing/", send)
        client.post("/admin/publications/mailing/", send)  # a second click
        assert wait_until(lambda: Mailing.objects.get(pk=mailing.pk).status == "sent", timeout=90)
    finally:
        worker.stop()

    received = sink.collector.by_recipient()
    assert sorted(received) == sorted(p.email for p in people)
    assert all(len(messages) == 1 for messages in received.values())
    for person in people:
        [message] = received[person.email]
        # The publication has English and French titles: French readers get French.
        expected = "fr" if person.preferred_language == "fr" else "en"
        assert message["Content-Language"] == expected
        assert (publication.title_fr if expected == "fr" else publication.title_en) in message[
            "Subject"
        ]

    [message] = received[people[1].email]
    # Long enough to be folded onto its own line; unfolding leaves a leading space.
    url = re.fullmatch(r"<(.+)>", message["List-Unsubscribe"].strip()).group(1)
    mail_client = Client(enforce_csrf_checks=True)  # a mail provider, not a browser
    response = mail_client.post(
        urlsplit(url).path, "List-Unsubscribe=One-Click", content_type="text/plain"
    )
    assert response.status_code == 200
    assert Subscriber.objects.get(email=people[1].email).status == "unsubscribed"
