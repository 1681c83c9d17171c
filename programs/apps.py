from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = "Programs"

    def ready(self) -> None:
        from . import versions  # noqa: F401 - connects the receivers
