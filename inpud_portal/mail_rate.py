"""The sending rate, shared by every worker.

A sliding one-second window kept in Redis: before each message a worker asks for a
slot; the script, atomic inside Redis and timed by Redis's own clock, grants it
only if fewer than the limit were granted in the last second. A slot stays in the
window while its message is in flight (its score is set in the future) and is
stamped with the time the SMTP server answered once the send returns: a message
reaches the server between the grant and that answer, so no one-second window at
the server, aligned or not, ever holds more than the limit, however long a send
takes and whatever the number of workers or hosts. Without Redis (the
single-process demo), a lock-protected in-process window does the same for that
process.
"""

import threading
import time
import uuid

from django.conf import settings

WINDOW_MICROSECONDS = 1_000_000
# Longest a slot may stay "in flight" if its worker dies before releasing it.
HOLD_MICROSECONDS = 60_000_000
# A full window of in-flight slots is polled this often rather than slept on.
POLL_SECONDS = 0.02

ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[4]), ARGV[3])
  redis.call('PEXPIRE', KEYS[1], math.floor((2 * window + tonumber(ARGV[4])) / 1000))
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return tonumber(oldest[2]) + window - now + 1
"""

RELEASE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
redis.call('ZADD', KEYS[1], 'XX', now, ARGV[1])
return 0
"""


# Up to this many slots in one round trip, and released in one: at a limit of L a
# sender asks for L // 20 at a time, so at 20/s it still asks for each message
# alone, while an unthrottled sender talks to Redis once per 50 messages.
MAX_SLOTS_PER_ASK = 50

# Stamps the slots whose messages the server has answered (KEYS[1], ARGV from 5 on:
# ARGV[4] of them released, the rest asked for), then grants up to as many new
# slots as the window has room for. Returns {granted, microseconds to wait}.
ACQUIRE_MANY = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local hold = tonumber(ARGV[3])
local released = tonumber(ARGV[4])
for i = 5, 4 + released do
  redis.call('ZADD', KEYS[1], 'XX', now, ARGV[i])
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local room = limit - redis.call('ZCARD', KEYS[1])
local wanted = #ARGV - 4 - released
if room > 0 and wanted > 0 then
  local granted = math.min(room, wanted)
  for i = 5 + released, 4 + released + granted do
    redis.call('ZADD', KEYS[1], now + hold, ARGV[i])
  end
  redis.call('PEXPIRE', KEYS[1], math.floor((2 * window + hold) / 1000))
  return {granted, 0}
end
if wanted == 0 then
  return {0, 0}
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {0, tonumber(oldest[2]) + window - now + 1}
"""

DROP = """
for i = 1, #ARGV do
  redis.call('ZREM', KEYS[1], ARGV[i])
