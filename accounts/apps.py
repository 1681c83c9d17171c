from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from notifications.registry import register_renderer

        from . import services

        # The password-reset e-mail goes out through the outbox like every other message.
        register_renderer(services.RESET_EMAIL_KIND, services.render_password_reset)
