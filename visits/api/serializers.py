"""Hosts, visits and itineraries in the API: output as the contract lists it, input for the services."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from internship_portal.api.fields import AwareDateTimeField, LocalDateTimeField, StrictSerializer
from internship_portal.api.translations import TranslatedSerializerMixin
from participants.models import ProjectGroup
from visits.enums import HostKind, VisitKind, VisitStatus
from visits.models import HostContact, HostOrganisation, SiteVisit

HOST_OUTPUT_FIELDS = ("id", "name", "kind", "address", "city", "website", "latitude", "longitude", "contacts")
CONTACT_FIELDS = ("name", "role", "email", "phone")
VISIT_OUTPUT_FIELDS = (
    "id",
    "title",
    "kind",
    "host",
    "starts_at",
    "ends_at",
    "location",
    "meeting_point",
    "agenda",
    "status",
    "capacity",
    "groups",
    "warnings",
)
MAX_CAPACITY = 100_000


# --- hosts -----------------------------------------------------------------------------


class ContactOutputSerializer(serializers.ModelSerializer):
    # Plain strings: an empty e-mail is allowed and is not a "format: email" value.
    email = serializers.CharField(read_only=True)

    class Meta:
        model = HostContact
        fields = CONTACT_FIELDS
        read_only_fields = CONTACT_FIELDS


class HostOutputSerializer(TranslatedSerializerMixin, serializers.ModelSerializer):
    latitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, coerce_to_string=False, read_only=True, allow_null=True
    )
    longitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, coerce_to_string=False, read_only=True, allow_null=True
    )
    website = serializers.CharField(read_only=True, help_text="A URL, or empty.")
    contacts = ContactOutputSerializer(many=True, read_only=True)

    class Meta:
        model = HostOrganisation
        fields = HOST_OUTPUT_FIELDS
        read_only_fields = HOST_OUTPUT_FIELDS


class ContactInputSerializer(StrictSerializer):
    name = serializers.CharField(max_length=200)
    role = serializers.CharField(max_length=200, required=False, allow_blank=True)
    email = serializers.EmailField(max_length=254, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)


class HostInputSerializer(TranslatedSerializerMixin, StrictSerializer):
    """`contacts`, when given, replaces the host's contact list."""

    translated = ("name", "address", "city", "visitor_requirements")

    name = serializers.CharField(max_length=300)
    kind = serializers.ChoiceField(choices=HostKind.choices, required=False)
    address = serializers.CharField(max_length=500, required=False, allow_blank=True)
    city = serializers.CharField(max_length=120, required=False, allow_blank=True)
    website = serializers.URLField(max_length=200, required=False, allow_blank=True)
    # Numbers in JSON, as the output gives them.
    latitude = serializers.DecimalField(
        max_digits=9,
        decimal_places=6,
        min_value=-90,
        max_value=90,
        allow_null=True,
        required=False,
        coerce_to_string=False,
        help_text="Degrees, at most 6 decimal places.",
    )
    longitude = serializers.DecimalField(
        max_digits=9,
        decimal_places=6,
        min_value=-180,
        max_value=180,
        allow_null=True,
        required=False,
        coerce_to_string=False,
        help_text="Degrees, at most 6 decimal places.",
    )
    contacts = ContactInputSerializer(many=True, required=False, max_length=50)


# --- visits ----------------------------------------------------------------------------


class WarningSerializer(serializers.Serializer):
    code = serializers.CharField(read_only=True)
    message = serializers.CharField(read_only=True)


class VisitOutputSerializer(TranslatedSerializerMixin, serializers.ModelSerializer):
    """Expects `warnings` (visit id → list of Warning) and `tzinfo` in the context."""

    starts_at = LocalDateTimeField()
    ends_at = LocalDateTimeField()
    groups = serializers.SerializerMethodField()
    warnings = serializers.SerializerMethodField()

    class Meta:
        model = SiteVisit
        fields = VISIT_OUTPUT_FIELDS
        read_only_fields = VISIT_OUTPUT_FIELDS

    def get_groups(self, visit: SiteVisit) -> list[int]:
        return sorted(booking.group_id for booking in visit.bookings.all())

    @extend_schema_field(WarningSerializer(many=True))
    def get_warnings(self, visit: SiteVisit) -> list[dict]:
        return [warning.as_dict() for warning in self.context.get("warnings", {}).get(visit.pk, [])]


class VisitInputSerializer(TranslatedSerializerMixin, StrictSerializer):
    """Shape only: times must carry an offset; `groups` and `host` must exist (groups in this
    program). Overlaps, program dates and capacity are the scheduling service's rules."""

    translated = ("title", "agenda", "location", "meeting_point")

    title = serializers.CharField(max_length=300)
    kind = serializers.ChoiceField(choices=VisitKind.choices, required=False)
    host = serializers.PrimaryKeyRelatedField(queryset=HostOrganisation.objects.all(), allow_null=True, required=False)
    starts_at = AwareDateTimeField(
        help_text="With its offset (e.g. 2026-12-08T10:00:00+05:00); within the program's dates."
    )
    ends_at = AwareDateTimeField(help_text="With its offset; after starts_at, within the program's dates.")
    location = serializers.CharField(max_length=500, required=False, allow_blank=True)
    meeting_point = serializers.CharField(max_length=300, required=False, allow_blank=True)
    agenda = serializers.CharField(max_length=20000, required=False, allow_blank=True)
    status = serializers.ChoiceField(choices=VisitStatus.choices, required=False)
    capacity = serializers.IntegerField(min_value=0, max_value=MAX_CAPACITY, allow_null=True, required=False)
    groups = serializers.PrimaryKeyRelatedField(
        queryset=ProjectGroup.objects.none(), many=True, required=False, help_text="Ids of groups of this program."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        program = self.context.get("program")
        if program is not None:
            self.fields["groups"].child_relation.queryset = ProjectGroup.objects.filter(program=program)


# --- itineraries -----------------------------------------------------------------------
