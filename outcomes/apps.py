from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "outcomes"
    verbose_name = "Attendance, certificates and reports"

    def ready(self) -> None:
        from .services import register_hooks

        # The certificate e-mail's renderer (the outbox), the attendance summary on the participant
        # resource and the personal data export (participants), without those apps importing this one.
        register_hooks()