end
return 0
"""


class RedisWindow:
    def __init__(self, url: str, key: str):
        import redis

        self.client = redis.Redis.from_url(url)
        self.acquire_script = self.client.register_script(ACQUIRE)
        self.release_script = self.client.register_script(RELEASE)
        self.acquire_many_script = self.client.register_script(ACQUIRE_MANY)
        self.drop_script = self.client.register_script(DROP)
        self.key = key

    def try_acquire(self, limit: int, token: str | None = None) -> float:
        """0 when a slot was taken, else seconds to wait before asking again."""
        args = [limit, WINDOW_MICROSECONDS, token or uuid.uuid4().hex, HOLD_MICROSECONDS]
        wait = int(self.acquire_script(keys=[self.key], args=args)) / 1_000_000
        return min(wait, 1.0) if wait <= 1.0 else POLL_SECONDS

    def release(self, token: str) -> None:
        self.release_script(keys=[self.key], args=[token])

    def exchange(self, limit: int, done: list[str], wanted: list[str]) -> tuple[int, float]:
        """Release the `done` slots and take up to len(wanted) new ones, in one
        round trip: (how many of `wanted` were granted, in order; seconds to wait
        before asking again when none was)."""
        args = [limit, WINDOW_MICROSECONDS, HOLD_MICROSECONDS, len(done), *done, *wanted]
        granted, wait = self.acquire_many_script(keys=[self.key], args=args)
        wait = int(wait) / 1_000_000
        return int(granted), (min(wait, 1.0) if wait <= 1.0 else POLL_SECONDS)

    def drop(self, tokens: list[str]) -> None:
        """Give back slots that carried no message."""
        if tokens:
            self.drop_script(keys=[self.key], args=tokens)


class LocalWindow:
    def __init__(self):
        self.lock = threading.Lock()
        self.slots: dict[str, float] = {}

    def try_acquire(self, limit: int, token: str | None = None) -> float:
        with self.lock:
            now = time.monotonic()
            self.slots = {t: at for t, at in self.slots.items() if at > now - 1}
            if len(self.slots) < limit:
                self.slots[token or uuid.uuid4().hex] = now + HOLD_MICROSECONDS / 1_000_000
                return 0.0
            oldest = min(self.slots.values())
            return oldest + 1 - now if oldest <= now else POLL_SECONDS

    def release(self, token: str) -> None:
        with self.lock:
            if token in self.slots:
                self.slots[token] = time.monotonic()

    def exchange(self, limit: int, done: list[str], wanted: list[str]) -> tuple[int, float]:
        for token in done:
            self.release(token)
        granted = 0
        for token in wanted:
            wait = self.try_acquire(limit, token)
            if wait > 0:
                return granted, (0.0 if granted else wait)
            granted += 1
        return granted, 0.0

    def drop(self, tokens: list[str]) -> None:
        with self.lock:
            for token in tokens:
                self.slots.pop(token, None)


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


def wait_for_slot(*, limit: int | None = None, deadline: float | None = None) -> str | None:
    """Block until this process may send one message; return the slot's token, to
    pass to slot_done once the SMTP server has answered.

    With a deadline (a time.monotonic() value), give up and return None rather than
    wait past it, so a task can hand its remaining work back before Celery's time
    limit stops it.
    """
    limit = limit or settings.MAIL_RATE_PER_SECOND
    window = _shared_window()
    token = uuid.uuid4().hex
    while (wait := window.try_acquire(limit, token)) > 0:
        if deadline is not None and time.monotonic() + wait > deadline:
            return None
        time.sleep(wait)
    return token


def slot_done(token: str) -> None:
    _shared_window().release(token)


class Slots:
    """One sender's slots, asked for and released in batches: each message still
    takes its own slot of the shared window, from before it is handed over until
    after the server has answered (a released slot is stamped when the release
    reaches Redis, which is later than the answer: the window only errs on the
    safe side)."""

    def __init__(self, *, limit: int | None = None):
        self.limit = limit or settings.MAIL_RATE_PER_SECOND
        self.per_ask = max(1, min(MAX_SLOTS_PER_ASK, self.limit // 20))
        self.granted: list[str] = []
        self.done: list[str] = []

    def take(self, *, deadline: float | None = None) -> str | None:
        """A slot for the next message, waiting for one if need be; None if that
        would mean waiting past the deadline (a time.monotonic() value)."""
        window = _shared_window()
        while not self.granted:
            wanted = [uuid.uuid4().hex for _ in range(self.per_ask)]
            granted, wait = window.exchange(self.limit, self.done, wanted)
            self.done = []
            self.granted = wanted[:granted]
            if self.granted:
                break
            if deadline is not None and time.monotonic() + wait > deadline:
                return None
            time.sleep(wait)
        return self.granted.pop()

    def answered(self, token: str) -> None:
        """The server has answered the message sent in this slot."""
        self.done.append(token)

    def unused(self, token: str) -> None:
        """The slot carried no message (the row was cancelled meanwhile)."""
        self.granted.append(token)

    def close(self) -> None:
        window = _shared_window()
        if self.done:
            window.exchange(self.limit, self.done, [])
            self.done = []
        window.drop(self.granted)
        self.granted = []
