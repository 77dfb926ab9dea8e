"""inpud_portal/celery.py configures Celery from the settings, the standard way."""

import pytest
from django.conf import settings

from inpud_portal.celery import app


@pytest.fixture(scope="module")
def registered():
    app.loader.import_default_modules()
    return set(app.tasks)


def test_it_reads_its_configuration_from_the_settings():
    assert app.main == "inpud_portal"
    assert app.conf.task_serializer == "json"
    assert app.conf.result_serializer == "json"
    assert app.conf.accept_content == ["json"]
    # A task is acknowledged after it ran, and a worker killed mid-task gives it back.
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1


def test_every_task_has_time_limits_shorter_than_the_redelivery_timeout():
    soft, hard = app.conf.task_soft_time_limit, app.conf.task_time_limit
    assert 0 < soft < hard
    # Redis redelivers an unacknowledged task after the visibility timeout: it must
    # not do so while the task may still be running.
    assert app.conf.broker_transport_options["visibility_timeout"] > hard


def test_it_runs_tasks_eagerly_only_without_a_broker():
    assert app.conf.task_always_eager == settings.CELERY_TASK_ALWAYS_EAGER
    if settings.REDIS_URL:
        assert app.conf.broker_url == settings.REDIS_URL
    else:
        assert app.conf.broker_url == "memory://"


def test_it_discovers_the_tasks_of_every_app(registered):
    for name in [
        "governance.tasks.remind_voters",
        "members.tasks.sync_access",
        "governance.tasks.advance_elections",
        "inpud_portal.tasks.send_outbox",
        "inpud_portal.tasks.sweep_outbox",
    ]:
        assert name in registered


def test_the_beat_schedule_names_real_tasks(registered):
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in registered


def test_the_queue_routes_name_real_tasks(registered):
    for name in settings.CELERY_TASK_ROUTES:
        assert name in registered
