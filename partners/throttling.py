"""Per-client request throttling for the API: 429 with Retry-After when a client goes too fast."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from .authentication import api_client_of

DEFAULT_RATE = "1200/minute"


class ClientRateThrottle(SimpleRateThrottle):
    """One budget per API client (per user for browser sessions, per address otherwise).

    The rate is `API_THROTTLE_RATE` (e.g. "1200/minute"), read at each request so
    that settings changes apply without a restart of DRF's settings cache."""

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
