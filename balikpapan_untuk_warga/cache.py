"""The shared cache: Django's Redis backend with one client per connection pool, and an atomic
window counter for rate limits.

Django's ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` for every cache operation,
and each one copies redis-py's table of some five hundred response callbacks into a
case-insensitive dict. Profiled on the "now serving" poll (six cache operations, no query) that
was a sixth of the request's cost. A ``redis.Redis`` is thread-safe and holds no connection of
its own (it borrows from the pool), so one per pool serves every operation; after a fork the pool
notices the new process id and opens fresh connections, as before.

``LocalCopies`` keeps, per process and for a second or two, values that every request asks the
shared cache for and that rarely change (the switched-off modules, a session's "now serving").

``hit`` counts an event in a time window in one round trip (``SET NX EX`` then ``INCR`` in a
pipeline), where ``get`` then ``set`` (DRF's throttles) or ``get_or_set`` then ``incr`` took two
to four and could lose counts between two workers.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from django.utils.connection import ConnectionProxy


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    """``django.core.cache.backends.redis.RedisCache`` with a reused client (see above)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient


def _backend(cache):
    # ``django.core.cache.cache`` (what DRF's throttles hold) is a proxy, not the backend itself.
    if cache is None or isinstance(cache, ConnectionProxy):
        return caches[DEFAULT_CACHE_ALIAS]
    return cache


def hit(key: str, seconds: int, cache=None) -> int:
    """Count one event under ``key``, which lives ``seconds`` from its first event; the count
    so far, this one included. Atomic on Redis; on another backend (local memory in development
    and tests) ``add`` then ``incr``, atomic within the one process such a cache serves."""
    cache = _backend(cache)
    if isinstance(cache, DjangoRedisCache):
        full_key = cache.make_and_validate_key(key)
        pipe = cache._cache.get_client(full_key, write=True).pipeline(transaction=False)
        pipe.set(full_key, 0, ex=max(1, int(seconds)), nx=True)
        pipe.incr(full_key)
        return int(pipe.execute()[1])
    if cache.add(key, 1, seconds):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.set(key, 1, seconds)
        return 1


def seconds_left(key: str, default: int, cache=None) -> int:
    """How long ``key`` still lives (whole seconds, at least 1): the wait a refused client is
    told. On a backend that cannot say, ``default``."""
    cache = _backend(cache)
    if isinstance(cache, DjangoRedisCache):
        full_key = cache.make_and_validate_key(key)
        ttl = cache._cache.get_client(full_key).ttl(full_key)
        return max(1, int(ttl)) if ttl and ttl > 0 else default
    return default


MISSING = object()


class LocalCopies:
    """This process's copies of values read from the shared cache, each answered for the number
    of seconds the setting named ``setting`` gives (0: never) after it was put; at most
    ``max_entries`` keys (beyond that every copy is dropped and read again). A change made in this
    process calls ``forget`` so that it shows here at once; other processes see it once their
    copy is older than the setting. ``get`` answers ``MISSING`` when it has no fresh copy."""

    def __init__(self, setting: str, *, max_entries: int = 512):
        self.setting, self.max_entries = setting, max_entries
        self._copies: dict = {}

    def _seconds(self) -> float:
        return getattr(settings, self.setting)

    def get(self, key):
        seconds = self._seconds()
        copy = self._copies.get(key) if seconds else None
        if copy is not None and time.monotonic() - copy[1] < seconds:
            return copy[0]
        return MISSING

    def put(self, key, value) -> None:
        if not self._seconds():
            return
        if len(self._copies) >= self.max_entries:
            self._copies.clear()
        self._copies[key] = (value, time.monotonic())

    def forget(self, key=MISSING) -> None:
        """Drop the copy of ``key``, or every copy."""
        if key is MISSING:
            self._copies.clear()
        else:
            self._copies.pop(key, None)
