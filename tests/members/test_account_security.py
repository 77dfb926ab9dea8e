import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from inpud_portal import settings as portal_settings

from ..factories import PASSWORD

ROOT = Path(__file__).resolve().parents[2]


def reauthenticate(client):
    client.post("/en/accounts/reauthenticate/", {"password": PASSWORD})


@pytest.fixture
def portal_hashers(settings):
    # The tests hash with MD5 for speed (tests/settings.py); these are the real ones.
    settings.PASSWORD_HASHERS = portal_settings.PASSWORD_HASHERS


def test_passwords_are_hashed_with_argon2(portal_hashers, asia_director):
    assert asia_director.password.startswith("argon2")
    assert portal_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_the_tests_alone_hash_with_md5(asia_director):
    assert asia_director.password.startswith("md5$")
    assert "MD5" not in " ".join(portal_settings.PASSWORD_HASHERS)


def test_changing_the_password_needs_a_fresh_reauthentication(client, asia_director):
    client.force_login(asia_director)

    response = client.post(
        "/en/accounts/password/change/",
        {
            "oldpassword": PASSWORD,
            "password1": "another long passphrase",
            "password2": "another long passphrase",
        },
    )

    assert response["Location"].startswith("/en/accounts/reauthenticate/")
    asia_director.refresh_from_db()
    assert asia_director.check_password(PASSWORD)


def test_changing_the_email_needs_a_fresh_reauthentication(client, asia_director):
    client.force_login(asia_director)

    response = client.post("/en/accounts/email/", {"action_add": "", "email": "new@example.org"})

    assert response["Location"].startswith("/en/accounts/reauthenticate/")
    assert not asia_director.emailaddress_set.filter(email="new@example.org").exists()


def test_changing_the_password_logs_out_other_sessions(asia_director):
    here, elsewhere = Client(), Client()
    here.force_login(asia_director)
    elsewhere.force_login(asia_director)
    reauthenticate(here)

    response = here.post(
        "/en/accounts/password/change/",
        {
            "oldpassword": PASSWORD,
            "password1": "another long passphrase",
            "password2": "another long passphrase",
        },
    )

    assert response.status_code == 302
    assert here.get("/en/portal/").status_code == 200
    assert elsewhere.get("/en/portal/")["Location"].startswith("/en/accounts/login/")


def test_every_response_carries_the_security_headers(client, db):
    for path in ["/en/", "/en/accounts/login/", "/healthz", "/sitemap.xml", "/en/no-such-page/"]:
        response = client.get(path)
        csp = response["Content-Security-Policy"]
        assert "default-src 'self'" in csp
        assert "http" not in csp  # no other origin is allowed
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert "camera=()" in response["Permissions-Policy"]


def _settings_process(env: dict, code: str = "") -> subprocess.CompletedProcess:
    base = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "inpud_portal.settings"}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + code],
        env=base | env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _settings_process({"ALLOWED_HOSTS": "portal.inpud.net"})

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = _settings_process({"SECRET_KEY": "x" * 60})

    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_a_boolean_setting_must_be_true_or_false():
    result = _settings_process({"DEBUG": "yes please"})

    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_the_production_profile_sets_hsts_and_secure_cookies():
    result = _settings_process(
        {"SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "portal.inpud.net"},
        "from django.conf import settings as s\n"
        "print(s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.SECURE_SSL_REDIRECT, s.DEBUG)",
    )

    assert result.stdout.split() == ["31536000", "True", "True", "True", "False"]


def test_the_deployment_checks_pass_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env={
            "PATH": "/usr/bin:/bin",
            "SECRET_KEY": "k7Gd0-very-long-random-looking-production-key-9f8e7d6c5b4a3-ZyXwVuTs",
            "ALLOWED_HOSTS": "portal.inpud.net",
        },
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
