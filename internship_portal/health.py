"""Health endpoints for the load balancer.

`/healthz`: the process answers. `/readyz`: the database answers, and Redis
when the portal is configured with one; 503 naming what is down otherwise.
"""

import logging

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request):
    return JsonResponse({"status": "ok"})


def _check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means "not ready", reported, not raised
        logger.warning("readiness: database unavailable: %s", exc)
        return "unavailable"
    return "ok"


def _check_redis() -> str:
    if not settings.REDIS_URL:
        return "not configured"
    import redis

    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
        client.ping()
    except Exception as exc:  # noqa: BLE001 - as above
        logger.warning("readiness: redis unavailable: %s", exc)
        return "unavailable"
    return "ok"


@never_cache
@require_GET
def readyz(request):
    checks = {"database": _check_database(), "redis": _check_redis()}
    ready = all(state in {"ok", "not configured"} for state in checks.values())
    return JsonResponse({"status": "ok" if ready else "unavailable", "checks": checks}, status=200 if ready else 503)
