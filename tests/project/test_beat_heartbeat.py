"""Beat's healthcheck fails when beat stops scheduling: the heartbeat task beat sends
is recorded by a worker, and `manage.py beat_healthcheck` reads its age."""

import datetime
import os
import shlex
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
import yaml
from django.conf import settings
from django.core.management import CommandError, call_command

from inpud_portal import beat_heartbeat
from inpud_portal.tasks import beat_heartbeat as beat_heartbeat_task

from ..celery_worker import Worker, database_url, wait_until

ROOT = Path(__file__).resolve().parents[2]


def test_it_is_unhealthy_before_any_heartbeat():
    with pytest.raises(CommandError, match="no beat heartbeat"):
        call_command("beat_healthcheck")


def test_a_fresh_heartbeat_is_healthy(capsys):
    beat_heartbeat_task.apply()

    call_command("beat_healthcheck")

    assert "beat heartbeat 0 s ago" in capsys.readouterr().out


def test_a_heartbeat_older_than_the_limit_is_unhealthy():
    beat_heartbeat_task.apply()
    later = datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(
        seconds=settings.BEAT_HEARTBEAT_MAX_AGE + 5
    )

    with time_machine.travel(later, tick=False):
        assert not beat_heartbeat.heartbeat_is_fresh()
        with pytest.raises(CommandError, match="limit 180 s"):
            call_command("beat_healthcheck")
        call_command("beat_healthcheck", max_age=settings.BEAT_HEARTBEAT_MAX_AGE + 60)


def test_beat_sends_the_heartbeat_more_often_than_the_limit():
    [entry] = [
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "inpud_portal.tasks.beat_heartbeat"
    ]
    assert entry["schedule"] * 3 <= settings.BEAT_HEARTBEAT_MAX_AGE


def test_the_beat_container_checks_the_heartbeat():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    test = compose["services"]["beat"]["healthcheck"]["test"]
    words = shlex.split(test[1]) if test[0] == "CMD-SHELL" else test[1:]
    assert words[:3] == ["python", "manage.py", "beat_healthcheck"]


@pytest.mark.postgres
@pytest.mark.worker
def test_the_healthcheck_fails_once_a_real_beat_stops(transactional_db, tmp_path):
    """A real beat and a real worker: healthy while beat runs, unhealthy soon after
    it is stopped (SIGSTOP: alive, but scheduling nothing)."""
    env = {"BEAT_HEARTBEAT_SECONDS": "1", "BEAT_HEARTBEAT_MAX_AGE": "4"}
    worker = Worker(**env).start()
    beat = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "inpud_portal", "beat", "--loglevel=INFO"]
        + [f"--schedule={tmp_path / 'celerybeat-schedule'}"],
        cwd=ROOT,
        env=worker.env | env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )

    def healthcheck() -> int:
        return subprocess.run(
            [sys.executable, "manage.py", "beat_healthcheck"],
            cwd=ROOT,
            env=os.environ | {"DATABASE_URL": database_url()} | env,
            capture_output=True,
            timeout=60,
        ).returncode

    try:
        assert healthcheck() != 0
        assert wait_until(lambda: healthcheck() == 0, timeout=90)
        beat.send_signal(signal.SIGSTOP)
        assert wait_until(lambda: healthcheck() != 0, timeout=30)
    finally:
        beat.kill()
        beat.wait(10)
        worker.stop()
