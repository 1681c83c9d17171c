"""Choices for surveys."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class QuestionKind(models.TextChoices):
    RATING = "rating", _("Rating 1–5")
    CHOICE = "choice", _("Single choice")
    TEXT = "text", _("Free text")


RATING_MIN, RATING_MAX = 1, 5
TEXT_MAX_LENGTH = 4000
MAX_NUDGES = 2
