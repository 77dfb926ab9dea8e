"""Failed sign-ins counted per account, whatever the address they come from.

Past a few failures, every further attempt on the account waits a delay that
doubles with each failure, up to a ceiling; the owner is told by email once the
delay starts. Nobody is ever locked out: the owner waits at most the ceiling, and
a correct attempt clears the count. Guessing one account's password or code from
many addresses gets a few tries an hour instead of no limit.

Counters live in the shared cache under a keyed hash of the account (see
inpud_portal.rate_limit_keys), and the delay is claimed with an atomic add, so
parallel attempts from many addresses get one try per delay between them.
"""

from django.conf import settings
from django.core.cache import cache

from inpud_portal.rate_limit_keys import keyed_hash

PASSWORD = "password"  # noqa: S105 (the name of a step, not a secret)
SECOND_FACTOR = "second-factor"
# A failure is forgotten this long after the last one.
FAILURES_REMEMBERED_SECONDS = 24 * 60 * 60
# The owner is told at most once in this period, however long an attack lasts.
WARNING_INTERVAL_SECONDS = 24 * 60 * 60


def _key(scope: str, account: str, part: str) -> str:
    return f"login-throttle:{scope}:{keyed_hash(f'{scope}:{account}')}:{part}"


def delay_seconds(failures: int) -> int:
    """The wait before the next attempt, after this many failures in a row."""
    free = settings.LOGIN_FAILURES_BEFORE_DELAY
    if failures < free:
        return 0
    return min(
        settings.LOGIN_DELAY_FIRST_SECONDS * 2 ** (failures - free),
        settings.LOGIN_DELAY_MAX_SECONDS,
    )


def attempt_allowed(*, scope: str, account: str) -> bool:
    """Whether an attempt on the account may be checked now. Past the free
    failures, an attempt claims the account until its delay has passed again, so
    parallel attempts cannot all slip in at the end of a wait."""
    delay = delay_seconds(cache.get(_key(scope, account, "failures"), 0))
    return delay == 0 or cache.add(_key(scope, account, "wait"), 1, timeout=delay)


def failure_record(*, scope: str, account: str) -> bool:
    """Count a failed attempt; True when the owner should now be warned."""
    key = _key(scope, account, "failures")
    cache.add(key, 0, timeout=FAILURES_REMEMBERED_SECONDS)
    try:
        failures = cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.set(key, failures := 1, timeout=FAILURES_REMEMBERED_SECONDS)
    cache.touch(key, FAILURES_REMEMBERED_SECONDS)
    delay = delay_seconds(failures)
    if delay:
        cache.set(_key(scope, account, "wait"), 1, timeout=delay)
    return delay > 0 and cache.add(
        _key(scope, account, "warned"), 1, timeout=WARNING_INTERVAL_SECONDS
    )


def success_record(*, scope: str, account: str) -> None:
    cache.delete_many([_key(scope, account, "failures"), _key(scope, account, "wait")])
