"""Choices for API clients and webhooks, kept apart from models to avoid import cycles."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    READ = "read", _("Read")
    WRITE = "write", _("Write")


class WebhookEvent(models.TextChoices):
    VISIT_CREATED = "visit.created", "visit.created"
    VISIT_UPDATED = "visit.updated", "visit.updated"
    VISIT_CANCELLED = "visit.cancelled", "visit.cancelled"
    VISIT_HOST_CONFIRMED = "visit.host_confirmed", "visit.host_confirmed"
    VISIT_HOST_DECLINED = "visit.host_declined", "visit.host_declined"
    VISIT_HOST_PROPOSED = "visit.host_proposed", "visit.host_proposed"
    PARTICIPANT_CREATED = "participant.created", "participant.created"
    PARTICIPANT_UPDATED = "participant.updated", "participant.updated"
    ATTENDANCE_UPDATED = "attendance.updated", "attendance.updated"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")
