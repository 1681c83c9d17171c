"""The itinerary document of the API: what a partner app reads of a participant's plan."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from internship_portal.translated import row_text
from itinerary.selectors import ItineraryRows
from participants.api.serializers import ParticipantOutputSerializer
from programs.api.serializers import ProgramOutputSerializer
from visits.enums import VisitKind, VisitStatus


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
    """The document of ItinerarySerializer, its texts in the active language, built from plain
    rows: DRF serialises only the participant and the program. Per item, DRF's fields cost more than the whole query
    (the benchmark's profile), and a test holds the two equal."""
    tz = itinerary.program.tzinfo
    days: list[dict] = []
    for row in itinerary.rows:
        starts_at = row["starts_at"].astimezone(tz)
        has_host = row["host_id"] is not None
        # The texts in the active language, with its fallbacks (internship_portal.translated).
        address = row_text(row, "host__address")
        item = {
            "visit": row["id"],
            "title": row_text(row, "title"),
            "kind": row["kind"],
            "host": {"id": row["host_id"], "name": row_text(row, "host__name"), "address": address}
            if has_host
            else None,
            "starts_at": starts_at.isoformat(),
            "ends_at": row["ends_at"].astimezone(tz).isoformat(),
            "location": row_text(row, "location") or (address if has_host else ""),  # effective_location
            "meeting_point": row_text(row, "meeting_point"),
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
