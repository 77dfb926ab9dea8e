"""The beat container's healthcheck: fails when beat's heartbeat is missing or old."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from inpud_portal import beat_heartbeat


class Command(BaseCommand):
    help = "Exit non-zero unless Celery beat's heartbeat task ran recently."

    def add_arguments(self, parser):
        parser.add_argument(
            "--max-age",
            type=float,
            default=None,
            help="seconds (default: BEAT_HEARTBEAT_MAX_AGE)",
        )

    def handle(self, *args, max_age=None, **options):
        limit = settings.BEAT_HEARTBEAT_MAX_AGE if max_age is None else max_age
        age = beat_heartbeat.heartbeat_age()
        if age is None:
            raise CommandError("no beat heartbeat recorded yet")
        if not beat_heartbeat.heartbeat_is_fresh(max_age=limit):
            raise CommandError(f"last beat heartbeat {age:.0f} s ago (limit {limit:.0f} s)")
        self.stdout.write(f"beat heartbeat {age:.0f} s ago")
