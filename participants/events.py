"""Webhook events for participants: participant.created, participant.updated.

Called by the participant services after each write, inside their transaction.
The payload is the participant exactly as GET .../participants/{id}/ returns it.
"""

import json

from rest_framework.renderers import JSONRenderer

from participants.models import Participant
from partners.selectors import webhooks_subscribed
from partners.services import webhook_event_emit

from .api.serializers import ParticipantOutputSerializer


def participant_event_emit(*, participant: Participant, created: bool) -> None:
    """Queue the webhooks of `participant.created` / `participant.updated` for their subscribers."""
    name = "participant.created" if created else "participant.updated"
    if not webhooks_subscribed(program_id=participant.program_id, event=name):
        return
    payload = json.loads(JSONRenderer().render(ParticipantOutputSerializer(participant).data))
    webhook_event_emit(program_id=participant.program_id, event=name, payload=payload)
