"""Login throttling: django-axes' backend, for every login that comes over HTTP.

Every web login (ours, the admin's) calls `authenticate(request, ...)` and is
counted and locked out by axes. A call without a request comes from code, not
from a client on the network (a management command, the test client's
`login()`), and has nothing to throttle, so it is passed on to the next backend
instead of refused.
"""

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest


class LoginThrottleBackend(AxesStandaloneBackend):
    def authenticate(self, request: HttpRequest | None, *args: Any, **kwargs: Any) -> None:
        if request is None:
            return None
        return super().authenticate(request, *args, **kwargs)
