"""Programs: the delegation's stay, its dates, time zone and topics."""

import zoneinfo
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from audit.history import audited

from .enums import ProgramStatus
from .validators import validate_timezone
from .versions import VersionedModel


class Topic(VersionedModel):
    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)

    program_lookup = "programs__id"

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Program(VersionedModel):
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    host_institution = models.CharField(_("host institution"), max_length=300)
    city = models.CharField(_("city"), max_length=120)
    timezone = models.CharField(_("time zone"), max_length=64, validators=[validate_timezone])
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    status = models.CharField(_("status"), max_length=16, choices=ProgramStatus.choices, default=ProgramStatus.DRAFT)
    topics = models.ManyToManyField(Topic, related_name="programs", blank=True, verbose_name=_("topics"))
    organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="organised_programs", blank=True, verbose_name=_("organisers")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    certificate_min_attendance = models.PositiveSmallIntegerField(
        _("attendance needed for a certificate (%)"),
        default=80,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("The share of a participant's visits (not counting cancelled ones) they must attend."),
    )
    # What every cached representation of the program is keyed on (programs.versions).
    version = models.PositiveBigIntegerField(_("version"), default=1, editable=False)
    version_changed_at = models.DateTimeField(_("version changed at"), null=True, blank=True, editable=False)

    program_lookup = "pk"

    history = audited(excluded_fields=["updated_at", "version", "version_changed_at"])

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        ordering = ["-start_date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")), name="program_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        self.refresh_from_db(fields=["version", "version_changed_at"])

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    def starts_at(self) -> datetime:
        """The first moment of the program, in its own time zone."""
        return datetime.combine(self.start_date, time.min, tzinfo=self.tzinfo)

    def ends_before(self) -> datetime:
        """The first moment after the program's last local day."""
        return datetime.combine(self.end_date + timedelta(days=1), time.min, tzinfo=self.tzinfo)

    def local_date(self, moment: datetime) -> date:
        return moment.astimezone(self.tzinfo).date()
