from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Feedback surveys")

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy

        from notifications.registry import register_renderer
        from participants.privacy import register_anonymiser, register_exporter, register_message_exporter

        from . import services

        register_renderer(services.INVITATION_KIND, services.render_invitation, name=gettext_lazy("Survey invitation"))
        # Reminders are invitation messages; their send-outs carry a kind of their own, for the name.
        register_renderer(services.NUDGE_SENDOUT_KIND, services.render_invitation, name=gettext_lazy("Survey reminder"))
        # The participant's personal data: exported on request, erased on anonymisation.
        register_exporter("surveys", services.participant_surveys_export)
        register_message_exporter("surveys.invitations", services.participant_invitation_messages_export)
        register_anonymiser("surveys.invitations", services.participant_invitations_erase)
