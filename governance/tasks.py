from celery import shared_task

from . import notifications
from .models import Election
from .services import elections as election_services


@shared_task
def advance_elections() -> list[str]:
    return election_services.elections_advance_due()


@shared_task
def notify_election(*, election_id: int, event: str) -> None:
    election = Election.objects.get(pk=election_id)
    for person_id in notifications.election_recipients(election=election, event=event).values_list(
        "pk", flat=True
    ):
        send_election_notice.delay(election_id=election_id, person_id=person_id, event=event)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_election_notice(*, election_id: int, person_id: int, event: str) -> None:
    notifications.election_notice_send(election_id=election_id, person_id=person_id, event=event)


@shared_task
def remind_voters() -> None:
    for election_id in notifications.elections_remind_due():
        notify_election.delay(election_id=election_id, event="reminder")
