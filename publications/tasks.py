from celery import shared_task

from .services import mailing as services


@shared_task
def fan_out_mailing(*, mailing_id: int) -> int:
    return services.mailing_fan_out(mailing_id=mailing_id)


@shared_task
def start_due_mailings() -> list[int]:
    return services.mailings_start_due()


@shared_task
def resume_stalled_mailings() -> int:
    return services.mailings_resume_stalled()
