"""A participant's itinerary in the API: JSON, or iCalendar (`?format=ics`, `.ics`), with ETags."""

from django.http import Http404, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from internship_portal.api.access import PortalApiPermission, ProgramScopedMixin, request_programs
from internship_portal.api.translations import request_asked_language
from internship_portal.links import personal_link
from internship_portal.translated import language_of_request
from itinerary.caching import itinerary_ical_cached, itinerary_json_cached
from itinerary.selectors import itinerary_version, participant_itinerary_rows
from participants.selectors import participant_of_visible_program

from .serializers import ItinerarySerializer, itinerary_json


class ICalendarRenderer(BaseRenderer):
    media_type = "text/calendar"
    format = "ics"
    charset = "utf-8"
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, bytes) else b""


def _itinerary_json_in(participant, language: str) -> bytes:
    with translation.override(language):
        return JSONRenderer().render(itinerary_json(itinerary=participant_itinerary_rows(participant=participant)))


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
        # The version is read with the participant: the visits are read only on a cache miss.
        version = itinerary_version(participant=participant)
        # The texts in the language asked for (`?lang=`, `Accept-Language`), else the participant's;
        # the calendar is always in the participant's, as their phone shows it.
        language = request_asked_language(request) or language_of_request(participant.language)
        etag = f'"{version}-ics"' if is_ics else f'"{version}-{language}"'
        headers = {"ETag": etag, "Cache-Control": "private, no-cache"}
        if _etag_matches(request.headers.get("If-None-Match", ""), etag):
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers=headers)
        if is_ics:
            body = itinerary_ical_cached(participant=participant, personal_url=personal_link(participant.access_token))
            headers["Content-Disposition"] = f'inline; filename="itinerary-{participant.pk}.ics"'
            return Response(body, headers=headers)
        body = itinerary_json_cached(
            version=etag,
            build=lambda: _itinerary_json_in(participant, language),
        )
        return HttpResponse(body, content_type=JSONRenderer.media_type, headers=headers)

    def finalize_response(self, request, response, *args, **kwargs):
        # Errors are JSON, whichever representation was asked for.
        renderer = getattr(request, "accepted_renderer", None)
        if response.status_code >= 400 and renderer is not None and renderer.format == "ics":
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)
