"""Two web servers, as `docker compose up --scale web=2` runs them: separate local
media folders, the same database and the same S3 API. What one receives the other
serves, and both refuse a members-only file to an anonymous visitor.

Real gunicorn processes with the production settings module; the S3 API is moto on
loopback (tests/s3_server.py)."""

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.core.files.base import ContentFile
from django.test import Client
from PIL import Image

from governance.models import AgendaItem, Invitation, Meeting, Paper
from members.models import Person

from ..celery_worker import database_url, wait_until
from ..factories import PersonFactory, enable_totp
from ..smtp_sink import free_port

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


class WebServer:
    """gunicorn serving the portal on a free loopback port."""

    def __init__(self, *, media_root: Path, env: dict):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.media_root = media_root
        self.env = os.environ | {
            "DJANGO_SETTINGS_MODULE": "inpud_portal.settings",
            "DATABASE_URL": database_url(),
            "SECRET_KEY": settings.SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "CELERY_TASK_ALWAYS_EAGER": "true",
            "MEDIA_ROOT": str(media_root),
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "GUNICORN_WORKERS": "1",
            **env,
        }

    def start(self) -> "WebServer":
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "inpud_portal.wsgi:application"]
            + ["--config", "gunicorn.conf.py"],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        assert wait_until(self._answers, timeout=90), self.stop()
        return self

    def _answers(self) -> bool:
        try:
            return requests.get(f"{self.url}/healthz", timeout=5).status_code == 200
        except requests.RequestException:  # not listening yet, or still loading
            return False

    def stop(self) -> str:
        self.process.terminate()
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        return self.process.stdout.read()

    def get(self, path: str, *, session: str = "", **kwargs) -> requests.Response:
        headers = {"Cookie": f"sessionid={session}"} if session else {}
        return requests.get(self.url + path, headers=headers, allow_redirects=False, timeout=30)

    def post(self, path: str, *, session: str, data: dict, files: dict) -> requests.Response:
        # The session and CSRF cookies are Secure (production settings), which a
        # client only sends over HTTPS: pass them by hand on this plain HTTP.
        form = requests.get(self.url + path, headers={"Cookie": f"sessionid={session}"}, timeout=30)
        csrf = form.cookies["csrftoken"]
        return requests.post(
            self.url + path,
            headers={"Cookie": f"sessionid={session}; csrftoken={csrf}"},
            data=data | {"csrfmiddlewaretoken": csrf},
            files=files,
            allow_redirects=False,
            timeout=60,
        )


def session_of(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def jpeg(colour: str) -> bytes:
    raw = io.BytesIO()
    Image.new("RGB", (40, 40), colour).save(raw, format="JPEG")
    return raw.getvalue()


@pytest.fixture
def web_servers(s3_server, s3_storage, tmp_path):
    servers = [
        WebServer(media_root=tmp_path / name, env=s3_server.environment(s3_storage))
        for name in ["web-1", "web-2"]
    ]
    try:
        for server in servers:
            server.start()
        yield servers
    finally:
        for server in servers:
            if hasattr(server, "process"):
                server.stop()


def test_a_file_received_by_one_web_server_is_served_by_the_other(
    web_servers, secretariat, s3_server, s3_storage
):
    first, second = web_servers
    staff = session_of(secretariat)

    def add_person(name: str, visibility: str, photo: bytes) -> Person:
        response = first.post(
            "/admin/members/person/add/",
            session=staff,
            data={
                "display_name": name,
                "preferred_language": "en",
                "visibility": visibility,
                "roles-TOTAL_FORMS": 0,
                "roles-INITIAL_FORMS": 0,
            },
            files={"photo": ("photo.jpg", photo, "image/jpeg")},
        )
        assert response.status_code == 302, response.text[:2000]
        return Person.objects.get(display_name=name)

    public = add_person("Moonlight", "public", jpeg("teal"))
    private = add_person("Starlight", "members", jpeg("navy"))

    stored = s3_server.client().get_object(Bucket=s3_storage, Key=public.photo.name)
    photo = stored["Body"].read()
    for server in web_servers:
        response = server.get(f"/people/{public.pk}/photo/{Path(public.photo.name).name}")
        assert response.status_code == 200
        assert response.content == photo
        assert response.headers["Content-Type"] == "image/jpeg"
        # The photo the other received is there, a members-only one is not shown.
        hidden = server.get(f"/people/{private.pk}/photo/{Path(private.photo.name).name}")
        assert hidden.status_code == 404
    s3_server.client().head_object(Bucket=s3_storage, Key=private.photo.name)
    # Neither server kept anything on its own disk.
    for server in web_servers:
        assert not any(server.media_root.rglob("*"))


def test_a_members_only_paper_is_refused_anonymously_by_both(web_servers):
    import datetime

    from django.utils import timezone

    start = timezone.now() + datetime.timedelta(days=3)
    meeting = Meeting.objects.create(
        kind=Meeting.Kind.BOARD,
        title_en="Board",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        city="Lisbon",
    )
    item = AgendaItem.objects.create(meeting=meeting, position=1, title_en="Budget")
    paper = Paper.objects.create(
        agenda_item=item, title="Budget", file=ContentFile(b"budget figures", name="budget.pdf")
    )
    invitee = PersonFactory()
    enable_totp(invitee.user)
    Invitation.objects.create(meeting=meeting, person=invitee)
    session = session_of(invitee.user)

    for server in web_servers:
        anonymous = server.get(f"/en/portal/papers/{paper.pk}/")
        assert anonymous.status_code == 302
        assert re.match(r"^/en/accounts/login/", anonymous.headers["Location"])
        assert b"budget" not in anonymous.content
        invited = server.get(f"/en/portal/papers/{paper.pk}/", session=session)
        assert invited.status_code == 200
        assert invited.content == b"budget figures"
