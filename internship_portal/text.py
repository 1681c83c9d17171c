"""Text the services are given straight from a page's POST (no form or serializer in between).

Django's forms and DRF's fields refuse a NUL character ("\\x00") with ProhibitNullCharactersValidator;
PostgreSQL cannot store one in a text column and fails the whole request. A service fed raw
values calls `refuse_null_characters` first, so that the page shows the same message a form
would, naming the field, and nothing is written.
"""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator

_NO_NUL = ProhibitNullCharactersValidator()


def refuse_null_characters(fields: Mapping[str, Any]) -> None:
    """ValidationError naming every text value among `fields` that holds a NUL character."""
    errors = {}
    for name, value in fields.items():
        if isinstance(value, str):
            try:
                _NO_NUL(value)
            except ValidationError as error:
                errors[name] = error.messages
    if errors:
        raise ValidationError(errors)
