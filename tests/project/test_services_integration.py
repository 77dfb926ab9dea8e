"""The real broker and a real Celery worker process (CI runs these on Redis and PostgreSQL)."""

import email
import email.policy
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from inpud_portal.celery import app
from members import services
from members.models import Person

ROOT = Path(__file__).resolve().parents[2]
QUEUES = sorted(
    {settings.CELERY_TASK_DEFAULT_QUEUE}
    | {route["queue"] for route in settings.CELERY_TASK_ROUTES.values()}
)


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
    database = settings.DATABASES["default"]
    env = os.environ | {
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
        ),
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "EMAIL_URL": f"filemail:///{tmp_path}",  # one more slash: the path is absolute
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "inpud_portal",
            "worker",
            "--pool=solo",
            f"--queues={','.join(QUEUES)}",
            "--without-mingle",
            "--without-gossip",
            "--loglevel=INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    yield tmp_path
    process.terminate()
    output, _ = process.communicate(timeout=30)
    print(output)


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

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not list(worker.iterdir()):
        time.sleep(0.5)
    [mail_file] = list(worker.iterdir())
    message = email.message_from_string(mail_file.read_text(), policy=email.policy.default)
    with translation.override("es"):
        subject = translation.gettext("Your invitation to the INPUD member area")
    assert message["To"] == "rosa@example.org"
    assert message["Subject"] == subject
    assert "/es/accounts/invitation/" in message.get_body(("plain",)).get_content()
