"""Choices for the outbox."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    RETRY = "retry", _("Waiting to retry")
    FAILED = "failed", _("Failed")


# Rows a worker may take: a pending row, or one whose retry is due.
SENDABLE = (NotificationStatus.PENDING, NotificationStatus.RETRY)
# Rows not finished yet, for a send-out's progress.
QUEUED = (NotificationStatus.PENDING, NotificationStatus.SENDING, NotificationStatus.RETRY)
