"""Attendance and the outcome report in the API; writes go through outcomes.services.

- GET/PUT /programs/{slug}/visits/{id}/attendance/: the visit's attendance; PUT merges a list
  of marks (attendance_merge) and answers the whole list.
- GET /programs/{slug}/outcome-report.pdf | .xlsx, /programs/{slug}/hosts/{id}/debrief.pdf:
  the report for the sending academy and a host's debrief.
"""

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from internship_portal.api.access import PortalApiPermission, ProgramScopedMixin, api_client_of

from ..selectors import visit_of_program
from ..services import Mark, attendance_merge
from .serializers import (
    AttendanceInputSerializer,
    AttendanceMarkSerializer,
    AttendanceOutputSerializer,
    attendance_list_data,
)


def marker_name(request) -> str:
    """Who marks, as the attendance list shows it: the partner app's name or the organiser's."""
    client = api_client_of(request)
    if client is not None:
        return client.name
    user = request.user
    return user.get_full_name() or user.get_username()


class VisitAttendanceView(ProgramScopedMixin, APIView):
    permission_classes = [PortalApiPermission]

    def _visit(self):
        visit = visit_of_program(program=self.program, pk=self.kwargs["pk"])
        if visit is None:
            raise Http404
        return visit

    @extend_schema(
        summary="The attendance of a visit: who was marked present or absent, by whom, when",
        responses={200: AttendanceOutputSerializer(many=True)},
    )
    def get(self, request, *args, **kwargs):
        return Response(attendance_list_data(visit=self._visit()))

    @extend_schema(
        summary="Merge marks into a visit's attendance; answers the whole list",
        description=(
            "A JSON list of `{participant, present}` (and optionally `marked_at`). Each participant is kept "
            "once per visit: the same mark again changes nothing, a later mark wins, a mark older than the one "
            "stored is ignored. Participants must be members of the visit's groups; each at most once per request. "
            "A change sends `attendance.updated` to the webhooks subscribed. Nothing is written if anything is "
            "refused (400 naming it); a cancelled visit refuses every mark."
        ),
        request=AttendanceMarkSerializer(many=True),
        responses={200: AttendanceOutputSerializer(many=True)},
    )
    def put(self, request, *args, **kwargs):
        visit = self._visit()
        if not isinstance(request.data, list):
            raise serializers.ValidationError(
                {"non_field_errors": [_("Send a JSON list of {participant, present} objects.")]}
            )
        serializer = AttendanceInputSerializer(data={"marks": request.data})
        serializer.is_valid(raise_exception=True)
        marks = [
            Mark(participant_id=mark["participant"], present=mark["present"], marked_at=mark.get("marked_at"))
            for mark in serializer.validated_data["marks"]
        ]
        attendance_merge(visit=visit, marks=marks, marked_by=marker_name(request))
        return Response(attendance_list_data(visit=visit))


def _file(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-cache"
    return response


PDF = OpenApiResponse(OpenApiTypes.BINARY, description="A PDF document.")
XLSX = OpenApiResponse(OpenApiTypes.BINARY, description="An Excel workbook (XLSX).")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class OutcomeReportPdfView(ProgramScopedMixin, APIView):
    permission_classes = [PortalApiPermission]

    @extend_schema(
        summary="The outcome report for the sending academy (PDF)",
        description="The program, its groups and themes, visits held and cancelled, attendance per visit and "
        "per participant, survey results with charts.",
        responses={(200, "application/pdf"): PDF},
    )
    def get(self, request, *args, **kwargs):
        from ..reports import report_filename, report_pdf

        program = self.program
        return _file(report_pdf(program=program), "application/pdf", report_filename(program, "pdf"))


class OutcomeReportXlsxView(ProgramScopedMixin, APIView):
    permission_classes = [PortalApiPermission]

    @extend_schema(
        summary="The outcome report for the sending academy (XLSX: one sheet per table)",
        responses={(200, XLSX_TYPE): XLSX},
    )
    def get(self, request, *args, **kwargs):
        from ..reports import report_filename, report_xlsx

        program = self.program
        return _file(report_xlsx(program=program), XLSX_TYPE, report_filename(program, "xlsx"))


class HostDebriefPdfView(ProgramScopedMixin, APIView):
    permission_classes = [PortalApiPermission]

    @extend_schema(
        summary="A host's debrief (PDF): the visits it received in this program, attendance and feedback",
        responses={(200, "application/pdf"): PDF},
    )
    def get(self, request, *args, **kwargs):
        from ..reports import debrief_filename, host_debrief_pdf, host_of_program

        program = self.program
        host = host_of_program(program=program, pk=kwargs["host_id"])
        if host is None:
            raise Http404
        return _file(host_debrief_pdf(program=program, host=host), "application/pdf", debrief_filename(host))
