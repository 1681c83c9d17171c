"""Secret tokens for personal links: long, random, URL-safe."""

import secrets

TOKEN_BYTES = 32  # 256 bits: 43 URL-safe characters


def new_access_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)
