from celery import shared_task

from .services import mailing as services


@shared_task
def fan_out_mailing(*, mailing_id: int) -> int:
    batches = services.mailing_fan_out(mailing_id=mailing_id)
    for batch in batches:
        send_deliveries.delay(delivery_ids=batch)
    return len(batches)


@shared_task(bind=True, max_retries=8)
def send_deliveries(self, *, delivery_ids: list[int]) -> None:
    retry = services.deliveries_send(delivery_ids=delivery_ids)
    if retry:
        raise self.retry(
            kwargs={"delivery_ids": retry}, countdown=services.retry_countdown(self.request.retries)
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
