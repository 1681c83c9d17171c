"""gunicorn's logger with secret links redacted (`--logger-class` in Procfile and deploy/).

Every atom of the access log (request line, path, query, Referer and the other
headers) passes through `redact()`, whatever `--access-logformat` says; the error log
gets the same filter as Django's loggers ("Error handling request /i/<token>/").
"""

from typing import Any

from gunicorn.glogging import Logger

from .log_redaction import RedactSecretLinks, redact


class RedactingLogger(Logger):
    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        if not any(isinstance(f, RedactSecretLinks) for f in self.error_log.filters):
            self.error_log.addFilter(RedactSecretLinks())

    def atoms(self, resp: Any, req: Any, environ: dict, request_time: Any) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: redact(value) if isinstance(value, str) else value for key, value in atoms.items()}
