"""Choices for attendance and certificates, kept apart from models to avoid import cycles."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ArchiveStatus(models.TextChoices):
    PENDING = "pending", _("Being prepared")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


# The outbox kind of the e-mail that carries a participant's certificate.
CERTIFICATE_KIND = "outcomes.certificate"
# The webhook event of a visit's attendance (partners.enums.WebhookEvent).
ATTENDANCE_UPDATED = "attendance.updated"
