"""Django's Redis cache backend, keeping one redis-py client per connection pool.

Django's backend builds a new redis.Redis for every get and set; its constructor fills a table of
~200 response callbacks, which cost about as much CPU as the round trip itself (a page hit makes
two or three cache calls). A client holds no per-call state (connections come from the pool), so
one per pool serves every call. Django keeps one cache object per thread; so does this.
"""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
