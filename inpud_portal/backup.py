"""Backups the server cannot read, and restores that prove themselves.

An archive (``inpud-backup-<UTC time>.tar.age``) is a tar file encrypted with age to
the public keys in ``BACKUP_RECIPIENTS``; only the matching private keys, kept off
the server, open it. Inside:

- ``database.dump``: ``pg_dump`` custom format;
- ``media/<name>``: every file of the default storage, read through Django's
  storage API, so a local folder and object storage both work (with
  ``BACKUP_MEDIA=manifest`` only their names, sizes and hashes are recorded, for
  buckets that are versioned and replicated on their own);
- ``manifest.json``: the row count of every table and the SHA-256 of every file.

The row counts and the dump come from one snapshot (``pg_export_snapshot``), so a
write during the backup cannot make them disagree. ``backup_restore`` checks every
hash before it touches the target, loads into an empty database and storage only,
and compares every count and hash afterwards.
"""

import contextlib
import datetime
import hashlib
import io
import json
import logging
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg2
import pyrage
from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage
from psycopg2 import sql

logger = logging.getLogger(__name__)

FORMAT = 1
ARCHIVE_PREFIX = "inpud-backup-"
ARCHIVE_SUFFIX = ".tar.age"
CHUNK = 1024 * 1024

_USER_TABLES = """
    select n.nspname, c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relkind in ('r', 'p') and n.nspname not in ('pg_catalog', 'information_schema')
      and n.nspname not like 'pg\\_toast%' and n.nspname not like 'pg\\_temp%'
    order by 1, 2
"""


class BackupError(Exception):
    """The backup or restore cannot go on; the message says why."""


@dataclass
class RestoreReport:
    tables: int = 0
    rows: int = 0
    files: int = 0
    # Object-storage backups: objects the manifest lists that the storage lacks or
    # holds with other content.
    missing_objects: list[str] = field(default_factory=list)


# PostgreSQL ---------------------------------------------------------------------------


def _connect(database: dict):
    options = database.get("OPTIONS") or {}
    return psycopg2.connect(
        dbname=database["NAME"],
        user=database.get("USER") or None,
        password=database.get("PASSWORD") or None,
        host=database.get("HOST") or None,
        port=database.get("PORT") or None,
        sslmode=options.get("sslmode"),
    )


@contextlib.contextmanager
def _cursor(database: dict):
    connection = _connect(database)
    try:
        with connection, connection.cursor() as cursor:
            yield cursor
    finally:
        connection.close()


def _tool_env(database: dict) -> dict:
    env = {**os.environ}
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
    ):
        if database.get(key):
            env[variable] = str(database[key])
    if (database.get("OPTIONS") or {}).get("sslmode"):
        env["PGSSLMODE"] = database["OPTIONS"]["sslmode"]
    return env


def _major(version_text: str) -> int:
    # "pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)"
    match = re.search(r"\(PostgreSQL\)\s+(\d+)", version_text)
    if not match:
        raise BackupError(f"cannot read a PostgreSQL version from {version_text!r}")
    return int(match.group(1))


def pg_tool(name: str, *, server_major: int) -> str:
    """The pg_dump/pg_restore that fits the server: a client older than the server
    refuses to dump it, so look for the server's own version first."""
    candidates = []
    if settings.BACKUP_PG_BIN_DIR:
        candidates.append(str(Path(settings.BACKUP_PG_BIN_DIR) / name))
    candidates.append(f"/usr/lib/postgresql/{server_major}/bin/{name}")
    if found := shutil.which(name):
        candidates.append(found)
    for candidate in candidates:
        if not os.access(candidate, os.X_OK):
            continue
        version = subprocess.run(  # noqa: S603 - our own arguments, no shell
            [candidate, "--version"], capture_output=True, text=True, check=True
        ).stdout
        if _major(version) >= server_major:
            return candidate
    raise BackupError(
        f"no {name} of PostgreSQL {server_major} or newer: install postgresql-client-"
        f"{server_major} or set BACKUP_PG_BIN_DIR"
    )


