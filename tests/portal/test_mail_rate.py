"""No one-second window ever holds more sends than the limit, across all workers."""

import threading
import time
import uuid

import pytest

from inpud_portal.mail_rate import LocalWindow, RedisWindow


def grants(window, *, limit, threads, per_thread):
    times = []
    lock = threading.Lock()

    def worker():
        for _ in range(per_thread):
            token = uuid.uuid4().hex
            while (wait := window.try_acquire(limit, token)) > 0:
                time.sleep(wait)
            with lock:
                times.append(time.monotonic())
            window.release(token)

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(60)
    return sorted(times)


def busiest_second(times) -> int:
    return max(sum(1 for t in times if start <= t < start + 1) for start in times)


def test_the_local_window_holds_the_limit_in_every_sliding_second():
    times = grants(LocalWindow(), limit=20, threads=4, per_thread=15)

    assert len(times) == 60
    assert busiest_second(times) <= 20


@pytest.mark.redis
def test_the_shared_window_holds_the_limit_across_workers(settings):
    key = f"test:mail-rate:{uuid.uuid4().hex}"
    # Each "worker" has its own connection, as separate processes would.
    windows = [RedisWindow(settings.REDIS_URL, key=key) for _ in range(4)]
    times = []
    lock = threading.Lock()

    def worker(window):
        for _ in range(15):
            token = uuid.uuid4().hex
            while (wait := window.try_acquire(20, token)) > 0:
                time.sleep(wait)
            with lock:
                times.append(time.monotonic())
            window.release(token)

    pool = [threading.Thread(target=worker, args=(w,)) for w in windows]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(60)

    assert len(times) == 60
    # The client clock may lag Redis's by scheduling; allow a few ms of slack.
    times.sort()
    assert max(sum(1 for t in times if s + 0.01 <= t < s + 0.99) for s in times) <= 20


@pytest.mark.redis
def test_redis_is_configured_not_to_evict_keys(settings):
    import redis

    policy = redis.Redis.from_url(settings.REDIS_URL).config_get("maxmemory-policy")[
        "maxmemory-policy"
    ]

    assert policy == "noeviction"


def test_a_slot_in_flight_counts_until_its_send_returns():
    """A slow send holds its slot: the next second may not be filled while it is
    still on its way to the server."""
    window = LocalWindow()
    assert window.try_acquire(2, "slow") == 0
    assert window.try_acquire(2, "fast") == 0
    window.release("fast")
    time.sleep(1.05)

    assert window.try_acquire(2, "next") == 0
    assert window.try_acquire(2, "one-too-many") > 0
    window.release("slow")
    time.sleep(1.05)
    assert window.try_acquire(2, "later") == 0
