"""Failed sign-ins are throttled in the shared cache: per account whatever the
address, with a growing delay and a warning to the owner but never a lockout; and
per client address, with allowances a General Meeting's venue network fits in.
Counters are keyed by keyed hashes, never by an address or an email."""

import time

import pytest
from django.core import mail
from django.test import Client, override_settings

from members import login_throttle

from ..factories import PASSWORD
from .test_mfa import totp_code

# Short delays, so that a test can wait one out.
QUICK = {"LOGIN_DELAY_FIRST_SECONDS": 1, "LOGIN_DELAY_MAX_SECONDS": 2}
# A small per-address allowance, to see it work without many requests.
SMALL_IP_ALLOWANCE = {"login": "400/10m/ip", "login_failed": "3/10m/ip"}


def attempt(client, email, password, ip, **headers):
    return client.post(
        "/en/accounts/login/",
        {"login": email, "password": password},
        REMOTE_ADDR=ip,
        headers=headers,
    )


def locked_out(response) -> bool:
    return (
        response.status_code == 429 or "Too many failed login attempts" in response.content.decode()
    )


def logged_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == "/en/accounts/2fa/authenticate/"


def test_it_delays_guessing_one_account_from_many_addresses(client, asia_director):
    for n in range(5):
        attempt(Client(), asia_director.email, "wrong", f"203.0.113.{n + 1}")

    response = attempt(client, asia_director.email, PASSWORD, "198.51.100.20")

    assert locked_out(response)


def test_the_first_failures_cost_nothing(client, asia_director):
    for n in range(4):
        attempt(Client(), asia_director.email, "wrong", f"203.0.113.{n + 1}")

    assert logged_in(attempt(client, asia_director.email, PASSWORD, "198.51.100.20"))


# Long enough that the sign-ins before the check fit in it on a busy machine (the
# suite runs in parallel processes): with 1 s, a slow fifth failure let the owner in.
@override_settings(LOGIN_DELAY_FIRST_SECONDS=3, LOGIN_DELAY_MAX_SECONDS=3)
def test_the_owner_gets_in_once_the_delay_has_passed(client, asia_director):
    for n in range(5):
        attempt(Client(), asia_director.email, "wrong", f"203.0.113.{n + 1}")
    assert locked_out(attempt(Client(), asia_director.email, PASSWORD, "198.51.100.20"))

    time.sleep(3.1)

    assert logged_in(attempt(client, asia_director.email, PASSWORD, "198.51.100.20"))


@override_settings(**QUICK)
def test_the_delay_grows_with_each_failure_up_to_its_ceiling():
    assert [login_throttle.delay_seconds(n) for n in range(4, 10)] == [0, 1, 2, 2, 2, 2]


def test_the_default_delay_doubles_from_15_seconds_to_15_minutes():
    assert [login_throttle.delay_seconds(n) for n in (4, 5, 6, 7, 10, 11, 50)] == [
        0,
        15,
        30,
        60,
        480,
        900,
        900,
    ]


