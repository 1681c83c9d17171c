from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "notices"
    verbose_name = "Schedule messages"

    def ready(self) -> None:
        # The outbox renders each message at send time with the renderer of its kind.
        from .services import register_renderers

        register_renderers()
