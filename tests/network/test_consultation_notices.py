"""Opening a consultation tells each responder, in their language, through the real
path: outbox rows, a Celery worker process on Redis, and an SMTP server."""

import pytest

from inpud_portal.celery import app
from network.services import consultations as services

from ..celery_worker import Worker, wait_until
from ..smtp_sink import SmtpSink
from .conftest import draft

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def real_queue(monkeypatch):
    monkeypatch.setitem(app.conf, "task_always_eager", False)


def test_responders_receive_the_opening_notice_in_their_language(
    real_queue, secretariat, asia_director, napud_staff
):
    consultation = draft(secretariat, responders="staff", title="Work plan 2027")
    consultation.title_fr = "Plan de travail 2027"
    consultation.save()
    with SmtpSink() as sink:
        worker = Worker(EMAIL_URL=sink.url, MAIL_RATE_PER_SECOND=50).start()
        try:
            services.consultation_schedule(consultation=consultation, actor=secretariat)
            services.consultations_advance()
            assert wait_until(lambda: len(sink.collector.messages) >= 2, timeout=60)
        finally:
            worker.stop()
        received = sink.collector.by_recipient()
    assert sorted(received) == sorted([asia_director.email, napud_staff.email])
    [french] = received[napud_staff.email]
    assert french["Subject"].strip() == "Le Conseil consulte votre réseau : Plan de travail 2027"
    assert french["Content-Language"] == "fr"
    [english] = received[asia_director.email]
    assert english["Subject"].strip() == "The Board consults your network: Work plan 2027"
