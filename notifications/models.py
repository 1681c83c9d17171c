"""The outbox: one row per message to send, and the batches (send-outs) they belong to.

A row carries who gets the message, what kind it is and a JSON payload; the
message itself (subject, text, HTML, attachments) is rendered at send time by
the renderer the domain app registered for the kind (`notifications.registry`).
The row's status is the state machine that makes sending idempotent:
pending/retry → sending → sent | retry | failed, each step taken under a lock.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import NotificationStatus
from .registry import kind_name


class SendOut(models.Model):
    """A batch of notifications started by one action (an organiser's button, a beat run).

    Its progress (queued / sent / failed) is counted from its rows, never stored."""

    program = models.ForeignKey(
        # By name: the outbox imports no domain app; a send-out only says which program it served.
        "programs.Program",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sendouts",
        verbose_name=_("program"),
    )
    kind = models.CharField(_("kind"), max_length=64)
    # What or whom it is about, as data (a survey's title, the names of the people chosen);
    # the kind's name is added in the reader's language (`name`).
    label = models.CharField(_("label"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name_plural = _("send-outs")
        ordering = ["-created_at", "-id"]
        verbose_name = _("send-out")

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def name(self) -> str:
        """The send-out as people call it: "Schedules", "Schedules: Aigerim Sultanova", "Survey invitation: …"."""
        kind = kind_name(self.kind)
        return f"{kind}: {self.label}" if self.label else kind


class Notification(models.Model):
    sendout = models.ForeignKey(
        SendOut,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("send-out"),
    )
    kind = models.CharField(_("kind"), max_length=64)
    recipient_email = models.EmailField(_("recipient e-mail"))
    recipient_name = models.CharField(_("recipient name"), max_length=300, blank=True)
    language = models.CharField(_("language"), max_length=8, default="en")
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    # The same key twice is the same message: a second enqueue writes nothing.
    idempotency_key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    status = models.CharField(
        _("status"), max_length=16, choices=NotificationStatus.choices, default=NotificationStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("due at"), default=timezone.now)
    claimed_at = models.DateTimeField(_("taken for sending at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notification_due_idx"),
            models.Index(fields=["sendout", "status"], name="notification_sendout_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_email} ({self.status})"
