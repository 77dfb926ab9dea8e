from celery import shared_task

from .services.consultations import consultations_advance


@shared_task
def advance_consultations():
    """Open, remind and close consultations on time (Celery beat, every minute)."""
    return consultations_advance()
