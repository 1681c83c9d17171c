from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutcomesConfig(AppConfig):
    name = "outcomes"
    verbose_name = _("Attendance, certificates and reports")

    def ready(self) -> None:
        from .services import register_hooks

        # The certificate e-mail's renderer (the outbox), the attendance summary on the participant
        # resource and the personal data export (participants), without those apps importing this one.
        register_hooks()
