"""Secret links out of the logs.

A personal link (`/i/<token>/`, `/i/<token>.ics`), a survey link (`/s/<token>/`) and a
host's link (`/h/<token>/`) open someone's data without a password, and a password-reset
link (`/reset/<uid>/<token>/`) an account, so no log line may carry one. `redact()`
replaces the token with `[redacted]`; `RedactSecretLinks` applies it to Django's request
loggers (settings.LOGGING), `internship_portal.gunicorn_logger` to gunicorn's logs.
"""

import logging
import re

# The tokens' alphabet (URL-safe base64) after /i/, /s/ or /h/, in a path or a full URL.
SECRET_LINK = re.compile(r"/(?P<kind>[ish])/[A-Za-z0-9_-]+")
# Django's reset token ("<timestamp>-<hash>"); its own redirect target, `set-password`, is no secret.
RESET_LINK = re.compile(r"/reset/(?P<uid>[A-Za-z0-9_-]+)/(?!set-password/)[A-Za-z0-9]+-[A-Za-z0-9]+")


def redact(text: str) -> str:
    text = SECRET_LINK.sub(r"/\g<kind>/[redacted]", text)
    return RESET_LINK.sub(r"/reset/\g<uid>/[redacted]", text)


class RedactSecretLinks(logging.Filter):
    """Rewrites a record's message with its secret links redacted, before any handler
    formats it (set on a logger, every handler of it and of its parents sees the result)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True
