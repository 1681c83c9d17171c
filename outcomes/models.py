"""Attendance at visits, certificates of completion and the ZIP archives of a program's certificates.

Attendance is not a `VersionedModel`: no itinerary, calendar or board shows it, and a
coordinator's marks at a visit must not make every participant's cached itinerary stale.
The pages that show attendance read it fresh.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from participants.models import Participant
from programs.models import Program
from visits.models import SiteVisit

from .enums import ArchiveStatus

# Letters and digits that cannot be misread for each other when typed from paper (no 0/O, 1/I/L).
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12


def new_verification_code() -> str:
    """`XXXX-XXXX-XXXX`: 12 random characters of CODE_ALPHABET (about 59 bits)."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


class Attendance(models.Model):
    """Whether a participant was at a visit: one row per participant and visit, the latest mark."""

    visit = models.ForeignKey(SiteVisit, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("visit"))
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("participant")
    )
    present = models.BooleanField(_("present"))
    marked_by = models.CharField(_("marked by"), max_length=300, blank=True)
    # When the mark was made (on the phone, for a mark sent later): a later mark wins.
    marked_at = models.DateTimeField(_("marked at"))
    # The id the marking device gave the mark: the same mark sent twice is recognised.
    client_id = models.CharField(_("mark id"), max_length=64, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["visit", "participant"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["participant", "visit"], name="attendance_one_per_participant_visit")
        ]

    def __str__(self) -> str:
        return f"{self.participant} @ {self.visit}: {'present' if self.present else 'absent'}"


class Certificate(models.Model):
    """A certificate of completion issued to a participant; anyone can check it by its code."""

    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="certificate", verbose_name=_("participant")
    )
    code = models.CharField(_("verification code"), max_length=20, unique=True, default=new_verification_code)
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    class Meta:
        ordering = ["participant"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return f"{self.code} ({self.participant})"


class CertificateArchive(models.Model):
    """A ZIP of every certificate of a program, built by a worker for the organiser to download."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="certificate_archives", verbose_name=_("program")
    )
    status = models.CharField(_("status"), max_length=16, choices=ArchiveStatus.choices, default=ArchiveStatus.PENDING)
    file = models.FileField(_("file"), upload_to="certificates/", blank=True)
    count = models.PositiveIntegerField(_("certificates"), default=0)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("certificate archive")
        verbose_name_plural = _("certificate archives")

    def __str__(self) -> str:
        return f"{self.program} #{self.pk} ({self.status})"
