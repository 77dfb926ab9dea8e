"""Uploads in S3-compatible object storage (S3_BUCKET set), against a real S3 API
on loopback (tests/s3_server.py): stored there and nowhere else, never public,
served by the portal's views only after their visibility checks."""

import datetime
import hashlib
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.core.files.base import ContentFile
from django.utils import timezone

from governance.models import AgendaItem, Invitation, Meeting, Paper
from publications.models import Publication, PublicationFile

from ..factories import PersonFactory, enable_totp

ROOT = Path(__file__).resolve().parents[2]
PDF = b"%PDF-1.4 stored in the bucket"


@pytest.fixture
def paper(db, s3_storage):
    start = timezone.now() + datetime.timedelta(days=3)
    meeting = Meeting.objects.create(
        kind=Meeting.Kind.BOARD,
        title_en="Board",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        city="Lisbon",
    )
    item = AgendaItem.objects.create(meeting=meeting, position=1, title_en="Budget")
    return Paper.objects.create(
        agenda_item=item, title="Budget", file=ContentFile(b"budget figures", name="budget.pdf")
    )


@pytest.fixture
def invitee(paper):
    person = PersonFactory()
    enable_totp(person.user)
    Invitation.objects.create(meeting=paper.agenda_item.meeting, person=person)
    return person.user


@pytest.fixture
def publication_file(db, s3_storage):
    publication = Publication.objects.create(
        slug="naloxone-toolkit",
        kind="toolkit",
        status="published",
        published_on=datetime.date(2024, 3, 1),
        title_en="Naloxone toolkit",
    )
    return PublicationFile.objects.create(
        publication=publication,
        language="en",
        format="pdf",
        size=len(PDF),
        sha256=hashlib.sha256(PDF).hexdigest(),
        file=ContentFile(PDF, name="x.pdf"),
    )


def test_it_keeps_uploads_in_the_bucket_and_nothing_on_disk(paper, s3_server, s3_storage, settings):
    stored = s3_server.client().get_object(Bucket=s3_storage, Key=paper.file.name)

    assert stored["Body"].read() == b"budget figures"
    assert not Path(settings.MEDIA_ROOT).exists()


def test_no_object_is_readable_without_the_portal(paper, s3_server, s3_storage):
    client = s3_server.client()
    grants = client.get_object_acl(Bucket=s3_storage, Key=paper.file.name)["Grants"]

    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]
    assert all(grant["Grantee"]["Type"] == "CanonicalUser" for grant in grants)
    # Asked directly, without a signature, the storage refuses.
    unsigned = requests.get(f"{s3_server.endpoint_url}/{s3_storage}/{paper.file.name}", timeout=10)
    assert unsigned.status_code == 403


def test_a_paper_is_streamed_from_the_bucket_to_an_invitee_only(client, paper, invitee, outsider):
    url = f"/en/portal/papers/{paper.pk}/"

    assert client.get(url)["Location"].startswith("/en/accounts/login/")
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(invitee)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"budget figures"
    assert "attachment" in response["Content-Disposition"]


def test_a_publication_file_is_streamed_from_the_bucket(client, publication_file):
    response = client.get("/en/publications/naloxone-toolkit/en.pdf")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"] == 'inline; filename="naloxone-toolkit-en.pdf"'
    assert response["Content-Type"] == "application/pdf"


def test_a_file_the_bucket_has_lost_is_not_found(client, publication_file, s3_server, s3_storage):
    s3_server.client().delete_object(Bucket=s3_storage, Key=publication_file.file.name)

    assert client.get("/en/publications/naloxone-toolkit/en.pdf").status_code == 404


def test_with_media_redirect_an_invitee_is_sent_to_a_signed_address_for_a_minute(
    client, paper, invitee, settings
):
    settings.MEDIA_REDIRECT = True
    client.force_login(invitee)

    response = client.get(f"/en/portal/papers/{paper.pk}/")

    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["X-Amz-Expires"] == ["60"]
    assert "X-Amz-Signature" in query
    assert "attachment" in query["response-content-disposition"][0]
    fetched = requests.get(response["Location"], timeout=10)
    assert fetched.status_code == 200
    assert fetched.content == b"budget figures"
    assert "attachment" in fetched.headers["Content-Disposition"]
    # The visibility check still comes first: no address for anyone else.
    client.logout()
    assert client.get(f"/en/portal/papers/{paper.pk}/")["Location"].startswith(
        "/en/accounts/login/"
    )


def test_without_media_redirect_the_folder_storage_streams(client, publication_file, settings):
    # The redirect needs a storage that signs addresses; a folder streams whatever
    # MEDIA_REDIRECT says.
    settings.MEDIA_REDIRECT = True
    settings.STORAGES = settings.STORAGES | {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    }
    publication_file.file.save("x.pdf", ContentFile(PDF))

    response = client.get("/en/publications/naloxone-toolkit/en.pdf")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


def _storage_settings(env: dict) -> str:
    code = (
        "import django; django.setup()\n"
        "from django.conf import settings\n"
        "print(repr(settings.STORAGES['default']))"
    )
    base = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "inpud_portal.settings",
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "portal.inpud.net",
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=base | env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout


def test_the_local_folder_stays_the_default_without_a_bucket():
    assert "FileSystemStorage" in _storage_settings({})


def test_a_bucket_in_the_environment_moves_media_to_private_object_storage():
    stored = _storage_settings(
        {"S3_BUCKET": "inpud-media", "AWS_S3_ENDPOINT_URL": "http://minio:9000"}
    )

    assert "storages.backends.s3.S3Storage" in stored
    assert "'bucket_name': 'inpud-media'" in stored
    assert "'endpoint_url': 'http://minio:9000'" in stored
    assert "'default_acl': 'private'" in stored
    assert "'querystring_auth': True" in stored
