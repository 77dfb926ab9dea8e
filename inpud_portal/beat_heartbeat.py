"""Proof that Celery beat is still scheduling: beat sends a heartbeat task every
BEAT_HEARTBEAT_SECONDS, a worker records when it ran in Redis, and the beat
container's healthcheck (`manage.py beat_healthcheck`) fails once that time is older
than BEAT_HEARTBEAT_MAX_AGE. A beat process that is alive but stuck, or lost its
schedule, stops the heartbeat as surely as one that died."""

import time

from django.conf import settings
from django.core.cache import cache

KEY = "beat-heartbeat"


def heartbeat_record() -> float:
    now = time.time()
    # Kept until the next one replaces it: a missing key means "never", not "expired".
    cache.set(KEY, now, timeout=None)
    return now


def heartbeat_age() -> float | None:
    """Seconds since the last heartbeat, or None when there never was one."""
    last = cache.get(KEY)
    return None if last is None else max(0.0, time.time() - float(last))


def heartbeat_is_fresh(*, max_age: float | None = None) -> bool:
    age = heartbeat_age()
    limit = settings.BEAT_HEARTBEAT_MAX_AGE if max_age is None else max_age
    return age is not None and age <= limit
