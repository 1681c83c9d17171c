"""With Redis down the cache misses instead of failing the request."""

import pytest
from django.core.cache import caches
from django.test import override_settings

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
