"""Database ids typed into pages' forms and addresses.

A form or query string carries text; `str.isdigit()` also takes "²" or "١٢", which `int()`
refuses or reads as another number, and a number beyond a 64-bit column makes SQLite's driver
fail. `id_from_text` reads only what a database id can be, so that a forged value is a missing
id (the page says so), never a server error. `ModelIdsChoiceField` does the same for a form's
list of ticked rows.
"""

from django import forms
from django.core.exceptions import ValidationError

MAX_ID = 2**63 - 1


def id_from_text(text: str | None) -> int | None:
    """The positive id `text` spells in ASCII digits (up to MAX_ID), else None."""
    text = (text or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_ID)):
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None


class ModelIdsChoiceField(forms.ModelMultipleChoiceField):
    """Django's ModelMultipleChoiceField, refusing a posted value that is no database id before it
    reaches the query (SQLite's driver fails on a number beyond 64 bits), with Django's message
    naming the value."""

    def _check_values(self, value):
        for item in value:
            if isinstance(item, str) and id_from_text(item) is None:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": item}
                )
        return super()._check_values(value)
