"""Locks for periodic jobs that must not overlap, across worker processes and machines."""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.cache import cache
from django.db import connection


@contextmanager
def exclusive_run(name: str, *, timeout_seconds: int) -> Iterator[bool]:
    """Yield True when this caller holds the lock called `name`, False when someone else does.

    On PostgreSQL this is a session advisory lock: every worker on every machine sees it, and the
    server frees it if the worker dies mid-run, so no stale lock outlives its holder. Elsewhere
    (the embedded SQLite setup: one machine, tasks run in-process) the cache holds it, expiring
    after `timeout_seconds` in case the holder never comes back.
    """
    if connection.vendor == "postgresql":
        # crc32 gives the same key in every process (hash() is salted per process).
        key = zlib.crc32(name.encode())
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            acquired = bool(cursor.fetchone()[0])
        try:
            yield acquired
        finally:
            if acquired:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
        return
    cache_key = f"tracker:lock:{name}"
    acquired = bool(cache.add(cache_key, 1, timeout_seconds))
    try:
        yield acquired
    finally:
        if acquired:
            cache.delete(cache_key)
