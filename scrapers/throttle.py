"""Per-host politeness: how long to wait before the next request to one host.

A throttle hands out request slots per host, each at least `interval` seconds after the
one before. The caller reserves a slot (a short, locked step) and then sleeps until it
outside any lock, so concurrent callers line up one interval apart instead of all firing
together when the interval ends.

`LocalHostThrottle` keeps the slots in this process's memory: enough for one process.
Several processes or machines crawling the same hosts need one shared store, such as
`scrapers.redis_throttle.RedisHostThrottle`.
"""

from __future__ import annotations

import threading
import time
from typing import Protocol


class HostThrottle(Protocol):
    def reserve(self, host: str, interval: float) -> float:
        """Take the next free slot for `host`, starting the following one `interval` seconds
        later, and return the seconds to wait before using it (0 when it is free now).

        `interval <= 0` takes no slot and returns 0. Must be safe to call from many threads.
        """
        ...


class LocalHostThrottle:
    """Slots kept in process memory under a lock; the default for a Fetcher."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._next_slot: dict[str, float] = {}

    def reserve(self, host: str, interval: float) -> float:
        if interval <= 0:
            return 0.0
        with self._lock:
            now = time.monotonic()
            slot = max(now, self._next_slot.get(host, 0.0))
            self._next_slot[host] = slot + interval
        return slot - now
