"""Hosts, visits and itineraries in the API: output as the contract lists it, input for the services."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from participants.api.serializers import ParticipantOutputSerializer
from participants.models import ProjectGroup
from partners.api.fields import AwareDateTimeField, LocalDateTimeField, StrictSerializer
from programs.api.serializers import ProgramOutputSerializer
from visits.enums import HostKind, VisitKind, VisitStatus
from visits.models import HostContact, HostOrganisation, SiteVisit
from visits.selectors import ItineraryRows

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


class HostOutputSerializer(serializers.ModelSerializer):
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


class HostInputSerializer(StrictSerializer):
    """`contacts`, when given, replaces the host's contact list."""

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


class VisitOutputSerializer(serializers.ModelSerializer):
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


class VisitInputSerializer(StrictSerializer):
    """Shape only: times must carry an offset; `groups` and `host` must exist (groups in this
    program). Overlaps, program dates and capacity are the scheduling service's rules."""

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


class ItineraryHostSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    address = serializers.CharField(read_only=True)


class ItineraryItemSerializer(serializers.Serializer):
    visit = serializers.IntegerField(source="visit.pk", read_only=True)
    title = serializers.CharField(source="visit.title", read_only=True)
    kind = serializers.ChoiceField(source="visit.kind", choices=VisitKind.choices, read_only=True)
    host = ItineraryHostSerializer(source="visit.host", read_only=True, allow_null=True)
    starts_at = serializers.SerializerMethodField()
    ends_at = serializers.SerializerMethodField()
    location = serializers.CharField(source="visit.effective_location", read_only=True)
    meeting_point = serializers.CharField(source="visit.meeting_point", read_only=True)
    status = serializers.ChoiceField(source="visit.status", choices=VisitStatus.choices, read_only=True)

    @extend_schema_field(serializers.DateTimeField())
    def get_starts_at(self, item) -> str:
        return item.starts_at.isoformat()

    @extend_schema_field(serializers.DateTimeField())
    def get_ends_at(self, item) -> str:
        return item.ends_at.isoformat()


class ItineraryDaySerializer(serializers.Serializer):
    date = serializers.DateField(read_only=True)
    items = ItineraryItemSerializer(many=True, read_only=True)


class ItinerarySerializer(serializers.Serializer):
    """The itinerary document, as the schema describes it; the API answers it with `itinerary_json`."""

    participant = ParticipantOutputSerializer(read_only=True)
    program = ProgramOutputSerializer(read_only=True)
    timezone = serializers.CharField(read_only=True)
    days = ItineraryDaySerializer(many=True, read_only=True)


def itinerary_json(*, itinerary: ItineraryRows) -> dict:
    """The document of ItinerarySerializer, built from plain rows: DRF serialises only the
    participant and the program. Per item, DRF's fields cost more than the whole query
    (the benchmark's profile), and a test holds the two equal."""
    tz = itinerary.program.tzinfo
    days: list[dict] = []
    for row in itinerary.rows:
        starts_at = row["starts_at"].astimezone(tz)
        has_host = row["host_id"] is not None
        item = {
            "visit": row["id"],
            "title": row["title"],
            "kind": row["kind"],
            "host": {"id": row["host_id"], "name": row["host__name"], "address": row["host__address"]}
            if has_host
            else None,
            "starts_at": starts_at.isoformat(),
            "ends_at": row["ends_at"].astimezone(tz).isoformat(),
            "location": row["location"] or (row["host__address"] if has_host else ""),  # effective_location
            "meeting_point": row["meeting_point"],
            "status": row["status"],
        }
        day = starts_at.date().isoformat()
        if not days or days[-1]["date"] != day:
            days.append({"date": day, "items": []})
        days[-1]["items"].append(item)
    return {
        "participant": ParticipantOutputSerializer(itinerary.participant).data,
        "program": ProgramOutputSerializer(itinerary.program).data,
        "timezone": itinerary.program.timezone,
        "days": days,
    }