def _server_major(cursor) -> int:
    cursor.execute("show server_version_num")
    return int(cursor.fetchone()[0]) // 10000


def _table_counts(cursor) -> dict[str, int]:
    cursor.execute(_USER_TABLES)
    counts = {}
    for schema, table in cursor.fetchall():
        cursor.execute(
            sql.SQL("select count(*) from {}.{}").format(
                sql.Identifier(schema), sql.Identifier(table)
            )
        )
        counts[f"{schema}.{table}"] = cursor.fetchone()[0]
    return counts


def database_table_counts(*, database: dict) -> dict[str, int]:
    """Rows in every table of the database, by ``schema.table``."""
    with _cursor(database) as cursor:
        return _table_counts(cursor)


def _dump_database(database: dict, target: Path) -> dict[str, int]:
    """Dump into ``target`` and return the row counts of the same snapshot."""
    connection = _connect(database)
    try:
        connection.set_session(isolation_level="REPEATABLE READ", readonly=True)
        with connection.cursor() as cursor:
            tool = pg_tool("pg_dump", server_major=_server_major(cursor))
            cursor.execute("select pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            # The snapshot lives as long as this transaction: pg_dump reads exactly
            # what the counts below read.
            subprocess.run(  # noqa: S603 - our own arguments, no shell
                [tool, "--format=custom", f"--snapshot={snapshot}", f"--file={target}"]
                + ["--no-owner", "--no-privileges", f"--dbname={database['NAME']}"],
                env=_tool_env(database),
                check=True,
                capture_output=True,
            )
            counts = _table_counts(cursor)
        connection.rollback()
    except subprocess.CalledProcessError as error:
        raise BackupError(f"pg_dump failed: {error.stderr.decode(errors='replace')}") from error
    finally:
        connection.close()
    return counts


# Files ----------------------------------------------------------------------------------


def storage_names(storage: Storage, path: str = "") -> Iterator[str]:
    """Every file name in the storage, walking folders (or key prefixes)."""
    try:
        folders, files = storage.listdir(path)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{path}/{name}" if path else name
    for folder in sorted(folders):
        yield from storage_names(storage, f"{path}/{folder}" if path else folder)


def _sha256(stream) -> str:
    digest = hashlib.sha256()
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def storage_hashes(storage: Storage) -> dict[str, str]:
    """SHA-256 of every file in the storage, by name."""
    hashes = {}
    for name in storage_names(storage):
        with storage.open(name, "rb") as stream:
            hashes[name] = _sha256(stream)
    return hashes


class _HashingReader(io.RawIOBase):
    """Hashes what tarfile reads from a storage file on its way into the archive."""

    def __init__(self, stream):
        self.stream, self.digest, self.size = stream, hashlib.sha256(), 0

    def readable(self):
        return True

    def read(self, size=-1):
        chunk = self.stream.read(size)
        self.digest.update(chunk)
        self.size += len(chunk)
        return chunk


# Backup ---------------------------------------------------------------------------------


def _archive_name(now: datetime.datetime) -> str:
    return f"{ARCHIVE_PREFIX}{now:%Y%m%dT%H%M%S%fZ}{ARCHIVE_SUFFIX}"


def backup_create(
    *,
    directory: Path,
    recipients: list[str],
    database: dict,
    storage: Storage,
    media: str = "files",
) -> Path:
    """Write one encrypted archive into ``directory`` and return its path.

    1. Dump the database and count its rows in one snapshot.
    2. Add every media file (or, with ``media="manifest"``, only list it), hashing it.
    3. Add the manifest, then encrypt the tar to the age recipients.

    The plain tar exists only in a private temporary folder while this runs; the
    archive appears under its final name only once it is complete.
    """
    if not recipients:
        raise BackupError("no BACKUP_RECIPIENTS: a backup is only written encrypted")
    try:
        keys = [pyrage.x25519.Recipient.from_str(r.strip()) for r in recipients]
    except pyrage.RecipientError as error:
        raise BackupError(f"BACKUP_RECIPIENTS holds a key age cannot read: {error}") from error
    if media not in ("files", "manifest"):
        raise BackupError(f"BACKUP_MEDIA must be 'files' or 'manifest', not {media!r}")
    directory.mkdir(parents=True, exist_ok=True)
    now = datetime.datetime.now(datetime.UTC)
    target = directory / _archive_name(now)
    with tempfile.TemporaryDirectory(prefix="inpud-backup-") as work:
        work = Path(work)
        dump = work / "database.dump"
        counts = _dump_database(database, dump)
        with dump.open("rb") as stream:
            dump_hash = _sha256(stream)
        plain = work / "backup.tar"
        files = []
        with tarfile.open(plain, "w") as tar:
            tar.add(dump, arcname="database.dump")
            for name in storage_names(storage):
                size = storage.size(name)
                with storage.open(name, "rb") as stream:
                    if media == "files":
                        info = tarfile.TarInfo(f"media/{name}")
                        info.size, info.mtime = size, int(now.timestamp())
                        reader = _HashingReader(stream)
                        tar.addfile(info, reader)
                        digest = reader.digest.hexdigest()
                    else:
                        digest = _sha256(stream)
                files.append({"name": name, "size": size, "sha256": digest})
            manifest = {
                "format": FORMAT,
                "created_at": now.isoformat(),
                "database": {"file": "database.dump", "sha256": dump_hash, "tables": counts},
                "media": {"mode": media, "files": files},
            }
            data = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size, info.mtime = len(data), int(now.timestamp())
            tar.addfile(info, io.BytesIO(data))
        partial = target.with_name(target.name + ".partial")
        with plain.open("rb") as reader, partial.open("wb") as writer:
            os.chmod(partial, 0o600)
            pyrage.encrypt_io(reader, writer, keys)
        partial.rename(target)
    logger.info(
        "backup %s: %d tables, %d rows, %d files",
        target.name,
        len(counts),
        sum(counts.values()),
        len(files),
    )
    return target


def backups_prune(*, directory: Path, keep: int) -> list[Path]:
    """Delete all but the ``keep`` newest archives (never the last one); return the
    deleted paths. Half-written archives a crashed run left a day ago go too (a
    younger one may belong to a backup that is running)."""
    archives = sorted(directory.glob(f"{ARCHIVE_PREFIX}*{ARCHIVE_SUFFIX}"), reverse=True)
    day_ago = time.time() - 24 * 3600
    stale = archives[max(1, keep) :] + [
        path
        for path in directory.glob(f"{ARCHIVE_PREFIX}*.partial")
        if path.stat().st_mtime < day_ago
    ]
    for path in stale:
        path.unlink(missing_ok=True)
    return stale


def media_mode(setting: str, storage: Storage) -> str:
    """``auto``: the files themselves from a local folder; from object storage (versioned
    and replicated by its provider, and often too big to copy nightly) a manifest of
    every object's name, size and SHA-256, which the restore checks the bucket against."""
    if setting == "auto":
        return "files" if isinstance(storage, FileSystemStorage) else "manifest"
    return setting


# Restore --------------------------------------------------------------------------------


def _read_identities(identities: list[str]):
    keys = []
    for text in identities:
        for line in text.splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                try:
                    keys.append(pyrage.x25519.Identity.from_str(line))
                except pyrage.IdentityError as error:
                    raise BackupError(f"not an age private key: {error}") from error
    if not keys:
        raise BackupError("no age private key given")
    return keys


def _verify_archive(tar: tarfile.TarFile) -> dict:
    try:
        manifest = json.load(tar.extractfile("manifest.json"))
    except KeyError as error:
        raise BackupError("the archive has no manifest.json") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown archive format {manifest.get('format')!r}")
    expected = {f"media/{f['name']}": f["sha256"] for f in manifest["media"]["files"]}
    if manifest["media"]["mode"] != "files":
        expected = {}
    expected["database.dump"] = manifest["database"]["sha256"]
    found = {}
    for member in tar:
        if member.isfile() and member.name != "manifest.json":
            found[member.name] = _sha256(tar.extractfile(member))
    if found != expected:
        differing = sorted(
            n for n in expected.keys() | found.keys() if found.get(n) != expected.get(n)
        )
        raise BackupError(f"the archive does not match its manifest: {differing[:10]}")
    return manifest


def _refuse_non_empty(database: dict, storage: Storage, media_mode: str) -> None:
    with _cursor(database) as cursor:
        cursor.execute(_USER_TABLES)
        tables = cursor.fetchall()
    if tables:
        raise BackupError(
            f"the database {database['NAME']!r} is not empty ({len(tables)} tables): "
            "restore only into a new, empty database"
        )
    if media_mode == "files" and next(storage_names(storage), None) is not None:
        raise BackupError("the media storage is not empty: restore only into an empty one")


def backup_restore(
    *, archive: Path, identities: list[str], database: dict, storage: Storage
) -> RestoreReport:
    """Load an archive into an empty database and an empty media storage.

    1. Decrypt into a private temporary folder and check every file's SHA-256
       against the manifest, before anything is written to the target.
    2. Refuse a target database with any table, or a storage with any file.
    3. ``pg_restore`` in one transaction, then write the media files.
    4. Compare every table's row count and every file's hash with the manifest.
    """
    keys = _read_identities(identities)
    report = RestoreReport()
    with tempfile.TemporaryDirectory(prefix="inpud-restore-") as work:
        plain = Path(work) / "backup.tar"
        try:
            with archive.open("rb") as reader, plain.open("wb") as writer:
                pyrage.decrypt_io(reader, writer, keys)
        except pyrage.DecryptError as error:
            raise BackupError(f"cannot decrypt {archive.name}: {error}") from error
        with tarfile.open(plain, "r") as tar:
            manifest = _verify_archive(tar)
            media_mode = manifest["media"]["mode"]
            _refuse_non_empty(database, storage, media_mode)
            dump = Path(work) / "database.dump"
            with tar.extractfile("database.dump") as source, dump.open("wb") as target:
                shutil.copyfileobj(source, target, CHUNK)
            _restore_database(database, dump)
            if media_mode == "files":
                for entry in manifest["media"]["files"]:
                    with tar.extractfile(f"media/{entry['name']}") as source:
                        saved = storage.save(entry["name"], File(source, name=entry["name"]))
                    if saved != entry["name"]:
                        raise BackupError(f"the storage saved {entry['name']!r} as {saved!r}")
    counts = database_table_counts(database=database)
    if counts != manifest["database"]["tables"]:
        expected = manifest["database"]["tables"]
        differing = sorted(
            t for t in counts.keys() | expected.keys() if counts.get(t) != expected.get(t)
        )
        raise BackupError(f"row counts differ after the restore: {differing[:10]}")
    hashes = storage_hashes(storage)
    for entry in manifest["media"]["files"]:
        if hashes.get(entry["name"]) != entry["sha256"]:
            if media_mode == "files":
                raise BackupError(f"{entry['name']!r} differs after the restore")
            report.missing_objects.append(entry["name"])
    report.tables, report.rows = len(counts), sum(counts.values())
    report.files = len(manifest["media"]["files"]) - len(report.missing_objects)
    return report


def _restore_database(database: dict, dump: Path) -> None:
    with _cursor(database) as cursor:
        tool = pg_tool("pg_restore", server_major=_server_major(cursor))
    try:
        subprocess.run(  # noqa: S603 - our own arguments, no shell
            [tool, "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
            + [f"--dbname={database['NAME']}", str(dump)],
            env=_tool_env(database),
            check=True,
            capture_output=True,
        )
    except subprocess.CalledProcessError as error:
        raise BackupError(f"pg_restore failed: {error.stderr.decode(errors='replace')}") from error
