"""Per-host politeness shared through Redis by every process and machine that uses it.

Needs redis-py; the rest of `scrapers` does not, so it lives in its own module.
"""

from __future__ import annotations

import logging
import math
import threading
import time

import redis
from redis.backoff import NoBackoff
from redis.exceptions import RedisError
from redis.retry import Retry

from scrapers.throttle import LocalHostThrottle

logger = logging.getLogger(__name__)

DEFAULT_KEY_PREFIX = "scrapers:host-throttle:"
# A throttle that cannot answer at once is better skipped than waited for: its normal answer
# takes well under a millisecond, and every fetch asks it first.
CLIENT_TIMEOUT_SECONDS = 0.5
# One immediate retry reconnects a pooled connection that a Redis restart closed; redis-py's
# default (10 retries with backoff) would hold a fetch for seconds while Redis is down.
CLIENT_RETRIES = 1
# While Redis stays down every fetch falls back; say so at most this often.
WARN_EVERY_SECONDS = 60.0
# A host's key outlives its next free slot by this much, then expires (an absent key means
# "free now", so the margin only keeps keys from vanishing a hair early).
KEY_TTL_MARGIN_MS = 1000

# KEYS[1]: the host's key, holding its next free slot in microseconds of Redis's clock.
# ARGV[1]: the interval in microseconds; ARGV[2]: the TTL margin in milliseconds.
# Returns the microseconds to wait for the slot just taken. The slot is written with
# %.0f because Lua's default number formatting keeps only 14 digits. Writing after TIME
# needs effects replication, the default since Redis 5.
_RESERVE_SCRIPT = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local slot = math.max(now, tonumber(redis.call('GET', KEYS[1]) or '0'))
local next_slot = slot + tonumber(ARGV[1])
local ttl_ms = math.ceil((next_slot - now) / 1000) + tonumber(ARGV[2])
redis.call('SET', KEYS[1], string.format('%.0f', next_slot), 'PX', ttl_ms)
return slot - now
"""


class RedisHostThrottle:
    """A HostThrottle whose slots live in Redis, one key per host (`key_prefix` + host).

    Each reservation is one atomic Lua script, timed by Redis's own clock (TIME), so the
    workers' clocks never enter into it; each key expires shortly after its host's next free
    slot, so hosts no longer crawled leave nothing behind.

    When Redis cannot be reached (or answers with an error), that request is spaced by an
    in-process LocalHostThrottle instead and a warning is logged at most once a minute: a fetch
    never fails because the throttle's store is down. Politeness is then per process until
    Redis answers again, which the next request tries.
    """

    def __init__(self, client: redis.Redis, *, key_prefix: str = DEFAULT_KEY_PREFIX) -> None:
        self.key_prefix = key_prefix
        self._reserve = client.register_script(_RESERVE_SCRIPT)
        self._fallback = LocalHostThrottle()
        self._warn_lock = threading.Lock()
        self._last_warning: float | None = None

    @classmethod
    def from_url(cls, url: str, *, key_prefix: str = DEFAULT_KEY_PREFIX) -> RedisHostThrottle:
        """A throttle on its own client for `url` (redis://, rediss:// or unix://), with
        timeouts and retries short enough that a Redis outage costs a fetch little time."""
        client = redis.Redis.from_url(
            url,
            socket_connect_timeout=CLIENT_TIMEOUT_SECONDS,
            socket_timeout=CLIENT_TIMEOUT_SECONDS,
            retry=Retry(NoBackoff(), CLIENT_RETRIES),
        )
        return cls(client, key_prefix=key_prefix)

    def key(self, host: str) -> str:
        return self.key_prefix + host

    def reserve(self, host: str, interval: float) -> float:
        if interval <= 0:
            return 0.0
        try:
            wait_us = self._reserve(
                keys=[self.key(host)], args=[math.ceil(interval * 1e6), KEY_TTL_MARGIN_MS]
            )
        except (RedisError, OSError) as exc:
            self._warn(exc)
            return self._fallback.reserve(host, interval)
        return max(int(wait_us), 0) / 1e6

    def _warn(self, exc: Exception) -> None:
        now = time.monotonic()
        with self._warn_lock:
            if self._last_warning is not None and now - self._last_warning < WARN_EVERY_SECONDS:
                return
            self._last_warning = now
        logger.warning(
            "host throttle store unreachable (%s: %s); spacing requests per process until it answers",
            type(exc).__name__,
            exc,
        )
