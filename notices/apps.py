from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "notices"
    verbose_name = _("Schedule messages")

    def ready(self) -> None:
        # The outbox renders each message at send time with the renderer of its kind.
        from .services import register_privacy, register_renderers

        register_renderers()
        # The personal data export and erasure cover the messages' records (participants.privacy).
        register_privacy()
