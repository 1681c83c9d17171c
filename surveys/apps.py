from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = "Feedback surveys"

    def ready(self) -> None:
        from notifications.registry import register_renderer
        from participants.privacy import register_anonymiser

        from .services import INVITATION_KIND, participant_invitations_erase, render_invitation

        register_renderer(INVITATION_KIND, render_invitation)
        register_anonymiser("surveys.invitations", participant_invitations_erase)
