"""Programs in the API: output as the contract lists it, input parsed and handed to the services.

The input's schema documents the service's rules (programs.services) so that a request valid by
the OpenAPI document is accepted: known IANA zones only, dates within the service's years. The
rules between two fields (the end on or after the start, at most 366 days) are in the descriptions.
"""

import zoneinfo

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from internship_portal.api.fields import StrictSerializer
from internship_portal.api.translations import TranslatedSerializerMixin
from programs.enums import ProgramStatus
from programs.models import Program
from programs.services import EARLIEST_DATE, LATEST_DATE, MAX_PROGRAM_DAYS

# YYYY-MM-DD in the years of EARLIEST_DATE to LATEST_DATE (2000–2100); the service checks the rest.
DATE_PATTERN = r"^(20[0-9]{2}|2100)-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
DATE_BOUNDS = f"From {EARLIEST_DATE.isoformat()} to {LATEST_DATE.isoformat()}."


@extend_schema_field({"type": "string", "format": "date", "pattern": DATE_PATTERN})
class ProgramDateField(serializers.DateField):
    """A program's date, documented with the service's years."""


@extend_schema_field({"type": "string", "enum": sorted(zoneinfo.available_timezones())})
class TimezoneField(serializers.CharField):
    """An IANA time zone name that this machine knows (the model's validator checks it)."""


PROGRAM_OUTPUT_FIELDS = (
    "slug",
    "title",
    "description",
    "host_institution",
    "city",
    "timezone",
    "start_date",
    "end_date",
    "status",
    "topics",
    "certificate_min_attendance",
)


class ProgramOutputSerializer(TranslatedSerializerMixin, serializers.ModelSerializer):
    topics = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)

    class Meta:
        model = Program
        fields = PROGRAM_OUTPUT_FIELDS
        read_only_fields = PROGRAM_OUTPUT_FIELDS


class ProgramInputSerializer(TranslatedSerializerMixin, StrictSerializer):
    """Shape only; the rules (dates in order and bounds, a known time zone, a free slug) are the service's."""

    translated = ("title", "description", "host_institution", "city")

    slug = serializers.SlugField(max_length=80)
    title = serializers.CharField(max_length=300)
    description = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    host_institution = serializers.CharField(max_length=300)
    city = serializers.CharField(max_length=120)
    timezone = TimezoneField(max_length=64, help_text="IANA time zone name, e.g. Asia/Almaty.")
    start_date = ProgramDateField(help_text=DATE_BOUNDS)
    end_date = ProgramDateField(
        help_text=f"{DATE_BOUNDS} On or after start_date; a program lasts at most {MAX_PROGRAM_DAYS} days."
    )
    status = serializers.ChoiceField(choices=ProgramStatus.choices, required=False)
    certificate_min_attendance = serializers.IntegerField(
        min_value=0,
        max_value=100,
        required=False,
        help_text="The share (in %) of a participant's non-cancelled visits they must attend to get a certificate.",
    )
    topics = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, max_length=100, help_text="Topic names."
    )
