"""Choices for participants."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    EN = "en", _("English")
    RU = "ru", _("Russian")
    KK = "kk", _("Kazakh")


class ImportMode(models.TextChoices):
    """What an import does with the rows of a file."""

    PREVIEW = "preview", _("Preview: check every row, write nothing")
    ALL = "all", _("All rows, or nothing if any row is invalid")
    VALID = "valid", _("Only the valid rows")
