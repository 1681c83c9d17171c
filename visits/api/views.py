"""Hosts, visits and itineraries in the API; every write goes through visits.services.

DELETE on a visit cancels it (visits.services.visit_cancel): the visit stays,
with status `cancelled`, in itineraries and calendars, so that phones show it
as cancelled instead of silently losing it. The answer is 200 with the visit.
"""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from participants.api.serializers import personal_urls
from participants.api.views import ProgramChildViewSet
from participants.selectors import participant_of_visible_program
from partners.api.access import PortalApiPermission, ProgramScopedMixin, request_programs
from visits.caching import itinerary_ical_cached, itinerary_json_cached
from visits.models import HostOrganisation, SiteVisit
from visits.selectors import (
    hosts_with_contacts,
    participant_itinerary_rows,
    visits_of_program,
    visits_warnings,
)
from visits.services import host_create, host_update, visit_cancel, visit_create, visit_update

from .filters import ProgramFilterBackend, VisitFilter
from .serializers import (
    HostInputSerializer,
    HostOutputSerializer,
    ItinerarySerializer,
    VisitInputSerializer,
    VisitOutputSerializer,
    itinerary_json,
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


class ICalendarRenderer(BaseRenderer):
    media_type = "text/calendar"
    format = "ics"
    charset = "utf-8"
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, bytes) else b""


def _etag_matches(header: str, etag: str) -> bool:
    if not header:
        return False
    tags = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return "*" in tags or etag in tags


@extend_schema(
    summary="A participant's itinerary: JSON, or iCalendar with ?format=ics or the .ics address",
    parameters=[
        OpenApiParameter("format", str, enum=["json", "ics"], required=False, description="`ics` for text/calendar."),
        OpenApiParameter(
            "If-None-Match", str, location=OpenApiParameter.HEADER, required=False, description="An ETag from before."
        ),
    ],
    responses={
        (200, "application/json"): ItinerarySerializer,
        (200, "text/calendar"): OpenApiResponse(OpenApiTypes.BINARY, description="RFC 5545 calendar"),
        304: OpenApiResponse(description="Not modified since the ETag given in If-None-Match."),
    },
)
class ItineraryView(ProgramScopedMixin, APIView):
    permission_classes = [PortalApiPermission]
    renderer_classes = [JSONRenderer, ICalendarRenderer]

    def get(self, request, *args, **kwargs):
        # The .ics address fixes the format, so DRF's negotiation never sees the query's.
        if request.query_params.get("format") not in {None, "json", "ics"}:
            raise NotFound(_("Unknown format; use format=json or format=ics."))
        # The access check, the program and the participant in one query.
        participant = participant_of_visible_program(
            programs=request_programs(request), slug=kwargs[self.program_url_kwarg], pk=kwargs["pk"]
        )
        if participant is None:
            raise Http404
        self._program = participant.program
        is_ics = request.accepted_renderer.format == "ics"
        # Both need the visits only to be built on a cache miss: plain rows are enough. (The JSON
        # also shows the program's topics, which the program's updated_at covers: programs.versions.)
        rows = participant_itinerary_rows(participant=participant)
        etag = f'"{rows.version()}-ics"' if is_ics else f'"{rows.version()}"'
        headers = {"ETag": etag, "Cache-Control": "private, no-cache"}
        if _etag_matches(request.headers.get("If-None-Match", ""), etag):
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers=headers)
        if is_ics:
            body = itinerary_ical_cached(rows=rows, personal_url=personal_urls(participant)[0])
            headers["Content-Disposition"] = f'inline; filename="itinerary-{participant.pk}.ics"'
            return Response(body, headers=headers)
        body = itinerary_json_cached(version=etag, build=lambda: JSONRenderer().render(itinerary_json(itinerary=rows)))
        return HttpResponse(body, content_type=JSONRenderer.media_type, headers=headers)

    def finalize_response(self, request, response, *args, **kwargs):
        # Errors are JSON, whichever representation was asked for.
        renderer = getattr(request, "accepted_renderer", None)
        if response.status_code >= 400 and renderer is not None and renderer.format == "ics":
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)
