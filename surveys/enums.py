"""Choices for surveys."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class QuestionKind(models.TextChoices):
    RATING = "rating", _("Rating 1–5")
    CHOICE = "choice", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TEXT = "text", _("Free text")


RATING_MIN, RATING_MAX = 1, 5
TEXT_MAX_LENGTH = 4000
MAX_CHOICES = 50
CHOICE_MAX_LENGTH = 200
# The kinds whose answers are picked from the question's choices.
CHOICE_KINDS = frozenset({QuestionKind.CHOICE, QuestionKind.MULTIPLE})
MAX_NUDGES = 2
