import os
import threading

import pytest

from tracker.redis_cache import RedisCache


def _cache(location: str) -> RedisCache:
    return RedisCache(location, {"KEY_PREFIX": "tracker-test-redis-cache"})


def test_one_client_per_pool_however_many_calls():
    cache = _cache("redis://127.0.0.1:6379/0")  # get_client() does not connect
    client = cache._cache.get_client()
    assert cache._cache.get_client(write=True) is client
    assert cache._cache.get_client("some-key") is client


def _redis_url() -> str | None:
    for name in ("CACHE_URL", "CELERY_BROKER_URL"):
        if os.environ.get(name, "").startswith("redis"):
            return os.environ[name]
    return None


@pytest.mark.skipif(_redis_url() is None, reason="needs CACHE_URL or CELERY_BROKER_URL pointing at Redis")
def test_values_round_trip_through_the_shared_client_from_many_threads():
    cache = _cache(_redis_url())
    errors = []

    def work(n: int) -> None:
        for i in range(50):
            key = f"k{n}-{i}"
            cache.set(key, {"n": n, "i": i}, 30)
            if cache.get(key) != {"n": n, "i": i}:
                errors.append(key)
            cache.delete(key)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert cache.get("k0-0") is None
