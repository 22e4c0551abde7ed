"""The Redis-backed throttle, against a real Redis (TEST_REDIS_URL, default db 12 on localhost).

Two RedisHostThrottle objects, each with its own client, stand for two worker processes.
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Iterator

import pytest
import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from scrapers.fetch import FetchConfig, Fetcher
from scrapers.redis_throttle import RedisHostThrottle
from tests.redis_urls import closed_port_redis_url

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/12")


def _redis_reachable() -> bool:
    try:
        client = redis.Redis.from_url(
            REDIS_URL, socket_connect_timeout=0.5, socket_timeout=0.5, retry=Retry(NoBackoff(), 0)
        )
        return bool(client.ping())
    except redis.RedisError:
        return False


needs_redis = pytest.mark.skipif(not _redis_reachable(), reason=f"needs a Redis server at {REDIS_URL}")


@pytest.fixture
def key_prefix() -> Iterator[str]:
    prefix = f"test-host-throttle:{uuid.uuid4().hex}:"
    yield prefix
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match=prefix + "*"))
    if keys:
        client.delete(*keys)
    client.close()


@needs_redis
def test_two_processes_sharing_a_host_are_spaced_by_the_interval(key_prefix):
    first = RedisHostThrottle.from_url(REDIS_URL, key_prefix=key_prefix)
    second = RedisHostThrottle.from_url(REDIS_URL, key_prefix=key_prefix)
    delays = [
        first.reserve("a.example:443", 30.0),
        second.reserve("a.example:443", 30.0),
        first.reserve("a.example:443", 30.0),
        second.reserve("a.example:443", 30.0),
    ]
    assert delays[0] == 0.0
    assert delays[1:] == [
        pytest.approx(30.0, abs=5.0),
        pytest.approx(60.0, abs=5.0),
        pytest.approx(90.0, abs=5.0),
    ]


@needs_redis
def test_different_hosts_do_not_wait_on_each_other(key_prefix):
    first = RedisHostThrottle.from_url(REDIS_URL, key_prefix=key_prefix)
    second = RedisHostThrottle.from_url(REDIS_URL, key_prefix=key_prefix)
    assert first.reserve("a.example:443", 30.0) == 0.0
    assert second.reserve("b.example:443", 30.0) == 0.0
    assert second.reserve("a.example:80", 30.0) == 0.0  # another port is another key


@needs_redis
def test_host_key_expires_soon_after_its_next_free_slot(key_prefix):
    throttle = RedisHostThrottle.from_url(REDIS_URL, key_prefix=key_prefix)
    throttle.reserve("a.example:443", 30.0)
    throttle.reserve("a.example:443", 30.0)
    client = redis.Redis.from_url(REDIS_URL)
    key = key_prefix + "a.example:443"
    assert throttle.key("a.example:443") == key
    # The next free slot is 60 s away; the key lives that long plus a short margin, no longer.
    assert 55_000 < client.pttl(key) <= 62_000
    client.close()


@needs_redis
def test_no_interval_touches_nothing(key_prefix):
    throttle = RedisHostThrottle.from_url(REDIS_URL, key_prefix=key_prefix)
    assert throttle.reserve("a.example:443", 0.0) == 0.0
    client = redis.Redis.from_url(REDIS_URL)
    assert client.exists(key_prefix + "a.example:443") == 0
    client.close()


@needs_redis
def test_fetchers_of_two_processes_line_up_on_one_host(server, key_prefix):
    server.add("/p", "ok")
    config = FetchConfig(allowed_hosts=("127.0.0.1",), per_host_min_interval=20.0, total_timeout=5.0)
    slept: list[float] = []
    fetchers = [
        Fetcher(
            config, throttle=RedisHostThrottle.from_url(REDIS_URL, key_prefix=key_prefix), sleep=slept.append
        )
        for _ in range(2)
    ]
    for fetcher in fetchers:
        assert fetcher.fetch(server.url("/p")).content == b"ok"
        fetcher.close()
    assert slept == [pytest.approx(20.0, abs=5.0)]  # the first went at once, the second waited
    assert server.hits("/p") == 2


def test_unreachable_redis_falls_back_to_spacing_in_process(caplog):
    throttle = RedisHostThrottle.from_url(closed_port_redis_url())
    with caplog.at_level(logging.WARNING, logger="scrapers.redis_throttle"):
        delays = [throttle.reserve("a.example:443", 30.0) for _ in range(3)]
        other_host = throttle.reserve("b.example:443", 30.0)
    assert delays[0] == 0.0
    assert delays[1:] == [pytest.approx(30.0, abs=5.0), pytest.approx(60.0, abs=5.0)]
    assert other_host == 0.0
    warnings = [record for record in caplog.records if record.name == "scrapers.redis_throttle"]
    assert len(warnings) == 1  # said once, not once per request
    assert "unreachable" in warnings[0].getMessage()


def test_fetch_succeeds_while_redis_is_down(server):
    server.add("/p", "ok")
    config = FetchConfig(allowed_hosts=("127.0.0.1",), per_host_min_interval=20.0, total_timeout=5.0)
    slept: list[float] = []
    throttle = RedisHostThrottle.from_url(closed_port_redis_url())
    with Fetcher(config, throttle=throttle, sleep=slept.append) as fetcher:
        assert fetcher.fetch(server.url("/p")).content == b"ok"
        assert fetcher.fetch(server.url("/p")).content == b"ok"
    assert slept == [pytest.approx(20.0, abs=5.0)]
