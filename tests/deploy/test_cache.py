"""With Redis down the cache misses instead of failing the request."""

import uuid

import pytest
from django.core.cache import caches
from django.test import override_settings

from internship_portal.cache import count_in_window

DEAD_REDIS = {
    "default": {
        "BACKEND": "internship_portal.cache.ResilientRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
}


@override_settings(CACHES=DEAD_REDIS)
def test_cache_with_redis_down_misses_and_drops_writes():
    cache = caches.create_connection("default")

    assert cache.set("k", "v", 30) is None
    assert cache.get("k", "fallback") == "fallback"
    assert cache.add("k", "v") is False
    assert cache.get_many(["a", "b"]) == {}
    with pytest.raises(ValueError, match="not found"):
        cache.incr("k")


def test_cache_with_redis_up_stores_values(settings):
    if not settings.REDIS_URL:
        pytest.skip("needs REDIS_URL (the PostgreSQL/Redis pass of .ci/run)")
    cache = caches.create_connection("default")

    cache.set("portal-test-key", {"a": 1}, 30)

    assert cache.get("portal-test-key") == {"a": 1}
    cache.delete("portal-test-key")


@override_settings(CACHES=DEAD_REDIS)
def test_window_count_with_redis_down_counts_nothing():
    cache = caches.create_connection("default")

    assert count_in_window(cache, "portal-test-window", 60) == (0, 60.0)


def test_window_count_on_redis_is_atomic_and_tells_the_time_left(settings):
    if not settings.REDIS_URL:
        pytest.skip("needs REDIS_URL (the PostgreSQL/Redis pass of .ci/run)")
    cache = caches.create_connection("default")
    key = f"portal-test-window-{uuid.uuid4().hex}"

    counts = [count_in_window(cache, key, 60) for _ in range(3)]

    assert [count for count, _left in counts] == [1, 2, 3]
    assert all(55 <= left <= 60 for _count, left in counts)
    cache.delete(key)


@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}})
def test_window_count_on_another_cache_opens_a_new_window_when_the_old_one_closed():
    cache = caches.create_connection("default")

    assert [count_in_window(cache, "w", 60)[0] for _ in range(3)] == [1, 2, 3]
    assert 58 <= count_in_window(cache, "w", 60)[1] <= 60
    cache.delete("w")  # the window closed
    assert count_in_window(cache, "w", 60) == (1, 60.0)
