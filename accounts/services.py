"""The rules of organisers' accounts: how often a password reset may be asked for."""

import hashlib

from django.conf import settings
from django.core.cache import cache

from internship_portal.cache import count_in_window

RESET_WINDOW_SECONDS = 3600


def password_reset_request_allowed(*, client_address: str | None, email: str) -> tuple[bool, float]:
    """Count one password-reset request against two budgets, the client's address and the
    e-mail address asked for (`PASSWORD_RESET_LIMIT` an hour each), and say whether it may
    go ahead, with the seconds until the fuller budget opens again.

    Per address, one client cannot mail many people; per e-mail, many clients cannot
    flood one person. Counted in the cache (nothing is counted while Redis is down)."""
    limit = settings.PASSWORD_RESET_LIMIT
    allowed, retry_after = True, 0.0
    for scope, ident in (("addr", client_address or "unknown"), ("email", email.strip().lower())):
        digest = hashlib.sha256(ident.encode()).hexdigest()  # no address in the cache's key names
        count, left = count_in_window(cache, f"password-reset:{scope}:{digest}", RESET_WINDOW_SECONDS)
        if count > limit:
            allowed, retry_after = False, max(retry_after, left)
    return allowed, retry_after
