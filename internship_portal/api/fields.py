"""Serializer building blocks shared by the API of every app: strict input, aware datetimes."""

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

_NUMBER = (int, float)
# The JSON type each kind of field takes, as the OpenAPI document states it. DRF itself is
# lenient (12 for a string, "12" for a number, "yes" for a boolean); the API is not, so that
# a partner's type error is a 400 naming the field, not a value quietly converted.
_JSON_TYPES: tuple[tuple[type, tuple[type, ...], Any], ...] = (
    (serializers.BooleanField, (bool,), _("a boolean")),
    (serializers.IntegerField, (int,), _("an integer")),
    (serializers.PrimaryKeyRelatedField, (int,), _("an integer id")),
    (serializers.FloatField, _NUMBER, _("a number")),
    (serializers.DecimalField, _NUMBER, _("a number")),
    (serializers.CharField, (str,), _("a string")),
    (serializers.ChoiceField, (str,), _("a string")),
    (serializers.DateField, (str,), _("a string (YYYY-MM-DD)")),
    (serializers.DateTimeField, (str,), _("a string (ISO 8601 with offset)")),
)


def _json_type_error(field: serializers.Field, value) -> str | None:
    """What is wrong with the JSON type of `value` for `field`, or None.

    Nested serializers check their own fields; null, and the shapes DRF refuses itself
    (a list where none is taken), are left to DRF."""
    if value is None:
        return None
    if isinstance(field, serializers.ListField | serializers.ManyRelatedField):
        child = field.child if isinstance(field, serializers.ListField) else field.child_relation
        items = value if isinstance(value, list) else []
        return next((error for item in items if (error := _json_type_error(child, item))), None)
    for kind, types, expected in _JSON_TYPES:
        if isinstance(field, kind):
            if (isinstance(value, bool) and bool not in types) or not isinstance(value, types):
                return _("Incorrect type: expected %(expected)s.") % {"expected": expected}
            return None
    return None


class StrictSerializer(serializers.Serializer):
    """An input serializer that refuses fields it does not know (400 naming them),
    so that a typo in a partner's payload is an error, not a silently ignored field,
    and values of another JSON type than the field's (400 naming them)."""

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            unknown = sorted(set(data) - writable)
            if unknown:
                message = _("Unknown field; allowed: %(allowed)s.") % {"allowed": ", ".join(sorted(writable))}
                raise serializers.ValidationError({name: [message] for name in unknown})
            mistyped = {
                name: [error]
                for name, value in data.items()
                if (error := _json_type_error(self.fields[name], value)) is not None
            }
            if mistyped:
                # Every field's problem at once: the others' own errors, and these.
                try:
                    super().to_internal_value(data)
                except serializers.ValidationError as exc:
                    raise serializers.ValidationError({**exc.detail, **mistyped}) from exc
                raise serializers.ValidationError(mistyped)
        return super().to_internal_value(data)


class AwareDateTimeField(serializers.DateTimeField):
    """An ISO 8601 date-time that must carry its offset: a naive time is refused (400),
    because in a program that spans zones it is ambiguous."""

    def enforce_timezone(self, value: datetime) -> datetime:
        if timezone.is_naive(value):
            raise serializers.ValidationError(
                _("Give the time zone offset (e.g. 2026-12-08T10:00:00+05:00); a naive time is ambiguous.")
            )
        # In UTC from here on: PostgreSQL refuses offsets beyond ±15:59 that Python accepts.
        try:
            return value.astimezone(UTC)
        except OverflowError as exc:
            raise serializers.ValidationError(_("The date is out of range.")) from exc


@extend_schema_field(OpenApiTypes.DATETIME)
class LocalDateTimeField(serializers.Field):
    """Output only: a stored UTC moment shown in the program's zone, with its offset."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value: datetime) -> str:
        tz = self.context.get("tzinfo")
        if tz is None:
            tz = ZoneInfo("UTC")
        return value.astimezone(tz).isoformat()
