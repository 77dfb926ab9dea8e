"""The sending rate, shared by every worker.

A sliding one-second window kept in Redis: before each message a worker asks for a
slot; the script, atomic inside Redis and timed by Redis's own clock, grants it
only if fewer than the limit were granted in the last second. So no one-second
window, aligned or not, ever holds more than the limit, whatever the number of
workers or hosts. Without Redis (the single-process demo), a lock-protected
in-process window does the same for that process.
"""

import threading
import time
import uuid
from collections import deque

from django.conf import settings

WINDOW_MICROSECONDS = 1_000_000

ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], 2 * window / 1000)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return tonumber(oldest[2]) + window - now + 1
"""


class RedisWindow:
    def __init__(self, url: str, key: str):
        import redis

        self.client = redis.Redis.from_url(url)
        self.script = self.client.register_script(ACQUIRE)
        self.key = key

    def try_acquire(self, limit: int) -> float:
        """0 when a slot was taken, else seconds to wait before asking again."""
        wait = self.script(keys=[self.key], args=[limit, WINDOW_MICROSECONDS, uuid.uuid4().hex])
        return int(wait) / 1_000_000


class LocalWindow:
    def __init__(self):
        self.lock = threading.Lock()
        self.sent: deque[float] = deque()

    def try_acquire(self, limit: int) -> float:
        with self.lock:
            now = time.monotonic()
            while self.sent and self.sent[0] <= now - 1:
                self.sent.popleft()
            if len(self.sent) < limit:
                self.sent.append(now)
                return 0.0
            return self.sent[0] + 1 - now


_window = None


def _shared_window():
    global _window
    if _window is None:
        if settings.REDIS_URL:
            _window = RedisWindow(
                settings.REDIS_URL,
                key=f"{settings.CACHES['default'].get('KEY_PREFIX', 'inpud')}:mail-rate",
            )
        else:
            _window = LocalWindow()
    return _window


def wait_for_slot(*, limit: int | None = None, deadline: float | None = None) -> bool:
    """Block until this process may send one message; True once it may.

    With a deadline (a time.monotonic() value), give up and return False rather than
    wait past it, so a task can hand its remaining work back before Celery's time
    limit stops it.
    """
    limit = limit or settings.MAIL_RATE_PER_SECOND
    window = _shared_window()
    while (wait := window.try_acquire(limit)) > 0:
        if deadline is not None and time.monotonic() + wait > deadline:
            return False
        time.sleep(wait)
    return True
