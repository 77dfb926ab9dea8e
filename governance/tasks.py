from celery import shared_task

from .services import elections as election_services
from .services import meeting_notices
from .services import notices as notifications


@shared_task
def advance_elections() -> list[str]:
    return election_services.elections_advance_due()


@shared_task
def remind_voters() -> list[int]:
    return notifications.elections_remind_due()


@shared_task
def announce_meeting_papers() -> list[int]:
    return meeting_notices.meeting_papers_announce_due()
