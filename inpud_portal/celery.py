import os

from celery import Celery
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inpud_portal.settings")

app = Celery("inpud_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_ready.connect
def _sweep_the_outbox_on_start(**_kwargs):
    # A worker that comes up after a kill -9 picks up the rows the dead one held
    # as soon as their leases end, without waiting for beat.
    from .tasks import sweep_outbox

    sweep_outbox.apply_async(kwargs={"follow_up": True})
