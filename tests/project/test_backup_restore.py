"""The restore drill: a portal that has lived (demo data, an election, a mailing,
uploads) is backed up, everything is dropped, and the archive is restored into a
new database and media folder by ``manage.py restore`` in a separate process, as on
a new machine. Counts and hashes are compared here independently of the backup code.
"""

import hashlib
import io
import os
import shutil
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import psycopg2
import pyrage
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import InMemoryStorage, default_storage
from django.core.management import call_command
from django.db import connection
from psycopg2 import sql

from governance.models import Ballot
from inpud_portal import backup, outbox
from inpud_portal.models import OutboxMessage
from publications.models import Audience, Mailing, PublicationFile, Subscriber
from publications.services import mailing as mailing_services

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _psycopg(dbname: str):
    db = connection.settings_dict
    return psycopg2.connect(
        dbname=dbname,
        user=db["USER"] or None,
        password=db["PASSWORD"] or None,
        host=db["HOST"] or None,
        port=db["PORT"] or None,
    )


def row_counts(dbname: str) -> dict[str, int]:
    conn = _psycopg(dbname)
    try:
        with conn.cursor() as cursor:
            cursor.execute(
                "select table_name from information_schema.tables "
                "where table_schema = 'public' and table_type = 'BASE TABLE'"
            )
            tables = [row[0] for row in cursor.fetchall()]
            counts = {}
            for table in tables:
                cursor.execute(sql.SQL("select count(*) from {}").format(sql.Identifier(table)))
                counts[table] = cursor.fetchone()[0]
        return counts
    finally:
        conn.close()


def file_hashes(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in folder.rglob("*")
        if path.is_file()
    }


@pytest.fixture
def key_pair(tmp_path):
    identity = pyrage.x25519.Identity.generate()
    key_file = tmp_path / "backup-key.txt"
    key_file.write_text(f"# offline backup key\n{identity}\n")
    return str(identity.to_public()), key_file


@pytest.fixture
def new_database():
    name = f"inpud_restore_drill_{uuid.uuid4().hex[:8]}"
    admin = _psycopg("postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
    yield name
    with admin.cursor() as cursor:
        cursor.execute(
            sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name))
        )
    admin.close()


def a_portal_that_has_lived():
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    # A mailing sent through the outbox to subscribers in two languages.
    audience = Audience.objects.create(slug="drill", name="Drill")
    for email, language in (("amina@example.org", "ar"), ("jose@example.org", "es")):
        subscriber = Subscriber.objects.create(
            email=email,
            preferred_language=language,
            consent_at="2026-01-01T00:00Z",
            confirmed_at="2026-01-01T00:00Z",
        )
        subscriber.audiences.add(audience)
    mailing = Mailing.objects.create(subject="Drill mailing", body_text="Hello")
    mailing.audiences.add(audience)
    assert mailing_services.mailing_send_now(mailing=mailing)
    mailing_services.mailing_fan_out(mailing_id=mailing.pk)
    outbox.outbox_send()
    # Uploads: binary content, a name with accents and spaces, a nested folder.
    default_storage.save("uploads/drill/Relatório final é.bin", ContentFile(os.urandom(300_000)))
    default_storage.save("uploads/empty.txt", ContentFile(b""))

    assert Ballot.objects.exists(), "the demo holds a counted election"
    assert OutboxMessage.objects.filter(kind="mailing", status="sent").count() == 2
    assert PublicationFile.objects.exists()


def test_it_restores_every_row_and_file_into_a_new_database_and_media_folder(
    tmp_path, key_pair, new_database
):
    public_key, key_file = key_pair
    a_portal_that_has_lived()
    source_db = connection.settings_dict["NAME"]
    media = Path(settings.MEDIA_ROOT)
    counts_before, hashes_before = row_counts(source_db), file_hashes(media)
    assert len(hashes_before) >= 4

    call_command(
        "backup",
        directory=str(tmp_path / "backups"),
        recipient=[public_key],
        stdout=open(os.devnull, "w"),  # noqa: SIM115
    )
    (archive,) = (tmp_path / "backups").glob("inpud-backup-*.tar.age")
    # Encrypted: nothing of the portal is readable without the private key.
    data = archive.read_bytes()
    assert data.startswith(b"age-encryption.org/v1")
    assert b"amina@example.org" not in data and b"PGDMP" not in data

    # Everything is dropped: the old database is emptied and the media folder gone.
    with connection.cursor() as cursor:
        tables = ", ".join(connection.ops.quote_name(t) for t in counts_before)
        cursor.execute(f"truncate {tables} cascade")  # noqa: S608 - our own table names
    shutil.rmtree(media)

    restored_media = tmp_path / "restored-media"
    db = connection.settings_dict
    environment = {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{new_database}"
        ),
        "MEDIA_ROOT": str(restored_media),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "restore", str(archive), "--identity", str(key_file)],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "every row count and file hash matches" in result.stdout

    assert row_counts(new_database) == counts_before
    assert file_hashes(restored_media) == hashes_before
    assert counts_before["governance_ballot"] > 0
    assert counts_before["inpud_portal_outboxmessage"] >= 2


