from celery import shared_task

from . import services


@shared_task
def sync_access() -> int:
    return services.access_sync_all()
