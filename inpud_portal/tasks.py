from celery import shared_task
from django.conf import settings

from . import outbox


def _send_budget() -> float:
    # Half the soft time limit: the task stops taking new messages well before Celery
    # would interrupt it, with room for the message in flight.
    return settings.CELERY_TASK_SOFT_TIME_LIMIT / 2


@shared_task
def send_outbox() -> int:
    import time

    report = outbox.outbox_send(deadline=time.monotonic() + _send_budget())
    if report.out_of_time and outbox.outbox_has_work():
        # Nothing failed: the rest goes on in a new task.
        send_outbox.delay()
    return report.sent


@shared_task
def sweep_outbox(*, follow_up: bool = False) -> None:
    """Put the rows of dead workers back to work. Run by beat, and by every worker
    as it starts, with a follow-up once any lease a killed worker held has ended."""
    outbox.outbox_sweep()
    if outbox.outbox_has_work():
        for _ in range(settings.MAIL_SENDERS):
            send_outbox.delay()
    if follow_up:
        sweep_outbox.apply_async(countdown=outbox.LEASE.total_seconds() + 1)


@shared_task
def beat_heartbeat() -> float:
    """Sent by beat on its schedule; its record is what the beat healthcheck reads."""
    from . import beat_heartbeat as heartbeat

    return heartbeat.heartbeat_record()


# Under the broker's visibility timeout (an hour), so a long backup is never handed
# to a second worker while the first is still writing it.
@shared_task(soft_time_limit=50 * 60, time_limit=55 * 60)
def backup_nightly() -> str:
    from pathlib import Path

    from django.core.files.storage import default_storage
    from django.db import connections

    from . import backup

    directory = Path(settings.BACKUP_DIR)
    archive = backup.backup_create(
        directory=directory,
        recipients=settings.BACKUP_RECIPIENTS,
        database=connections["default"].settings_dict,
        storage=default_storage,
        media=backup.media_mode(settings.BACKUP_MEDIA, default_storage),
    )
    backup.backups_prune(directory=directory, keep=settings.BACKUP_KEEP)
    return archive.name


@shared_task
def purge_outbox() -> int:
    return outbox.outbox_purge()
