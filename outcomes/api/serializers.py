"""Attendance in the API: a visit's list as the contract shows it, and the marks a PUT merges."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from internship_portal.api.fields import AwareDateTimeField, LocalDateTimeField, StrictSerializer
from visits.models import SiteVisit

from ..models import Attendance

MAX_MARKS = 1000


class AttendanceOutputSerializer(serializers.ModelSerializer):
    participant = serializers.IntegerField(source="participant_id", read_only=True)
    marked_at = LocalDateTimeField()

    class Meta:
        model = Attendance
        fields = ("participant", "present", "marked_by", "marked_at")
        read_only_fields = fields


class AttendanceMarkSerializer(StrictSerializer):
    participant = serializers.IntegerField(min_value=1, help_text="A participant of one of the visit's groups.")
    present = serializers.BooleanField()
    marked_at = AwareDateTimeField(
        required=False,
        help_text="When the mark was made (for marks collected offline); default now. A mark older than the "
        "one stored is ignored; a time in the future counts as now.",
    )


@extend_schema_field(AttendanceMarkSerializer(many=True))
class AttendanceMarksField(serializers.ListField):
    """A list of marks, each participant at most once."""


class AttendanceInputSerializer(serializers.Serializer):
    """The body of PUT: a JSON list of marks."""

    marks = AttendanceMarksField(child=AttendanceMarkSerializer(), allow_empty=True, max_length=MAX_MARKS)

    def validate_marks(self, marks: list[dict]) -> list[dict]:
        seen, twice = set(), set()
        for mark in marks:
            (twice if mark["participant"] in seen else seen).add(mark["participant"])
        if twice:
            raise serializers.ValidationError(
                _("Each participant at most once per request; given more than once: %(ids)s.")
                % {"ids": ", ".join(str(pk) for pk in sorted(twice))}
            )
        return marks


def attendance_list_data(*, visit: SiteVisit) -> list[dict]:
    """The visit's whole attendance as the API answers it."""
    from ..selectors import visit_attendance

    rows = visit_attendance(visit=visit)
    return AttendanceOutputSerializer(rows, many=True, context={"tzinfo": visit.program.tzinfo}).data
