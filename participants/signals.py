"""Signals sent by the participant services after a write (see visits.signals)."""

from django.dispatch import Signal

# Sent with: participant (Participant, as written), created (bool),
# changed (set of field names that changed; all fields for a new one).
participant_saved = Signal()
