"""Failed logins are throttled in the shared cache, per client IP and per (IP, email),
so an attacker elsewhere cannot lock a director out."""

import pytest
from django.test import Client, override_settings

from ..factories import PASSWORD


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


def test_it_stops_guessing_from_one_address(client, asia_director):
    for _ in range(5):
        attempt(client, asia_director.email, "wrong", "203.0.113.7")

    response = attempt(client, asia_director.email, PASSWORD, "203.0.113.7")

    assert locked_out(response)


def test_an_attacker_cannot_lock_the_owner_out_from_elsewhere(client, asia_director):
    for _ in range(10):
        attempt(client, asia_director.email, "wrong", "203.0.113.7")

    response = attempt(client, asia_director.email, PASSWORD, "198.51.100.20")

    assert not locked_out(response)
    assert response["Location"] == "/en/accounts/2fa/authenticate/"


def test_it_ignores_a_forged_forwarded_for_header_without_trusted_proxies(client, asia_director):
    for n in range(5):
        attempt(
            client,
            asia_director.email,
            "wrong",
            "203.0.113.7",
            **{"x-forwarded-for": f"10.0.0.{n}"},
        )

    response = attempt(
        client, asia_director.email, PASSWORD, "203.0.113.7", **{"x-forwarded-for": "10.0.0.99"}
    )

    assert locked_out(response)


@override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=1)
def test_it_takes_the_client_address_from_the_trusted_proxy(client, asia_director):
    # Behind one proxy, every request comes from the proxy's address; the client is
    # the last address the proxy appended.
    for _ in range(5):
        attempt(
            client, asia_director.email, "wrong", "10.0.0.1", **{"x-forwarded-for": "203.0.113.7"}
        )

    same_client = attempt(
        Client(), asia_director.email, PASSWORD, "10.0.0.1", **{"x-forwarded-for": "203.0.113.7"}
    )
    other_client = attempt(
        Client(), asia_director.email, PASSWORD, "10.0.0.1", **{"x-forwarded-for": "198.51.100.20"}
    )

    assert not locked_out(other_client)
    assert locked_out(same_client)


@pytest.mark.redis
def test_it_keeps_the_counts_in_redis(client, asia_director):
    import redis
    from django.conf import settings

    attempt(client, asia_director.email, "wrong", "203.0.113.7")

    keys = redis.Redis.from_url(settings.REDIS_URL).keys("*login_failed*")
    assert keys
    assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")


def test_hopping_addresses_inside_one_ipv6_network_does_not_reset_the_count(client, asia_director):
    for n in range(5):
        attempt(client, asia_director.email, "wrong", f"2001:db8::{n + 1}")

    response = attempt(Client(), asia_director.email, PASSWORD, "2001:db8::ffff")

    assert locked_out(response)
