"""Groups and participants of a program in the API; every write goes through participants.services
(the spreadsheet import through participants.importing, which calls them)."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import UnsupportedMediaType
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from internship_portal.api.views import ProgramChildViewSet
from participants.importing import participants_import, upload_check_size
from participants.models import Participant, ProjectGroup
from participants.selectors import groups_of_program, participants_of_program
from participants.services import (
    group_create,
    group_update,
    participant_create,
    participant_rotate_token,
    participant_update,
)
from participants.summaries import attendance_summaries

from .serializers import (
    GroupInputSerializer,
    GroupOutputSerializer,
    ParticipantImportInputSerializer,
    ParticipantImportOutputSerializer,
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
    import_file=extend_schema(
        summary="Import participants from a spreadsheet (CSV or XLSX), or preview the import",
        description=(
            "The organiser's import page as an endpoint. The first row names the columns: given_name, "
            "family_name and email are required; patronymic, phone, position, organisation, region, language, "
            "home_timezone, group (a group's exact name) and notes may follow. Every row is checked and reported; "
            "`mode` decides what is written. Written participants send `participant.created` webhooks."
        ),
        request={"multipart/form-data": ParticipantImportInputSerializer},
        responses={
            200: OpenApiResponse(
                response=ParticipantImportOutputSerializer,
                description=(
                    "Every row of the file, checked. `created` counts the participants written: 0 for a preview, "
                    "and for `all` when any row is invalid."
                ),
            ),
            400: OpenApiResponse(
                response={"$ref": "#/components/schemas/Error"},
                description=(
                    "The file is refused as a whole (`detail` says why): too large, too many rows or columns, "
                    "not a CSV in UTF-8 or Windows-1251 nor an XLSX workbook, no header; or `file` or `mode` "
                    "is missing or invalid. Nothing is written."
                ),
            ),
            415: OpenApiResponse(
                response={"$ref": "#/components/schemas/Error"},
                description="The body is not multipart/form-data.",
            ),
        },
    ),
)
class ParticipantViewSet(ProgramChildViewSet):
    serializer_class = ParticipantOutputSerializer
    input_serializer_class = ParticipantInputSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Participant.objects.none()
        return participants_of_program(program=self.program)

    def get_serializer(self, *args, **kwargs):
        # The attendance summaries of the whole page (or the one participant) at once.
        instance = args[0] if args else kwargs.get("instance")
        people = list(instance) if kwargs.get("many") else [instance] if instance is not None else []
        context = self.get_serializer_context()
        context["attendance"] = attendance_summaries(participants=people)
        kwargs["context"] = context
        return self.get_serializer_class()(*args, **kwargs)

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

    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser])
    def import_file(self, request, *args, **kwargs):
        program = self.program  # 404 before the upload is read, for a program the caller may not see
        if not request.content_type.startswith("multipart/form-data"):
            raise UnsupportedMediaType(
                request.content_type,
                detail=_("Send the file as multipart/form-data, in the fields file and mode; the body was %(type)s.")
                % {"type": request.content_type or _("of no type")},
            )
        fields = self.parse_import()
        upload = fields["file"]
        upload_check_size(size=upload.size)
        outcome = participants_import(program=program, name=upload.name, content=upload.read(), mode=fields["mode"])
        body = {
            "created": outcome.created,
            "rows": [{"row": result.number, "ok": result.ok, "errors": result.errors} for result in outcome.results],
        }
        return Response(ParticipantImportOutputSerializer(body).data)

    def parse_import(self) -> dict:
        serializer = ParticipantImportInputSerializer(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)
