"""The proposer in the API: host windows, visit requests and proposals, as issue #15's contract names them."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from internship_portal.api.fields import AwareDateTimeField, LocalDateTimeField, StrictSerializer
from participants.models import ProjectGroup
from planning.enums import Priority, ProposalStatus
from planning.messages import reason_text
from planning.models import HostWindow, Proposal, VisitRequest
from visits.models import HostOrganisation

WINDOW_FIELDS = ("id", "host", "starts_at", "ends_at", "capacity")
REQUEST_FIELDS = ("id", "groups", "host", "duration_minutes", "priority", "title", "not_before", "not_after", "visit")


class WindowOutputSerializer(serializers.ModelSerializer):
    starts_at = LocalDateTimeField()
    ends_at = LocalDateTimeField()

    class Meta:
        model = HostWindow
        fields = WINDOW_FIELDS
        read_only_fields = WINDOW_FIELDS


class WindowInputSerializer(StrictSerializer):
    host = serializers.PrimaryKeyRelatedField(queryset=HostOrganisation.objects.all())
    starts_at = AwareDateTimeField(help_text="With its offset; within the program's dates.")
    ends_at = AwareDateTimeField(help_text="With its offset; after starts_at, within the program's dates.")
    capacity = serializers.IntegerField(min_value=1, max_value=100, required=False, help_text="Groups at once (1).")


class RequestOutputSerializer(serializers.ModelSerializer):
    groups = serializers.SerializerMethodField()
    visit = serializers.IntegerField(
        source="visit_id", read_only=True, allow_null=True, help_text="The visit it was applied as, if any."
    )

    class Meta:
        model = VisitRequest
        fields = REQUEST_FIELDS
        read_only_fields = REQUEST_FIELDS

    def get_groups(self, request: VisitRequest) -> list[int]:
        return sorted(group.pk for group in request.groups.all())


class RequestInputSerializer(StrictSerializer):
    groups = serializers.PrimaryKeyRelatedField(
        queryset=ProjectGroup.objects.none(), many=True, help_text="Ids of groups of this program (one or more)."
    )
    host = serializers.PrimaryKeyRelatedField(queryset=HostOrganisation.objects.all())
    duration_minutes = serializers.IntegerField(min_value=1, max_value=24 * 60)
    priority = serializers.ChoiceField(choices=Priority.choices, required=False)
    title = serializers.CharField(max_length=300, required=False, allow_blank=True)
    not_before = serializers.DateField(required=False, allow_null=True)
    not_after = serializers.DateField(required=False, allow_null=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        program = self.context.get("program")
        if program is not None:
            self.fields["groups"].child_relation.queryset = ProjectGroup.objects.filter(program=program)


class ProposalInputSerializer(StrictSerializer):
    time_limit_seconds = serializers.IntegerField(
        min_value=1, max_value=120, required=False, help_text="How long the solver may search (10 s unless given)."
    )
    keep_existing = serializers.BooleanField(
        required=False, help_text="Re-plan: keep the requests' visits where they are and move as few as possible."
    )


class ProposalQueuedSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    status = serializers.ChoiceField(choices=ProposalStatus.choices, read_only=True)


class ProposedVisitSerializer(serializers.Serializer):
    request = serializers.IntegerField()
    groups = serializers.ListField(child=serializers.IntegerField())
    host = serializers.IntegerField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    visit = serializers.IntegerField(allow_null=True, help_text="The visit this moves or keeps; null when added.")
    change = serializers.ChoiceField(choices=["added", "moved", "unchanged"])


class UnplacedSerializer(serializers.Serializer):
    request = serializers.IntegerField()
    reason = serializers.CharField(help_text="Why, in the reader's language.")
    code = serializers.CharField(help_text="no_window, no_window_in_dates, day_too_full, groups_busy, host_full, …")


class ProposalOutputSerializer(serializers.ModelSerializer):
    visits = serializers.SerializerMethodField()
    unplaced = serializers.SerializerMethodField()
    stats = serializers.SerializerMethodField()
    created_at = LocalDateTimeField()

    class Meta:
        model = Proposal
        fields = (
            "id", "status", "time_limit_seconds", "keep_existing", "created_at", "applied_at",
            "error", "visits", "unplaced", "stats",
        )  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(ProposedVisitSerializer(many=True))
    def get_visits(self, proposal: Proposal) -> list[dict]:
        keys = ("request", "groups", "host", "starts_at", "ends_at", "visit", "change")
        return [{key: row.get(key) for key in keys} for row in proposal.visits]

    @extend_schema_field(UnplacedSerializer(many=True))
    def get_unplaced(self, proposal: Proposal) -> list[dict]:
        start = proposal.program.start_date
        return [
            {"request": row["request"], "reason": reason_text(row, start=start), "code": row.get("code", "")}
            for row in proposal.unplaced
        ]

    @extend_schema_field(
        {
            "type": "object",
            "description": "solve_seconds, solver_status, objective, best_bound, gap, musts, musts_placed, shoulds, "
            "shoulds_placed, travel_minutes, visits_added, visits_moved, visits_unchanged, warnings.",
            "additionalProperties": True,
        }
    )
    def get_stats(self, proposal: Proposal) -> dict:
        return proposal.stats


class AppliedSerializer(serializers.Serializer):
    visits = serializers.ListField(child=serializers.IntegerField(), help_text="The proposal's visits on the board.")
