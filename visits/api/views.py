"""Hosts, visits and itineraries in the API; every write goes through visits.services.

DELETE on a visit cancels it (visits.services.visit_cancel): the visit stays,
with status `cancelled`, in itineraries and calendars, so that phones show it
as cancelled instead of silently losing it. The answer is 200 with the visit.
"""

from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from internship_portal.api.access import PortalApiPermission
from internship_portal.api.views import ProgramChildViewSet
from internship_portal.cache import VERSIONED_TIMEOUT, version_key
from programs.versions import program_version
from visits.models import HostOrganisation, SiteVisit
from visits.selectors import (
    hosts_with_contacts,
    visits_of_program,
    visits_warnings,
)
from visits.services import (
    host_create,
    host_update,
    visit_cancel,
    visit_create,
    visit_duplicate,
    visit_update,
    visits_shift,
)

from .filters import ProgramFilterBackend, VisitFilter
from .serializers import (
    HostInputSerializer,
    HostOutputSerializer,
    VisitDuplicateInputSerializer,
    VisitInputSerializer,
    VisitOutputSerializer,
    VisitShiftInputSerializer,
)


@extend_schema_view(
    list=extend_schema(summary="List host organisations"),
    retrieve=extend_schema(summary="Read one host organisation"),
    create=extend_schema(
        summary="Add a host organisation", request=HostInputSerializer, responses={201: HostOutputSerializer}
    ),
    partial_update=extend_schema(
        summary="Change a host organisation (contacts, when given, replace the list)",
        request=HostInputSerializer,
        responses={200: HostOutputSerializer},
    ),
)
class HostViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Hosts are shared by every program: any caller may read them, any write token may change them."""

    permission_classes = [PortalApiPermission]
    serializer_class = HostOutputSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return hosts_with_contacts().order_by("name", "id")

    def create(self, request, *args, **kwargs):
        host = host_create(**self._parse(partial=False))
        return self._output(host, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        host = host_update(host=self.get_object(), **self._parse(partial=True))
        return self._output(host, status.HTTP_200_OK)

    def _parse(self, *, partial: bool) -> dict:
        serializer = HostInputSerializer(data=self.request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "contacts" in data:
            data["contacts"] = [dict(contact) for contact in data["contacts"]]
        return data

    def _output(self, host: HostOrganisation, code: int) -> Response:
        fresh = get_object_or_404(self.get_queryset(), pk=host.pk)
        return Response(self.get_serializer(fresh).data, status=code)


@extend_schema_view(
    list=extend_schema(summary="List the visits of a program"),
    retrieve=extend_schema(summary="Read one visit"),
    create=extend_schema(
        summary="Schedule a visit (409 if a group would be double-booked)",
        request=VisitInputSerializer,
        responses={201: VisitOutputSerializer},
    ),
    partial_update=extend_schema(
        summary="Change a visit (409 if a group would be double-booked)",
        request=VisitInputSerializer,
        responses={200: VisitOutputSerializer},
    ),
    destroy=extend_schema(
        summary="Cancel a visit: it stays, with status cancelled, in itineraries and calendars",
        responses={200: VisitOutputSerializer},
    ),
)
class VisitViewSet(ProgramChildViewSet):
    serializer_class = VisitOutputSerializer
    input_serializer_class = VisitInputSerializer
    filter_backends = [ProgramFilterBackend]
    filterset_class = VisitFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return SiteVisit.objects.none()
        return visits_of_program(program=self.program)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if "program" in context:
            context["tzinfo"] = context["program"].tzinfo
        return context

    def list(self, request, *args, **kwargs):
        """The page of visits, rendered once per version of the program (programs.versions), address
        (filters, page; the host the links are built on) and language: every write that changes
        what it shows raises the version, so a cached page is never stale."""
        key = version_key(
            "visits", program_version(self.program), request.get_host(), request.get_full_path(), get_language()
        )
        body = cache.get(key)
        if body is None:
            response = super().list(request, *args, **kwargs)
            body = JSONRenderer().render(response.data)
            cache.set(key, body, VERSIONED_TIMEOUT)
        return HttpResponse(body, content_type=JSONRenderer.media_type)

    def get_serializer(self, *args, **kwargs):
        # Soft warnings for the whole page (or the one visit) in one query.
        instance = args[0] if args else kwargs.get("instance")
        visits = list(instance) if kwargs.get("many") else [instance] if instance is not None else []
        context = self.get_serializer_context()
        context["warnings"] = visits_warnings(visits=visits)
        kwargs["context"] = context
        return self.get_serializer_class()(*args, **kwargs)

    def create(self, request, *args, **kwargs):
        visit = visit_create(program=self.program, **self.parse(partial=False))
        return self.output(visit, status_code=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        visit = visit_update(visit=self.get_object(), **self.parse(partial=True))
        return self.output(visit)

    def destroy(self, request, *args, **kwargs):
        visit = visit_cancel(visit=self.get_object())
        return self.output(visit)

    @extend_schema(
        summary="Move a day's visits by N minutes, all or nothing (409 naming every clash)",
        description=(
            "Moves every non-cancelled visit starting on `date` (local to the program), or only those "
            "booking any of `groups`, or only `visits`, by `minutes`. The moved visits are checked "
            "together against every visit not moved: one clash and nothing moves (409 with every clash "
            "in `conflicts`). Each moved visit's calendar sees one change."
        ),
        request=VisitShiftInputSerializer,
        responses={200: VisitOutputSerializer(many=True)},
    )
    def shift(self, request, *args, **kwargs):
        data = self._input(VisitShiftInputSerializer)
        moved = visits_shift(program=self.program, **data)
        fresh = list(self.get_queryset().filter(pk__in=[visit.pk for visit in moved]))
        return Response(self.get_serializer(fresh, many=True).data)

    @extend_schema(
        summary="Copy a visit to a new start, optionally for other groups (409 if a group would be double-booked)",
        request=VisitDuplicateInputSerializer,
        responses={201: VisitOutputSerializer},
    )
    def duplicate(self, request, *args, **kwargs):
        copy = visit_duplicate(visit=self.get_object(), **self._input(VisitDuplicateInputSerializer))
        return self.output(copy, status_code=status.HTTP_201_CREATED)

    def _input(self, serializer_class) -> dict:
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)