def test_it_refuses_to_restore_into_a_database_that_is_not_empty(tmp_path, key_pair):
    public_key, key_file = key_pair
    Subscriber.objects.create(email="kept@example.org", consent_at="2026-01-01T00:00Z")
    archive = backup.backup_create(
        directory=tmp_path,
        recipients=[public_key],
        database=connection.settings_dict,
        storage=default_storage,
    )
    with pytest.raises(backup.BackupError, match="not empty"):
        backup.backup_restore(
            archive=archive,
            identities=[key_file.read_text()],
            database=connection.settings_dict,
            storage=default_storage,
        )
    assert Subscriber.objects.get().email == "kept@example.org"


def test_it_refuses_a_media_folder_that_is_not_empty(tmp_path, key_pair, new_database):
    public_key, key_file = key_pair
    default_storage.save("uploads/a.txt", ContentFile(b"a"))
    archive = backup.backup_create(
        directory=tmp_path,
        recipients=[public_key],
        database=connection.settings_dict,
        storage=default_storage,
    )
    with pytest.raises(backup.BackupError, match="storage is not empty"):
        backup.backup_restore(
            archive=archive,
            identities=[key_file.read_text()],
            database={**connection.settings_dict, "NAME": new_database},
            storage=default_storage,
        )
    assert row_counts(new_database) == {}


def test_it_cannot_be_read_with_another_key(tmp_path, key_pair, new_database):
    public_key, _key_file = key_pair
    archive = backup.backup_create(
        directory=tmp_path,
        recipients=[public_key],
        database=connection.settings_dict,
        storage=default_storage,
    )
    with pytest.raises(backup.BackupError, match="cannot decrypt"):
        backup.backup_restore(
            archive=archive,
            identities=[str(pyrage.x25519.Identity.generate())],
            database={**connection.settings_dict, "NAME": new_database},
            storage=default_storage,
        )


def test_the_nightly_task_writes_an_archive_and_keeps_the_newest(tmp_path, key_pair, settings):
    public_key, _key_file = key_pair
    settings.BACKUP_DIR, settings.BACKUP_RECIPIENTS, settings.BACKUP_KEEP = (
        str(tmp_path),
        [public_key],
        2,
    )
    from inpud_portal.tasks import backup_nightly

    names = [backup_nightly.apply().get() for _ in range(3)]

    assert sorted(p.name for p in tmp_path.glob("inpud-backup-*")) == sorted(names[1:])


def _beat_schedule(**environment) -> str:
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.CELERY_BEAT_SCHEDULE.get('nightly-backup'))",
        ],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "inpud_portal.settings", **environment},
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_beat_runs_the_backup_nightly_only_when_configured(key_pair):
    public_key, _key_file = key_pair
    assert _beat_schedule(BACKUP_DIR="", BACKUP_RECIPIENTS="").strip() == "None"
    configured = _beat_schedule(
        BACKUP_DIR="/var/backups/inpud", BACKUP_RECIPIENTS=public_key, BACKUP_HOUR_UTC="3"
    )
    assert "inpud_portal.tasks.backup_nightly" in configured
    assert "<crontab: 15 3 * * *" in configured


def test_an_object_storage_backup_lists_the_objects_and_the_restore_checks_the_bucket(
    tmp_path, key_pair, new_database
):
    public_key, key_file = key_pair
    for name in ("uploads/a.bin", "uploads/b.bin"):
        default_storage.save(name, ContentFile(os.urandom(1000)))
    assert backup.media_mode("auto", default_storage) == "files"
    assert backup.media_mode("auto", InMemoryStorage()) == "manifest"

    archive = backup.backup_create(
        directory=tmp_path / "backups",
        recipients=[public_key],
        database=connection.settings_dict,
        storage=default_storage,
        media="manifest",
    )
    plain = pyrage.decrypt(
        archive.read_bytes(),
        [pyrage.x25519.Identity.from_str(key_file.read_text().splitlines()[1])],
    )
    with tarfile.open(fileobj=io.BytesIO(plain)) as tar:
        assert sorted(tar.getnames()) == ["database.dump", "manifest.json"]

    # The bucket outlived the server, but one object in it was lost.
    bucket = InMemoryStorage()
    for name in ("uploads/a.bin", "uploads/b.bin"):
        with default_storage.open(name) as stream:
            bucket.save(name, stream)
    bucket.delete("uploads/b.bin")
    report = backup.backup_restore(
        archive=archive,
        identities=[key_file.read_text()],
        database={**connection.settings_dict, "NAME": new_database},
        storage=bucket,
    )

    assert report.missing_objects == ["uploads/b.bin"]
    assert report.files == 1
    assert row_counts(new_database) == row_counts(connection.settings_dict["NAME"])
