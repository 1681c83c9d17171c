"""Sending a visit to its host for confirmation from the API: 202 with how many e-mails were queued."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from hosting.services import host_confirmation_request
from internship_portal.api.access import PortalApiPermission, ProgramScopedMixin
from visits.models import SiteVisit


class RequestConfirmationView(ProgramScopedMixin, APIView):
    permission_classes = [PortalApiPermission]

    @extend_schema(
        summary="Ask the visit's host to confirm it: host_status becomes requested; each contact gets the link",
        description=(
            "Each contact of the host with an e-mail gets one message with their link `/h/<token>/` "
            "(once: asking again before an answer sends nothing new). 400 when the visit is cancelled, "
            "has no host, or the host has no contact with an e-mail."
        ),
        request=None,
        responses={
            202: inline_serializer(
                "ConfirmationRequested",
                {"queued": serializers.IntegerField(), "host_status": serializers.CharField()},
            )
        },
    )
    def post(self, request, program_slug: str, pk: int):
        visit = get_object_or_404(SiteVisit, program=self.program, pk=pk)
        queued = host_confirmation_request(program=self.program, visits=[visit], actor=request.user)
        visit.refresh_from_db(fields=["host_status"])
        return Response({"queued": queued, "host_status": visit.host_status}, status=status.HTTP_202_ACCEPTED)
