"""Personal ID details encrypted at rest: a text field whose column holds only Fernet tokens.

The keys come from the environment (`FIELD_ENCRYPTION_KEYS`, settings): a comma-separated
list of Fernet keys, the first one encrypting, every one decrypting (cryptography's
MultiFernet), so a key rotates without losing data: put the new key first, keep the old one
after it, run `manage.py reencrypt_visitor_details`, then drop the old key. Without the
variable a development key is used, which `manage.py check --deploy` refuses.
"""

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.db import models

# Only for development and tests: `check --deploy` refuses it (see `check_encryption_keys`).
DEVELOPMENT_KEY = "ZGV2ZWxvcG1lbnQta2V5LW5vdC1mb3ItcHJvZC11c2U="


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS must be Fernet keys (32 url-safe base64-encoded bytes), comma-separated."
        ) from exc


def field_fernet() -> MultiFernet:
    """The MultiFernet of the configured keys (the first encrypts)."""
    keys = tuple(settings.FIELD_ENCRYPTION_KEYS) or (DEVELOPMENT_KEY,)
    return _fernet(keys)


def encrypt_text(value: str) -> str:
    return field_fernet().encrypt(value.encode()).decode()


def decrypt_text(token: str) -> str:
    try:
        return field_fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "An encrypted field cannot be read with the keys in FIELD_ENCRYPTION_KEYS: keep the old key "
            "after the new one until `manage.py reencrypt_visitor_details` has run."
        ) from exc


class EncryptedTextField(models.TextField):
    """A text stored as a Fernet token; "" stays "" (nothing to hide, and "missing" stays cheap to find).

    Encrypted values cannot be searched or compared in SQL: filter on other columns."""

    def from_db_value(self, value, expression, connection):
        if not value:
            return value
        return decrypt_text(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value:
            return value
        return encrypt_text(value)


@checks.register(checks.Tags.security, deploy=True)
def check_encryption_keys(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """`check --deploy`: production needs keys of its own, not the development key."""
    keys = list(settings.FIELD_ENCRYPTION_KEYS)
    if not keys or DEVELOPMENT_KEY in keys:
        return [
            checks.Error(
                "FIELD_ENCRYPTION_KEYS is not set: visitors' ID details would be encrypted with the development key.",
                hint="Set FIELD_ENCRYPTION_KEYS to a key made with "
                "`python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'`.",
                id="portal.E001",
            )
        ]
    try:
        field_fernet()
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), id="portal.E002")]
    return []
