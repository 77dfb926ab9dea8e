"""docker-compose.yml cannot be run here (no Docker engine); check what can be checked:
its services, healthchecks, volumes, and that its commands point at real modules."""

import importlib
import shlex
from pathlib import Path

import pytest
import yaml
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def command_words(service) -> list[str]:
    command = service["command"]
    return shlex.split(command) if isinstance(command, str) else command


def test_it_describes_the_production_stack(compose):
    assert set(compose["services"]) == {"web", "worker", "beat", "db", "redis"}
    for name, service in compose["services"].items():
        assert "healthcheck" in service, name
        assert service["healthcheck"]["test"], name


def test_the_data_lives_in_named_volumes(compose):
    assert "postgres-data:/var/lib/postgresql/data" in compose["services"]["db"]["volumes"]
    assert "redis-data:/data" in compose["services"]["redis"]["volumes"]
    assert {"postgres-data", "redis-data", "media"} <= set(compose["volumes"])


def test_the_app_services_wait_for_healthy_database_and_redis(compose):
    for name in ["web", "worker", "beat"]:
        depends = compose["services"][name]["depends_on"]
        assert depends["db"]["condition"] == "service_healthy"
        assert depends["redis"]["condition"] == "service_healthy"
        env = compose["services"][name]["environment"]
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["REDIS_URL"].startswith("redis://redis:6379")


def test_the_web_command_serves_the_real_wsgi_application(compose):
    words = " ".join(command_words(compose["services"]["web"]))
    assert "gunicorn inpud_portal.wsgi:application --config gunicorn.conf.py" in words
    assert "manage.py migrate" in words
    module, attribute = ["inpud_portal.wsgi", "application"]
    assert callable(getattr(importlib.import_module(module), attribute))
    assert (ROOT / "gunicorn.conf.py").is_file()
    assert "inpud_portal.wsgi:application" in (ROOT / "Dockerfile").read_text()


@pytest.mark.parametrize("service", ["worker", "beat"])
def test_celery_commands_point_at_the_real_celery_app(compose, service):
    words = command_words(compose["services"][service])
    assert words[:3] == ["celery", "-A", "inpud_portal"]
    assert words[3] == service
    app = importlib.import_module("inpud_portal").celery_app
    assert app.main == "inpud_portal"


def test_the_worker_consumes_every_queue_tasks_are_sent_to(compose):
    words = command_words(compose["services"]["worker"])
    queues = set(next(w for w in words if w.startswith("--queues=")).split("=")[1].split(","))
    routed = {route["queue"] for route in getattr(settings, "CELERY_TASK_ROUTES", {}).values()}
    assert {settings.CELERY_TASK_DEFAULT_QUEUE} | routed <= queues


def test_the_web_healthcheck_asks_the_real_healthz(compose, live_server):
    """Run the web container's healthcheck command against a running portal."""
    import subprocess
    import sys
    from urllib.parse import urlsplit

    test = compose["services"]["web"]["healthcheck"]["test"]
    assert test[:3] == ["CMD", "python", "-c"]
    address = urlsplit(live_server.url).netloc
    code = test[3].replace("127.0.0.1:8000", address)
    assert code != test[3]

    def healthcheck(hosts: str) -> int:
        return subprocess.run(
            [sys.executable, "-c", code], env={"ALLOWED_HOSTS": hosts}, timeout=30
        ).returncode

    # The portal answers only to its ALLOWED_HOSTS: the check sends the first one.
    assert healthcheck("testserver,portal.inpud.net") == 0
    assert healthcheck("not-allowed.example") != 0


def test_gunicorn_listens_on_loopback_unless_told_otherwise(monkeypatch):
    import runpy

    monkeypatch.delenv("GUNICORN_BIND", raising=False)

    assert runpy.run_path(str(ROOT / "gunicorn.conf.py"))["bind"] == "127.0.0.1:8000"


def test_the_container_listens_on_its_own_interfaces_published_on_loopback(compose):
    web = compose["services"]["web"]

    assert web["environment"]["GUNICORN_BIND"] == "0.0.0.0:8000"
    assert web["environment"]["DATABASE_URL"].startswith("postgres://")
    assert web["ports"] == ["127.0.0.1:8000:8000"]
    assert "ENV GUNICORN_BIND=0.0.0.0:8000" in (ROOT / "Dockerfile").read_text()
