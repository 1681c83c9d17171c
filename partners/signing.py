"""Webhook signatures: `X-Portal-Signature: sha256=<hex HMAC-SHA256 of the raw body>`.

A receiver recomputes the HMAC over the exact bytes it received, with the
webhook's secret, and compares in constant time (`signature_matches`).
"""

import hashlib
import hmac

SIGNATURE_HEADER = "X-Portal-Signature"


def sign(*, secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signature_matches(*, secret: str, body: bytes, signature: str) -> bool:
    return hmac.compare_digest(sign(secret=secret, body=body), signature or "")
