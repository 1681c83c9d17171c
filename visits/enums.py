"""Choices for hosts and visits."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class HostKind(models.TextChoices):
    GOVERNMENT = "government", _("Government agency")
    UNIVERSITY = "university", _("University")
    SCHOOL = "school", _("School")
    FUND = "fund", _("Development fund")
    SEZ = "sez", _("Special economic zone")
    TECH_HUB = "tech_hub", _("Tech hub")
    HOLDING = "holding", _("Holding")
    FINANCIAL_CENTRE = "financial_centre", _("Financial centre")
    CHAMBER = "chamber", _("Chamber of commerce")
    SME = "sme", _("Small or medium enterprise")
    INTERNATIONAL = "international", _("International centre")
    OTHER = "other", _("Other")


class VisitKind(models.TextChoices):
    SITE_VISIT = "site_visit", _("Site visit")
    LECTURE = "lecture", _("Lecture")
    WORKSHOP = "workshop", _("Workshop")
    CEREMONY = "ceremony", _("Ceremony")
    TRANSFER = "transfer", _("Transfer")


class VisitStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    CONFIRMED = "confirmed", _("Confirmed")
    CANCELLED = "cancelled", _("Cancelled")


# How far visits_shift moves a day at most, either way.
MAX_SHIFT_MINUTES = 24 * 60
# The longest note a host gives with an answer from their link (its page's text box stops there too).
HOST_NOTE_MAX_LENGTH = 2000


class HostStatus(models.TextChoices):
    """The host's answer to a visit: never asked (""), asked, or what they said."""

    NONE = "", _("Not asked")
    REQUESTED = "requested", _("Awaiting the host's answer")
    CONFIRMED = "confirmed", _("Confirmed by the host")
    DECLINED = "declined", _("Declined by the host")
    PROPOSED = "proposed", _("The host proposed another time")
