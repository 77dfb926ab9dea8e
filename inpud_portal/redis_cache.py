"""Django's Redis cache backend, with one Redis client per connection pool.

Django's backend builds a new `redis.Redis` for every cache operation, and building
one costs more CPU than the round trip to Redis on loopback (redis-py fills a table
of ~170 response callbacks each time). A cached public page costs a single cache
read, so that setup was most of what serving it cost (benchmarks/README.md). A
client holds no connection of its own, only the pool, and is safe to share between
threads, so one per pool is enough.
"""

from django.core.cache.backends import redis as django_redis


class SharedClientRedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient
