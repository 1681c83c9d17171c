"""Webhook events for participants: participant.created, participant.updated.

Connected to `participants.signals.participant_saved` in ParticipantsConfig.ready().
The payload is the participant exactly as GET .../participants/{id}/ returns it.
"""

import json

from rest_framework.renderers import JSONRenderer

from participants.models import Participant
from partners.selectors import webhooks_subscribed
from partners.services import webhook_event_emit

from .serializers import ParticipantOutputSerializer


def on_participant_saved(sender, *, participant: Participant, created: bool, **kwargs) -> None:
    name = "participant.created" if created else "participant.updated"
    if not webhooks_subscribed(program_id=participant.program_id, event=name):
        return
    payload = json.loads(JSONRenderer().render(ParticipantOutputSerializer(participant).data))
    webhook_event_emit(program_id=participant.program_id, event=name, payload=payload)
