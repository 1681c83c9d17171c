"""Programs in the API: output as the contract lists it, input parsed and handed to the services."""

from rest_framework import serializers

from internship_portal.api.fields import StrictSerializer
from programs.enums import ProgramStatus
from programs.models import Program

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
)


class ProgramOutputSerializer(serializers.ModelSerializer):
    topics = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)

    class Meta:
        model = Program
        fields = PROGRAM_OUTPUT_FIELDS
        read_only_fields = PROGRAM_OUTPUT_FIELDS


class ProgramInputSerializer(StrictSerializer):
    """Shape only; the rules (dates in order, a known time zone, a free slug) are the service's."""

    slug = serializers.SlugField(max_length=80)
    title = serializers.CharField(max_length=300)
    description = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    host_institution = serializers.CharField(max_length=300)
    city = serializers.CharField(max_length=120)
    timezone = serializers.CharField(max_length=64, help_text="IANA time zone name, e.g. Asia/Almaty.")
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    status = serializers.ChoiceField(choices=ProgramStatus.choices, required=False)
    topics = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, max_length=100, help_text="Topic names."
    )
