import os
import sys
from pathlib import Path

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from inpud_portal import backup


class Command(BaseCommand):
    help = (
        "Load a backup archive into the EMPTY database (DATABASE_URL) and EMPTY media "
        "storage this portal is configured with, then compare every count and hash."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--identity",
            help="file holding the age private key; '-' reads it from standard input; "
            "default: the BACKUP_IDENTITY environment variable (the key itself)",
        )

    def handle(self, *args, **options):
        if options["identity"] == "-":
            identity = sys.stdin.read()
        elif options["identity"]:
            identity = Path(options["identity"]).read_text()
        else:
            identity = os.environ.get("BACKUP_IDENTITY", "")
        try:
            report = backup.backup_restore(
                archive=options["archive"],
                identities=[identity],
                database=connections["default"].settings_dict,
                storage=default_storage,
            )
        except (backup.BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {report.tables} tables ({report.rows} rows) and {report.files} "
                "files; every row count and file hash matches the manifest."
            )
        )
        if report.missing_objects:
            raise CommandError(
                f"{len(report.missing_objects)} objects the manifest lists are missing or "
                f"differ in the object storage, e.g. {report.missing_objects[:5]}"
            )
