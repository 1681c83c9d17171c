"""Choices of the schedule proposer."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Priority(models.TextChoices):
    MUST = "must", _("Must")
    SHOULD = "should", _("Should")


class ProposalStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
