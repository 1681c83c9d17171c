"""Sending from the API: each participant's itinerary, and the pending change notices.

Both answer 202 with how many e-mails were queued; the outbox sends them.
"""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from internship_portal.api.access import PortalApiPermission, ProgramScopedMixin
from internship_portal.api.fields import StrictSerializer
from notices.services import change_notices_release, schedule_send
from visits.api.filters import MAX_ID


class SendItinerariesInput(StrictSerializer):
    participants = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        allow_empty=False,
        max_length=10000,
    )


QueuedOutput = inline_serializer(
    "Queued", {"queued": serializers.IntegerField(), "sendout": serializers.IntegerField()}
)


class SendItinerariesView(ProgramScopedMixin, APIView):
    permission_classes = [PortalApiPermission]

    @extend_schema(
        summary="E-mail each participant (or those listed) their itinerary with the .ics attached",
        request=SendItinerariesInput,
        responses={202: QueuedOutput},
    )
    def post(self, request, program_slug: str):
        serializer = SendItinerariesInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        sendout = schedule_send(
            program=self.program, participant_ids=serializer.validated_data.get("participants"), actor=request.user
        )
        return Response({"queued": sendout.queued_count, "sendout": sendout.pk}, status=status.HTTP_202_ACCEPTED)


class NotifyChangesView(ProgramScopedMixin, APIView):
    permission_classes = [PortalApiPermission]

    @extend_schema(
        summary="Send the pending change notices now (one per participant whose itinerary changed)",
        request=None,
        responses={202: inline_serializer("NoticesQueued", {"queued": serializers.IntegerField()})},
    )
    def post(self, request, program_slug: str):
        count = change_notices_release(program=self.program, actor=request.user)
        return Response({"queued": count}, status=status.HTTP_202_ACCEPTED)
