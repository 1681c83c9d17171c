"""The e-mail backend the portal's settings name: it hands the outbox's messages to the real
backend (`OUTBOX_EMAIL_BACKEND`: SMTP, console, ...) and refuses every other one.

Every e-mail goes through the outbox (`notifications.services.notification_enqueue`), which
records, retries, de-duplicates and counts it in its send-out. A message sent any other way,
Django's own password-reset form's for instance, fails loudly here instead of leaving unrecorded."""

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend

# The header the outbox puts on each of its messages (notifications.services._build_email).
OUTBOX_HEADER = "X-Portal-Notification"


class StrayEmail(RuntimeError):
    """An e-mail sent around the outbox."""


class OutboxOnlyBackend(BaseEmailBackend):
    def __init__(self, fail_silently: bool = False, **kwargs):
        super().__init__(fail_silently=fail_silently)
        self.inner = get_connection(settings.OUTBOX_EMAIL_BACKEND, fail_silently=fail_silently, **kwargs)

    def open(self):
        return self.inner.open()

    def close(self):
        return self.inner.close()

    def send_messages(self, email_messages):
        stray = [message for message in email_messages if OUTBOX_HEADER not in message.extra_headers]
        if stray:
            # Never silenced: fail_silently is for delivery errors, not for a message that skips the record.
            raise StrayEmail(
                f"an e-mail was sent around the outbox (subject {stray[0].subject!r}); queue it with "
                "notifications.services.notification_enqueue"
            )
        return self.inner.send_messages(email_messages)
