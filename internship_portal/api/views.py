"""The base of every API view set of a program's children (groups, participants, visits, ...)."""

from django.shortcuts import get_object_or_404
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from .access import PortalApiPermission, ProgramScopedMixin


class ProgramChildViewSet(
    ProgramScopedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """List, read, create and change the children of one program through its services."""

    permission_classes = [PortalApiPermission]
    input_serializer_class: type
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if "program_slug" in self.kwargs and not getattr(self, "swagger_fake_view", False):
            context["program"] = self.program
        return context

    def parse(self, *, partial: bool) -> dict:
        serializer = self.input_serializer_class(
            data=self.request.data, partial=partial, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def output(self, obj, *, status_code: int = status.HTTP_200_OK) -> Response:
        fresh = get_object_or_404(self.get_queryset(), pk=obj.pk)
        return Response(self.get_serializer(fresh).data, status=status_code)
