from celery import shared_task

from . import notifications, services


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_invitation(*, person_id: int) -> None:
    notifications.invitation_send(person_id=person_id)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_sign_in_warning(*, user_id: int, second_factor: bool) -> None:
    notifications.sign_in_warning_send(user_id=user_id, second_factor=second_factor)


@shared_task
def sync_access() -> int:
    return services.access_sync_all()
