from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = "Feedback surveys"

    def ready(self) -> None:
        from notifications.registry import register_renderer

        from .services import INVITATION_KIND, render_invitation

        register_renderer(INVITATION_KIND, render_invitation)
