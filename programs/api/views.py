"""Programs in the API: list, read, create and change, within what the caller may see."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from internship_portal.api.access import (
    PortalApiPermission,
    api_client_of,
    request_is_program_limited,
    request_programs,
)
from programs.services import program_create, program_update

from .serializers import ProgramInputSerializer, ProgramOutputSerializer


@extend_schema_view(
    list=extend_schema(summary="List the programs this caller may see"),
    retrieve=extend_schema(summary="Read one program"),
    create=extend_schema(
        summary="Create a program", request=ProgramInputSerializer, responses={201: ProgramOutputSerializer}
    ),
    partial_update=extend_schema(
        summary="Change a program", request=ProgramInputSerializer, responses={200: ProgramOutputSerializer}
    ),
)
class ProgramViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [PortalApiPermission]
    serializer_class = ProgramOutputSerializer
    lookup_field = "slug"
    lookup_url_kwarg = "program_slug"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return request_programs(self.request).order_by("-start_date", "title", "id")

    def create(self, request, *args, **kwargs):
        if request_is_program_limited(request):
            raise PermissionDenied(_("This token is limited to listed programs and cannot create new ones."))
        data = self._parse(request, partial=False)
        organisers = [] if api_client_of(request) else [request.user]
        program = program_create(organisers=organisers, **data)
        return Response(self._output(program), status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        program = self.get_object()
        data = self._parse(request, partial=True)
        program = program_update(program=program, **data)
        return Response(self._output(program))

    def _parse(self, request, *, partial: bool) -> dict:
        serializer = ProgramInputSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _output(self, program) -> dict:
        program = request_programs(self.request).get(pk=program.pk)
        return ProgramOutputSerializer(program, context=self.get_serializer_context()).data
