from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from notifications.registry import register_renderer

        from . import services

        # The password-reset e-mail goes out through the outbox like every other message.
        register_renderer(services.RESET_EMAIL_KIND, services.render_password_reset)
