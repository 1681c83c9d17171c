"""Serializer building blocks shared by the API of every app: strict input, aware datetimes."""

from collections.abc import Mapping
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


class StrictSerializer(serializers.Serializer):
    """An input serializer that refuses fields it does not know (400 naming them),
    so that a typo in a partner's payload is an error, not a silently ignored field."""

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            unknown = sorted(set(data) - writable)
            if unknown:
                message = _("Unknown field; allowed: %(allowed)s.") % {"allowed": ", ".join(sorted(writable))}
                raise serializers.ValidationError({name: [message] for name in unknown})
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
