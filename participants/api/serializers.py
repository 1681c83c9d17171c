"""Groups and participants in the API: output as the contract lists it, input for the services."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from internship_portal.api.fields import StrictSerializer
from internship_portal.api.translations import TranslatedSerializerMixin
from internship_portal.links import feed_link, personal_link
from participants.enums import ImportMode, Language
from participants.models import Participant, ProjectGroup
from participants.summaries import attendance_summaries

GROUP_OUTPUT_FIELDS = ("id", "name", "theme", "participant_count")
PARTICIPANT_OUTPUT_FIELDS = (
    "id",
    "first_name",
    "last_name",
    "patronymic",
    "email",
    "phone",
    "position",
    "organisation",
    "region",
    "language",
    "group",
    "itinerary_url",
    "calendar_url",
    "attendance",
)


def personal_urls(participant: Participant) -> tuple[str, str]:
    """The participant's secret links: the itinerary page and the calendar feed."""
    return personal_link(participant.access_token), feed_link(participant.access_token)


class GroupOutputSerializer(TranslatedSerializerMixin, serializers.ModelSerializer):
    participant_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = ProjectGroup
        fields = GROUP_OUTPUT_FIELDS
        read_only_fields = GROUP_OUTPUT_FIELDS


class GroupInputSerializer(TranslatedSerializerMixin, StrictSerializer):
    translated = ("name", "theme")

    name = serializers.CharField(max_length=200)
    theme = serializers.CharField(max_length=500, required=False, allow_blank=True)


class AttendanceSummarySerializer(serializers.Serializer):
    visits = serializers.IntegerField(help_text="The non-cancelled visits of the participant's group.")
    present = serializers.IntegerField(help_text="Of those, the visits they were marked present at.")
    absent = serializers.IntegerField(help_text="Of those, the visits they were marked absent from.")
    percent = serializers.IntegerField(allow_null=True, help_text="present / visits in %; null without visits.")
    hours = serializers.FloatField(help_text="Hours of the visits attended.")


class ParticipantOutputSerializer(serializers.ModelSerializer):
    """`attendance` is read from the context's `attendance` (a page's summaries, computed once)
    or, for one participant, asked for."""

    itinerary_url = serializers.SerializerMethodField()
    calendar_url = serializers.SerializerMethodField()
    attendance = serializers.SerializerMethodField()

    class Meta:
        model = Participant
        fields = PARTICIPANT_OUTPUT_FIELDS
        read_only_fields = PARTICIPANT_OUTPUT_FIELDS

    def get_itinerary_url(self, participant: Participant) -> str:
        return personal_urls(participant)[0]

    def get_calendar_url(self, participant: Participant) -> str:
        return personal_urls(participant)[1]

    @extend_schema_field(AttendanceSummarySerializer(allow_null=True))
    def get_attendance(self, participant: Participant) -> dict | None:
        known = self.context.get("attendance")
        if known is None or participant.pk not in known:
            known = attendance_summaries(participants=[participant])
        return known.get(participant.pk)


class ParticipantInputSerializer(StrictSerializer):
    """`group` must be a group of the same program: other ids are refused as unknown."""

    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    patronymic = serializers.CharField(max_length=100, required=False, allow_blank=True)
    email = serializers.EmailField(max_length=254)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    position = serializers.CharField(max_length=300, required=False, allow_blank=True)
    organisation = serializers.CharField(max_length=300, required=False, allow_blank=True)
    region = serializers.CharField(max_length=200, required=False, allow_blank=True)
    language = serializers.ChoiceField(choices=Language.choices, required=False)
    group = serializers.PrimaryKeyRelatedField(queryset=ProjectGroup.objects.none(), allow_null=True, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        program = self.context.get("program")
        if program is not None:
            self.fields["group"].queryset = ProjectGroup.objects.filter(program=program)


class ParticipantImportInputSerializer(StrictSerializer):
    """A spreadsheet of participants to import, and what to do with its rows."""

    file = serializers.FileField(help_text="A .csv (UTF-8 or Windows-1251, `,` or `;`) or .xlsx file of at most 2 MB.")
    mode = serializers.ChoiceField(
        choices=ImportMode.choices,
        default=ImportMode.PREVIEW,
        help_text="`preview` writes nothing; `all` writes every row or, if any row is invalid, none; "
        "`valid` writes the valid rows only.",
    )


class ParticipantImportRowSerializer(serializers.Serializer):
    """One row of the file, checked: `ok`, or the messages that refuse it."""

    row = serializers.IntegerField(help_text="The row's number in the file; the header is row 1.")
    ok = serializers.BooleanField()
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), help_text="The messages for each column refused."
    )


class ParticipantImportOutputSerializer(serializers.Serializer):
    """What an import wrote, and every row of the file with its messages."""

    created = serializers.IntegerField(help_text="How many participants were written (always 0 for a preview).")
    rows = ParticipantImportRowSerializer(many=True)
