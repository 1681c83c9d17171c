"""Groups and participants of a program in the API; every write goes through participants.services."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action

from internship_portal.api.views import ProgramChildViewSet
from participants.models import Participant, ProjectGroup
from participants.selectors import groups_of_program, participants_of_program
from participants.services import (
    group_create,
    group_update,
    participant_create,
    participant_rotate_token,
    participant_update,
)

from .serializers import (
    GroupInputSerializer,
    GroupOutputSerializer,
    ParticipantInputSerializer,
    ParticipantOutputSerializer,
)


@extend_schema_view(
    list=extend_schema(summary="List the project groups of a program"),
    retrieve=extend_schema(summary="Read one project group"),
    create=extend_schema(
        summary="Create a project group", request=GroupInputSerializer, responses={201: GroupOutputSerializer}
    ),
    partial_update=extend_schema(
        summary="Change a project group", request=GroupInputSerializer, responses={200: GroupOutputSerializer}
    ),
)
class GroupViewSet(ProgramChildViewSet):
    serializer_class = GroupOutputSerializer
    input_serializer_class = GroupInputSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no program
            return ProjectGroup.objects.none()
        return groups_of_program(program=self.program)

    def create(self, request, *args, **kwargs):
        group = group_create(program=self.program, **self.parse(partial=False))
        return self.output(group, status_code=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        group = group_update(group=self.get_object(), **self.parse(partial=True))
        return self.output(group)


@extend_schema_view(
    list=extend_schema(summary="List the participants of a program"),
    retrieve=extend_schema(summary="Read one participant"),
    create=extend_schema(
        summary="Add a participant", request=ParticipantInputSerializer, responses={201: ParticipantOutputSerializer}
    ),
    partial_update=extend_schema(
        summary="Change a participant", request=ParticipantInputSerializer, responses={200: ParticipantOutputSerializer}
    ),
    rotate_link=extend_schema(
        summary="Replace the participant's secret link (the old itinerary and calendar links stop working)",
        request=None,
        responses={200: ParticipantOutputSerializer},
    ),
)
class ParticipantViewSet(ProgramChildViewSet):
    serializer_class = ParticipantOutputSerializer
    input_serializer_class = ParticipantInputSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Participant.objects.none()
        return participants_of_program(program=self.program)

    def create(self, request, *args, **kwargs):
        participant = participant_create(program=self.program, **self.parse(partial=False))
        return self.output(participant, status_code=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        participant = participant_update(participant=self.get_object(), **self.parse(partial=True))
        return self.output(participant)

    @action(detail=True, methods=["post"], url_path="rotate-link")
    def rotate_link(self, request, *args, **kwargs):
        participant = participant_rotate_token(participant=self.get_object())
        return self.output(participant)
