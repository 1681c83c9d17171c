"""A real SMTP server on loopback for the tests (aiosmtpd), which can refuse or slow down."""

import asyncio
import email
import email.policy
import logging
import socket
import threading
from email.message import EmailMessage

from aiosmtpd.controller import Controller

# aiosmtpd logs every SMTP command at INFO; the tests read the messages instead.
logging.getLogger("mail.log").setLevel(logging.WARNING)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Handler:
    def __init__(self, sink: "SmtpSink"):
        self.sink = sink

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.sink.delay:
            # Slow before the message is accepted: a client killed here has delivered nothing.
            await asyncio.sleep(self.sink.delay)
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.sink.lock:
            if self.sink.refuse > 0:
                self.sink.refuse -= 1
                self.sink.refused += 1
                return "451 4.3.0 Mailbox busy, try again later"
            message = email.message_from_bytes(
                envelope.original_content or envelope.content, policy=email.policy.default
            )
            self.sink.messages.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted"


class SmtpSink:
    """Collects every message it accepts; `refuse` = how many DATA commands to refuse first."""

    def __init__(self, *, refuse: int = 0, delay: float = 0.0):
        self.refuse = refuse
        self.refused = 0
        self.delay = delay
        self.lock = threading.Lock()
        self.messages: list[tuple[list[str], EmailMessage]] = []
        self.port = free_port()
        self.controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> "SmtpSink":
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()

    def settings(self) -> dict:
        return {
            "EMAIL_BACKEND": "notifications.backends.OutboxOnlyBackend",
            "OUTBOX_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": self.port,
            "EMAIL_USE_TLS": False,
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
        }

    def env(self) -> dict[str, str]:
        """For a process of its own (a worker): its EMAIL_BACKEND is the real backend, behind the
        portal's guard (internship_portal.settings)."""
        values = {
            key: str(value) for key, value in self.settings().items() if key not in ("EMAIL_USE_TLS", "EMAIL_BACKEND")
        }
        values["EMAIL_BACKEND"] = values.pop("OUTBOX_EMAIL_BACKEND")
        return values | {"EMAIL_USE_TLS": "0"}

    def recipients(self) -> list[str]:
        with self.lock:
            return [address for rcpts, _m in self.messages for address in rcpts]

    def by_recipient(self, address: str) -> list[EmailMessage]:
        with self.lock:
            return [message for rcpts, message in self.messages if address in rcpts]