def test_the_owner_is_warned_once(client, asia_director, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(8):
            attempt(Client(), asia_director.email, "wrong", f"203.0.113.{n + 1}")

    assert [m.to for m in mail.outbox] == [[asia_director.email]]
    assert "Failed sign-in attempts" in mail.outbox[0].subject
    assert "/en/accounts/password/reset/" in mail.outbox[0].body


def test_an_address_without_an_account_gets_the_same_answer_and_mails_nobody(client, db):
    for n in range(5):
        attempt(Client(), "nobody@example.org", "wrong", f"203.0.113.{n + 1}")

    assert locked_out(attempt(client, "nobody@example.org", "wrong", "198.51.100.20"))
    assert mail.outbox == []


def second_factor(client, user, code):
    return client.post("/en/accounts/2fa/authenticate/", {"code": code}, REMOTE_ADDR="192.0.2.9")


def test_wrong_codes_after_the_right_password_are_delayed_and_the_owner_warned(
    client, asia_director, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(5):
            session = Client()
            assert logged_in(attempt(session, asia_director.email, PASSWORD, f"203.0.113.{n + 1}"))
            second_factor(session, asia_director, "000000")

    assert logged_in(attempt(client, asia_director.email, PASSWORD, "198.51.100.20"))
    response = second_factor(client, asia_director, totp_code(asia_director.totp_secret))

    assert "Too many failed login attempts" in response.content.decode()
    assert len(mail.outbox) == 1
    assert "Wrong codes were entered" in mail.outbox[0].subject
    assert "/en/accounts/password/change/" in mail.outbox[0].body


@override_settings(ACCOUNT_RATE_LIMITS=SMALL_IP_ALLOWANCE)
def test_it_limits_failures_per_address_across_accounts(client, db):
    for n in range(3):
        attempt(client, f"someone-{n}@example.org", "wrong", "203.0.113.7")

    assert locked_out(attempt(client, "someone-else@example.org", "wrong", "203.0.113.7"))
    assert not locked_out(attempt(Client(), "someone-else@example.org", "wrong", "198.51.100.2"))


@override_settings(ACCOUNT_RATE_LIMITS=SMALL_IP_ALLOWANCE)
def test_it_ignores_a_forged_forwarded_for_header_without_trusted_proxies(client, db):
    for n in range(3):
        attempt(
            client,
            f"someone-{n}@example.org",
            "wrong",
            "203.0.113.7",
            **{"x-forwarded-for": f"10.0.0.{n}"},
        )

    response = attempt(
        client,
        "someone-else@example.org",
        "wrong",
        "203.0.113.7",
        **{"x-forwarded-for": "10.0.0.99"},
    )

    assert locked_out(response)


@override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=1, ACCOUNT_RATE_LIMITS=SMALL_IP_ALLOWANCE)
def test_it_takes_the_client_address_from_the_trusted_proxy(client, db):
    # Behind one proxy, every request comes from the proxy's address; the client is
    # the last address the proxy appended.
    for n in range(3):
        attempt(
            client,
            f"someone-{n}@example.org",
            "wrong",
            "10.0.0.1",
            **{"x-forwarded-for": "203.0.113.7"},
        )

    same_client = attempt(
        Client(), "x@example.org", "wrong", "10.0.0.1", **{"x-forwarded-for": "203.0.113.7"}
    )
    other_client = attempt(
        Client(), "x@example.org", "wrong", "10.0.0.1", **{"x-forwarded-for": "198.51.100.20"}
    )

    assert not locked_out(other_client)
    assert locked_out(same_client)


@override_settings(ACCOUNT_RATE_LIMITS=SMALL_IP_ALLOWANCE)
def test_hopping_addresses_inside_one_ipv6_network_does_not_reset_the_count(client, db):
    for n in range(3):
        attempt(Client(), f"someone-{n}@example.org", "wrong", f"2001:db8::{n + 1}")

    assert locked_out(attempt(Client(), "x@example.org", "wrong", "2001:db8::ffff"))


@pytest.mark.redis
def test_redis_holds_no_address_and_no_email(client, asia_director):
    import redis
    from django.conf import settings

    for _ in range(6):
        attempt(Client(), asia_director.email, "wrong", "203.0.113.7")
    attempt(Client(), asia_director.email, PASSWORD, "2001:db8::1")

    connection = redis.Redis.from_url(settings.REDIS_URL)
    keys = [key.decode() for key in connection.keys("*")]
    assert any("login_failed" in key for key in keys)
    assert any("login-throttle:password" in key for key in keys)
    dump = " ".join(keys) + " ".join(
        str(connection.dump(key))
        for key in connection.keys("*")
        if connection.type(key) == b"string"
    )
    for secret in (
        "203.0.113.7",
        "2001:db8",
        asia_director.email,
        asia_director.email.split("@")[0],
    ):
        assert secret not in dump
    assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
