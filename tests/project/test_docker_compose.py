"""docker-compose.yml cannot be run here (no Docker engine); check what can be checked:
its services, healthchecks, volumes, and that its commands point at real modules."""

import importlib
import json
import re
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


APP_SERVICES = ["web", "worker", "beat"]


def test_it_describes_the_production_stack(compose):
    assert set(compose["services"]) == {
        "proxy",
        "web",
        "worker",
        "beat",
        "db",
        "redis",
        "minio",
        "media-bucket",
    }
    for name, service in compose["services"].items():
        if name == "media-bucket":  # runs once and exits
            assert service["restart"] == "no"
            continue
        assert "healthcheck" in service, name
        assert service["healthcheck"]["test"], name


def test_the_data_lives_in_named_volumes(compose):
    assert "postgres-data:/var/lib/postgresql/data" in compose["services"]["db"]["volumes"]
    assert "redis-data:/data" in compose["services"]["redis"]["volumes"]
    assert "minio-data:/data" in compose["services"]["minio"]["volumes"]
    assert "caddy-data:/data" in compose["services"]["proxy"]["volumes"]
    assert {"postgres-data", "redis-data", "minio-data", "caddy-data"} <= set(compose["volumes"])


def test_no_app_container_keeps_uploads_on_its_disk(compose):
    for name in APP_SERVICES:
        service = compose["services"][name]
        env = service["environment"]
        # The worker mounts one volume, for backup archives only (see below).
        assert service.get("volumes", []) == (
            ["${BACKUP_VOLUME:-backups}:/backups"] if name == "worker" else []
        ), name
        assert env["S3_BUCKET"] == "${S3_BUCKET:-inpud-media}"
        assert env["AWS_S3_ENDPOINT_URL"] == "http://minio:9000"
        assert env["AWS_S3_ADDRESSING_STYLE"] == "path"
        # The bucket exists (and is private) before any of them starts.
        assert service["depends_on"]["media-bucket"]["condition"] == (
            "service_completed_successfully"
        )
    setup = " ".join(compose["services"]["media-bucket"]["command"])
    assert 'mc mb --ignore-existing "local/$$S3_BUCKET"' in setup
    assert 'mc anonymous set none "local/$$S3_BUCKET"' in setup
    assert (
        compose["services"]["media-bucket"]["environment"]["S3_BUCKET"]
        == (compose["services"]["web"]["environment"]["S3_BUCKET"])
    )


def test_the_web_service_scales(compose):
    """`docker compose up --scale web=3`: no fixed host port, no fixed container
    name; only the proxy publishes ports, and finds every web container by DNS."""
    web = compose["services"]["web"]
    assert "ports" not in web
    assert "container_name" not in web
    assert web["expose"] == ["8000"]
    for name, service in compose["services"].items():
        if name != "proxy":
            assert "ports" not in service, name
            assert "container_name" not in service, name
    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text()
    assert re.search(r"dynamic a \{\s*name web\s*port 8000", caddyfile)


def test_the_proxy_terminates_tls_and_compresses_only_public_responses(compose):
    proxy = compose["services"]["proxy"]
    assert proxy["image"].startswith("caddy:")
    assert "./deploy/Caddyfile:/etc/caddy/Caddyfile:ro" in proxy["volumes"]
    assert "443:443" in proxy["ports"]
    assert proxy["depends_on"]["web"]["condition"] == "service_healthy"
    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text()
    # A site address makes Caddy serve HTTPS with a certificate it obtains itself.
    assert caddyfile.splitlines()[3] == "{$SITE_ADDRESS:localhost} {"
    assert re.search(r"encode zstd gzip \{\s*match \{\s*header Cache-Control \*public\*", caddyfile)
    # Caddy sends X-Forwarded-For/-Proto/-Host itself: the portal trusts one proxy.
    for name in APP_SERVICES:
        assert compose["services"][name]["environment"]["TRUSTED_PROXY_COUNT"] == 1


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


def test_the_container_listens_on_its_own_interfaces_reached_through_the_proxy(compose):
    web = compose["services"]["web"]

    assert web["environment"]["GUNICORN_BIND"] == "0.0.0.0:8000"
    assert web["environment"]["DATABASE_URL"].startswith("postgres://")
    assert "ENV GUNICORN_BIND=0.0.0.0:8000" in (ROOT / "Dockerfile").read_text()


@pytest.fixture(scope="module")
def dockerfile() -> str:
    # Continuation lines joined, as Docker reads them.
    return (ROOT / "Dockerfile").read_text().replace("\\\n", " ")


def test_the_image_is_built_in_stages_from_the_lockfile(dockerfile):
    stages = re.findall(r"^FROM (\S+)(?: AS (\w+))?", dockerfile, re.MULTILINE)
    assert len(stages) == 2
    assert stages[0][1] == "build"
    assert "COPY --from=build /venv /venv" in dockerfile
    assert re.search(r"pip install --require-hashes --no-deps -r \S*requirements\.lock", dockerfile)
    assert "pip install ." not in dockerfile


def test_the_code_belongs_to_root_and_only_the_media_folder_to_the_app(dockerfile):
    assert "USER portal" in dockerfile
    assert "--uid 1000 portal" in dockerfile
    assert "chown -R" not in dockerfile
    assert "chmod -R a-w,a+rX /app" in dockerfile
    assert "mkdir -p /app/media && chown portal:portal /app/media" in dockerfile
    # The media folder is made after the code is made read-only.
    assert dockerfile.index("chmod -R a-w") < dockerfile.index("chown portal:portal /app/media")
    assert "ENV PYTHONDONTWRITEBYTECODE=1" in dockerfile


def test_the_image_checks_its_health_as_the_web_service_does(dockerfile, compose):
    [healthcheck] = re.findall(r"^HEALTHCHECK .*CMD (\[.*\])$", dockerfile, re.MULTILINE)
    words = json.loads(healthcheck)
    web = compose["services"]["web"]["healthcheck"]["test"]
    assert words[:2] == ["python", "-c"]
    assert words[2].split() == web[3].split()


def test_the_worker_and_beat_have_their_own_healthchecks(compose):
    beat = compose["services"]["beat"]["healthcheck"]["test"]
    assert beat == ["CMD", "python", "manage.py", "beat_healthcheck"]
    assert "inspect ping" in compose["services"]["worker"]["healthcheck"]["test"][1]


def test_the_worker_writes_the_nightly_backup_to_its_own_volume(compose, dockerfile):
    """Beat schedules the backup when BACKUP_DIR and BACKUP_RECIPIENTS are set; the
    worker runs it, so the folder it writes to is the worker's mounted volume."""
    for name in ["worker", "beat"]:
        env = compose["services"][name]["environment"]
        assert env["BACKUP_RECIPIENTS"] == "${BACKUP_RECIPIENTS:-}"
        # Set only with recipients: without them there is nothing to encrypt to.
        assert env["BACKUP_DIR"] == "${BACKUP_RECIPIENTS:+/backups}"
    [volume] = compose["services"]["worker"]["volumes"]
    assert volume.rsplit(":", 1)[1] == "/backups"
    assert "backups" in compose["volumes"]
    # A fresh named volume takes the image folder's owner: the portal's user.
    assert "mkdir -p /backups && chown portal:portal /backups && chmod 0700 /backups" in dockerfile
