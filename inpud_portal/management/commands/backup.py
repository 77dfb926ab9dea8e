from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from inpud_portal import backup


class Command(BaseCommand):
    help = (
        "Write one archive (database, media, manifest of counts and SHA-256 sums) "
        "encrypted to BACKUP_RECIPIENTS, and keep the BACKUP_KEEP newest."
    )

    def add_arguments(self, parser):
        parser.add_argument("--directory", default=settings.BACKUP_DIR, help="default: BACKUP_DIR")
        parser.add_argument(
            "--recipient",
            action="append",
            help="an age public key (repeatable); default: BACKUP_RECIPIENTS",
        )
        parser.add_argument(
            "--keep", type=int, default=settings.BACKUP_KEEP, help="default: BACKUP_KEEP"
        )

    def handle(self, *args, **options):
        if not options["directory"]:
            raise CommandError("Give --directory or set BACKUP_DIR.")
        directory = Path(options["directory"])
        try:
            archive = backup.backup_create(
                directory=directory,
                recipients=options["recipient"] or settings.BACKUP_RECIPIENTS,
                database=connections["default"].settings_dict,
                storage=default_storage,
                media=backup.media_mode(settings.BACKUP_MEDIA, default_storage),
            )
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        deleted = backup.backups_prune(directory=directory, keep=options["keep"])
        self.stdout.write(self.style.SUCCESS(f"Backup written: {archive}"))
        for path in deleted:
            self.stdout.write(f"Deleted old backup {path.name}")
