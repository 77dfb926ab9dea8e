import time

from celery import shared_task
from django.conf import settings

from .services import mailing as services


@shared_task
def fan_out_mailing(*, mailing_id: int) -> int:
    batches = services.mailing_fan_out(mailing_id=mailing_id)
    for batch in batches:
        send_deliveries.delay(delivery_ids=batch)
    return len(batches)


def _send_budget() -> float:
    # Half the soft time limit: the task stops taking new messages well before Celery
    # would interrupt it, with room for the message in flight.
    return settings.CELERY_TASK_SOFT_TIME_LIMIT / 2


@shared_task(bind=True, max_retries=8)
def send_deliveries(self, *, delivery_ids: list[int]) -> None:
    outcome = services.deliveries_send(
        delivery_ids=delivery_ids, deadline=time.monotonic() + _send_budget()
    )
    if outcome.not_started:
        # Nothing failed: the rest go on in a new task, not as a retry.
        send_deliveries.delay(delivery_ids=outcome.not_started)
    if outcome.retry:
        raise self.retry(
            kwargs={"delivery_ids": outcome.retry},
            countdown=services.retry_countdown(self.request.retries),
        )


@shared_task
def start_due_mailings() -> list[int]:
    return services.mailings_start_due()


@shared_task
def resume_stalled_mailings() -> int:
    batches = services.mailings_resume_stalled()
    for batch in batches:
        send_deliveries.delay(delivery_ids=batch)
    return len(batches)
