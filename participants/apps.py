from django.apps import AppConfig


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = "Participants"

    def ready(self) -> None:
        # Webhooks for partner apps (participant.created / participant.updated).
        from .api import events as api_events
        from .signals import participant_saved

        participant_saved.connect(
            api_events.on_participant_saved, dispatch_uid="participants.api.events.on_participant_saved"
        )
