"""Per-client request throttling for the API: 429 with Retry-After when a client goes too fast."""

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import SimpleRateThrottle

from internship_portal.api.access import api_client_of
from internship_portal.cache import count_in_window

DEFAULT_RATE = "1200/minute"


class ClientRateThrottle(SimpleRateThrottle):
    """One budget per API client (per user for browser sessions, per address otherwise).

    The rate is `API_THROTTLE_RATE` (e.g. "1200/minute"), read at each request so
    that settings changes apply without a restart of DRF's settings cache.

    The budget is a window that opens with a client's first request: one atomic
    counter, one Redis round trip per request (DRF's sliding history takes two, a
    read and a write, and two concurrent requests can both pass its last slot)."""

    scope = "api"

    def get_rate(self) -> str:
        return getattr(settings, "API_THROTTLE_RATE", DEFAULT_RATE)

    def get_cache_key(self, request, view) -> str:
        client = api_client_of(request)
        if client is not None:
            # The token prefix keeps ids reused by a new database from sharing a budget.
            ident = f"client-{client.pk}-{client.token_prefix}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"addr-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}

    def allow_request(self, request, view) -> bool:
        self.num_requests, self.duration = self.parse_rate(self.get_rate())
        count, self.seconds_left = count_in_window(cache, self.get_cache_key(request, view), self.duration)
        return count <= self.num_requests

    def wait(self) -> float:
        return self.seconds_left
