"""The real broker and a real Celery worker process (CI runs these on Redis and PostgreSQL)."""

import email
import email.policy

import pytest
from django.utils import translation

from inpud_portal.celery import app
from members import services
from members.models import Person

from ..celery_worker import Worker, wait_until


@pytest.mark.redis
def test_healthz_reports_the_broker(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok"}


@pytest.mark.redis
def test_healthz_answers_503_when_the_broker_is_down(client, db, monkeypatch):
    monkeypatch.setitem(app.conf, "broker_url", "redis://127.0.0.1:1/0")

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["broker"] == "unavailable"


@pytest.fixture
def worker(tmp_path):
    """A Celery worker process on the test database, writing email to files."""
    # One more slash: the path is absolute.
    process = Worker(EMAIL_URL=f"filemail:///{tmp_path}").start()
    yield tmp_path
    process.stop()
    print(process.log)


@pytest.mark.postgres
@pytest.mark.worker
def test_a_worker_sends_the_invitation_in_the_persons_language(
    transactional_db, worker, monkeypatch
):
    # The test process itself enqueues for real instead of running tasks eagerly.
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    person = Person.objects.create(
        display_name="Rosa", email="rosa@example.org", preferred_language="es"
    )

    services.person_invite(person=person)

    # The file backend makes the file when the sender connects, and writes the
    # message into it when it is handed over.
    wait_until(lambda: any(f.stat().st_size for f in worker.iterdir()), timeout=60)
    [mail_file] = list(worker.iterdir())
    message = email.message_from_string(mail_file.read_text(), policy=email.policy.default)
    with translation.override("es"):
        subject = translation.gettext("Your invitation to the INPUD member area")
    assert message["To"] == "rosa@example.org"
    assert message["Subject"] == subject
    assert "/es/accounts/invitation/" in message.get_body(("plain",)).get_content()
