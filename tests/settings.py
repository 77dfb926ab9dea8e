"""The portal's settings as the tests run them: the same, plus what makes a run quick.

pytest (pyproject.toml) and every process a test starts (a Celery worker, a web
server) load this module; it changes nothing the tests are about.
"""

import os
from urllib.parse import urlsplit, urlunsplit


def _redis_database_per_xdist_worker() -> None:
    """Give each pytest-xdist worker a Redis database of its own: REDIS_URL's number
    plus the worker's (gw0 keeps it, gw1 takes the next...). Tests clear the cache,
    which empties the whole database, and their Celery workers listen on the same
    queue names, so two test processes must never share one.

    Set in the environment before the portal's settings read it, so the processes a
    test starts inherit the same database; done once per xdist worker, so a process
    started with a Redis of its own (a test's private server) keeps it.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    url = os.environ.get("REDIS_URL", "")
    if not worker or not url or os.environ.get("TEST_REDIS_SPLIT_FOR") == worker:
        return
    parts = urlsplit(url)
    base = int(parts.path.strip("/") or 0)
    database = base + int(worker.removeprefix("gw"))
    if database > 15:
        raise RuntimeError(
            f"REDIS_URL database {base} leaves no room for xdist worker {worker} "
            "(Redis has databases 0-15): use a lower one"
        )
    os.environ["REDIS_URL"] = urlunsplit(parts._replace(path=f"/{database}"))
    os.environ["TEST_REDIS_SPLIT_FOR"] = worker


_redis_database_per_xdist_worker()

from inpud_portal.settings import *  # noqa: E402, F403

# Argon2 costs tens of milliseconds of CPU a password, by design, and the tests make
# thousands of people. Tests about hashing itself put the portal's hashers back
# (tests/members/test_account_security.py).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
