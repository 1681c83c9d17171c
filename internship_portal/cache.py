"""A Redis cache that degrades to "no cache" while Redis is down.

Pages and the API keep working when Redis is unreachable (only sending
waits): reads miss, writes are dropped, and the failure is logged instead of
turning into a 500. Throttle counters reset while Redis is away.
"""

import hashlib
import logging
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache as default_cache
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)


class ResilientRedisCache(RedisCache):
    def _fallback(self, operation: str, default: Any, func, *args, **kwargs) -> Any:
        try:
            return func(*args, **kwargs)
        except UNAVAILABLE as exc:
            logger.warning("cache %s skipped, Redis unavailable: %s", operation, exc)
            return default

    def get(self, key, default=None, version=None):
        return self._fallback("get", default, super().get, key, default, version)

    def get_many(self, keys, version=None):
        return self._fallback("get_many", {}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._fallback("has_key", False, super().has_key, key, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._fallback("set", None, super().set, key, value, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._fallback("add", False, super().add, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._fallback("set_many", list(data), super().set_many, data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._fallback("touch", False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._fallback("delete", False, super().delete, key, version)

    def delete_many(self, keys, version=None):
        return self._fallback("delete_many", None, super().delete_many, keys, version)

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except UNAVAILABLE as exc:
            # Django's contract: incr of a missing key raises ValueError.
            logger.warning("cache incr skipped, Redis unavailable: %s", exc)
            raise ValueError(f"Key '{key}' not found (Redis unavailable)") from exc

    def clear(self):
        return self._fallback("clear", False, super().clear)

    def count_in_window(self, key: str, seconds: int) -> tuple[int, float]:
        """See `count_in_window`: one round trip (INCR, EXPIRE NX, TTL in a pipeline)."""
        key = self.make_and_validate_key(key)
        try:
            pipeline = self._cache.get_client(key, write=True).pipeline(transaction=False)
            pipeline.incr(key).expire(key, seconds, nx=True).ttl(key)
            count, _set, left = pipeline.execute()
        except UNAVAILABLE as exc:
            logger.warning("cache count skipped, Redis unavailable: %s", exc)
            return 0, float(seconds)
        return count, float(max(left, 1) if left >= 0 else seconds)  # TTL -1/-2: no expiry / no key


def count_in_window(cache, key: str, seconds: int) -> tuple[int, float]:
    """Count one more event under `key` in a window of `seconds` that opens with its first
    event: the count so far (this one included) and the seconds until the window closes.

    Atomic on Redis, in one round trip; with another cache, add/incr and a second key
    for the window's start. While Redis is down nothing is counted (0)."""
    if hasattr(cache, "count_in_window"):
        return cache.count_in_window(key, seconds)
    now = time.time()
    if cache.add(key, 1, seconds):
        cache.set(f"{key}:opened", now, seconds)
        return 1, float(seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # the window closed in between: this event opens the next one
        cache.set(key, 1, seconds)
        cache.set(f"{key}:opened", now, seconds)
        return 1, float(seconds)
    opened = cache.get(f"{key}:opened", now)
    return count, max(seconds - (now - opened), 1.0)


# Entries keyed by a version are only ever superseded, never invalidated: the timeout bounds memory.
VERSIONED_TIMEOUT = 24 * 3600


def version_key(kind: str, *parts: object) -> str:
    """A short cache key over `parts` (a version, a URL, a language, ...), the release and SITE_URL."""
    digest = hashlib.sha256("|".join(map(str, (settings.RELEASE_ID, settings.SITE_URL, *parts))).encode()).hexdigest()
    return f"{kind}:{digest[:40]}"


def cached(key: str, build: Callable[[], Any]) -> Any:
    """The value under `key`, built (and stored) on a miss."""
    value = default_cache.get(key)
    if value is None:
        value = build()
        default_cache.set(key, value, VERSIONED_TIMEOUT)
    return value
