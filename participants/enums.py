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


class VisitorField(models.TextChoices):
    """What a host's security desk may require of each visitor (`HostOrganisation.required_visitor_fields`).

    The first four are ID details, kept encrypted (`VisitorDetails`); position and organisation
    are the participant's own fields."""

    PASSPORT_NAME = "passport_name", _("Full name as in the passport")
    CITIZENSHIP = "citizenship", _("Citizenship")
    DOCUMENT_NUMBER = "document_number", _("Passport or ID document number")
    DATE_OF_BIRTH = "date_of_birth", _("Date of birth")
    POSITION = "position", _("Position")
    ORGANISATION = "organisation", _("Organisation")


# The visitor fields stored encrypted on `VisitorDetails`; the others live on the participant.
ID_DETAIL_FIELDS = ("passport_name", "citizenship", "document_number", "date_of_birth")
