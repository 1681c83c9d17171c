"""Login throttling: django-axes' backend, for every login that comes over HTTP,
and the client's address it counts by.

Every web login (ours, the admin's) calls `authenticate(request, ...)` and is
counted and locked out by axes. A call without a request comes from code, not
from a client on the network (a management command, the test client's
`login()`), and has nothing to throttle, so it is passed on to the next backend
instead of refused.

Behind the TLS proxy every request comes from the proxy's address; `client_ip`
reads the client's from `X-Forwarded-For`, but only as many hops as there are
proxies we trust (`TRUSTED_PROXY_COUNT`): each proxy appends the address it saw,
so the entries to the left of those are whatever the client chose to send.
"""

import ipaddress
from typing import Any

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: `REMOTE_ADDR`, or with `TRUSTED_PROXY_COUNT` = N the
    N-th entry of `X-Forwarded-For` from the right (the one our nearest proxies wrote)."""
    remote = request.META.get("REMOTE_ADDR")
    trusted = settings.TRUSTED_PROXY_COUNT
    if trusted <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if not hops:
        return remote
    # Fewer hops than proxies: every entry was written by a trusted proxy, the first is the client.
    candidate = hops[-trusted] if len(hops) >= trusted else hops[0]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


class LoginThrottleBackend(AxesStandaloneBackend):
    def authenticate(self, request: HttpRequest | None, *args: Any, **kwargs: Any) -> None:
        if request is None:
            return None
        return super().authenticate(request, *args, **kwargs)
