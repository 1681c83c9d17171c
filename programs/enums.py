"""Choices for programs, kept apart from models to avoid import cycles."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProgramStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    RUNNING = "running", _("Running")
    COMPLETED = "completed", _("Completed")
    ARCHIVED = "archived", _("Archived")
