"""Hosts, visits and itineraries in the API: output as the contract lists it, input for the services."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from internship_portal.api.fields import AwareDateTimeField, LocalDateTimeField, StrictSerializer
from internship_portal.api.translations import TranslatedSerializerMixin
from participants.enums import Language, VisitorField
from participants.models import ProjectGroup
from visits.enums import MAX_SHIFT_MINUTES, HostKind, HostStatus, VisitKind, VisitStatus
from visits.models import HostContact, HostOrganisation, SiteVisit

HOST_OUTPUT_FIELDS = (
    "id",
    "name",
    "kind",
    "address",
    "city",
    "website",
    "latitude",
    "longitude",
    "visitor_list_days_ahead",
    "required_visitor_fields",
    "contacts",
)
CONTACT_FIELDS = ("name", "role", "email", "phone", "language")
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
    "host_status",
    "host_note",
    "host_proposed_starts_at",
    "host_proposed_ends_at",
    "host_requested_at",
    "host_answered_at",
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
    required_visitor_fields = serializers.ListField(
        child=serializers.ChoiceField(choices=VisitorField.choices),
        read_only=True,
        help_text="What the host's security desk requires of each visitor.",
    )
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
    language = serializers.ChoiceField(
        choices=Language.choices, required=False, help_text="The contact's e-mails and page are in it (default ru)."
    )


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
    visitor_list_days_ahead = serializers.IntegerField(min_value=0, max_value=60, required=False)
    required_visitor_fields = serializers.ListField(
        child=serializers.ChoiceField(choices=VisitorField.choices),
        required=False,
        max_length=len(VisitorField.values),
        help_text="What the security desk requires of each visitor, from the fixed set.",
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
    host_status = serializers.ChoiceField(
        choices=HostStatus.choices,
        read_only=True,
        help_text='The host\'s answer: "" never asked, requested, confirmed, declined, proposed.',
    )
    host_proposed_starts_at = LocalDateTimeField(allow_null=True)
    host_proposed_ends_at = LocalDateTimeField(allow_null=True)
    host_requested_at = LocalDateTimeField(allow_null=True)
    host_answered_at = LocalDateTimeField(allow_null=True)
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


class VisitShiftInputSerializer(StrictSerializer):
    """Which visits of a day to move, and by how much. The scheduling service checks the rest:
    the day within the program, the moved visits against every other visit."""

    date = serializers.DateField(help_text="A local day of the program (YYYY-MM-DD).")
    minutes = serializers.IntegerField(
        min_value=-MAX_SHIFT_MINUTES,
        max_value=MAX_SHIFT_MINUTES,
        help_text="Minutes to move by: positive is later, negative earlier; not 0.",
    )
    groups = serializers.PrimaryKeyRelatedField(
        queryset=ProjectGroup.objects.none(),
        many=True,
        required=False,
        help_text="Move only the visits booking any of these groups (ids of this program). Omit for all.",
    )
    visits = serializers.PrimaryKeyRelatedField(
        queryset=SiteVisit.objects.none(),
        many=True,
        required=False,
        help_text="Move only these visits (ids of this program, on that day). Omit for all.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        program = self.context.get("program")
        if program is not None:
            self.fields["groups"].child_relation.queryset = ProjectGroup.objects.filter(program=program)
            self.fields["visits"].child_relation.queryset = SiteVisit.objects.filter(program=program)


class VisitDuplicateInputSerializer(StrictSerializer):
    """Where the copy goes: its start (it keeps the visit's duration) and, optionally, other groups."""

    starts_at = AwareDateTimeField(
        help_text="With its offset (e.g. 2026-12-09T10:00:00+05:00); within the program's dates."
    )
    groups = serializers.PrimaryKeyRelatedField(
        queryset=ProjectGroup.objects.none(),
        many=True,
        required=False,
        help_text="Ids of groups of this program; omit to keep the visit's groups.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        program = self.context.get("program")
        if program is not None:
            self.fields["groups"].child_relation.queryset = ProjectGroup.objects.filter(program=program)


# --- itineraries -----------------------------------------------------------------------
