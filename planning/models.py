"""What the schedule proposer works from and what it answers.

- `PlanningSettings`: a program's day rules (the group's day, lunch, visits a day) and how
  travel times are derived (the academy where each day starts and ends, speed, overhead).
- `HostWindow`: when a host can receive groups of a program, and how many at once.
- `VisitRequest`: a visit a program wants (groups, host, duration, must/should, dates);
  `visit` is the site visit it was applied as, which a re-plan moves instead of duplicating.
- `TravelTime`: an organiser's travel time for one pair of places, beside the derived one.
- `Proposal`: one run of the solver and its answer (visits, unplaced requests with reasons,
  stats), applied through the scheduling service (planning.services.proposal_apply).
"""

from datetime import time

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from participants.models import ProjectGroup
from programs.models import Program
from programs.versions import VersionedModel
from visits.models import HostOrganisation, SiteVisit

from .enums import Priority, ProposalStatus

# Documented in docs/planning.md: Astana's traffic, door to door, with parking and the walk in.
DEFAULT_SPEED_KMH = 25
DEFAULT_OVERHEAD_MINUTES = 15
MINUTES_A_DAY = 24 * 60


class PlanningSettings(VersionedModel):
    program = models.OneToOneField(
        Program, on_delete=models.CASCADE, related_name="planning_settings", verbose_name=_("program")
    )
    academy = models.ForeignKey(
        HostOrganisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("academy (where each day starts and ends)"),
        help_text=_("Empty: the host named like the program's host institution."),
    )
    day_starts = models.TimeField(_("the group's day starts"), default=time(9, 0))
    day_ends = models.TimeField(_("the group's day ends"), default=time(18, 0))
    lunch_minutes = models.PositiveSmallIntegerField(
        _("lunch break (minutes)"), default=60, validators=[MaxValueValidator(240)]
    )
    lunch_earliest = models.TimeField(_("lunch not before"), default=time(12, 0))
    lunch_latest = models.TimeField(_("lunch over by"), default=time(15, 0))
    max_visits_per_day = models.PositiveSmallIntegerField(
        _("at most visits a day"), default=3, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    speed_kmh = models.PositiveSmallIntegerField(
        _("travel speed (km/h)"), default=DEFAULT_SPEED_KMH, validators=[MinValueValidator(1), MaxValueValidator(200)]
    )
    overhead_minutes = models.PositiveSmallIntegerField(
        _("fixed travel overhead (minutes)"), default=DEFAULT_OVERHEAD_MINUTES, validators=[MaxValueValidator(240)]
    )

    class Meta:
        verbose_name = _("planning settings")
        verbose_name_plural = _("planning settings")

    def __str__(self) -> str:
        return f"{self.program}: planning settings"


class HostWindow(VersionedModel):
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="host_windows", verbose_name=_("program")
    )
    host = models.ForeignKey(
        HostOrganisation, on_delete=models.CASCADE, related_name="windows", verbose_name=_("host organisation")
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveSmallIntegerField(
        _("groups at once"), default=1, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )

    class Meta:
        ordering = ["starts_at", "host_id", "id"]
        verbose_name = _("host window")
        verbose_name_plural = _("host windows")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="window_ends_after_start"
            ),
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="window_capacity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.host} {self.starts_at:%Y-%m-%d %H:%M}–{self.ends_at:%H:%M}"


class VisitRequest(VersionedModel):
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="visit_requests", verbose_name=_("program")
    )
    groups = models.ManyToManyField(ProjectGroup, related_name="visit_requests", verbose_name=_("groups"))
    host = models.ForeignKey(
        HostOrganisation, on_delete=models.CASCADE, related_name="visit_requests", verbose_name=_("host organisation")
    )
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), validators=[MinValueValidator(1), MaxValueValidator(MINUTES_A_DAY)]
    )
    priority = models.CharField(_("priority"), max_length=8, choices=Priority.choices, default=Priority.MUST)
    title = models.CharField(_("title"), max_length=300, blank=True)
    not_before = models.DateField(_("not before"), null=True, blank=True)
    not_after = models.DateField(_("not after"), null=True, blank=True)
    # The visit this request was applied as: a re-plan moves it rather than adding another.
    visit = models.ForeignKey(
        SiteVisit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("visit"),
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("visit request")
        verbose_name_plural = _("visit requests")
        constraints = [
            models.CheckConstraint(condition=models.Q(duration_minutes__gte=1), name="request_duration_positive"),
            models.CheckConstraint(
                condition=models.Q(not_before__isnull=True)
                | models.Q(not_after__isnull=True)
                | models.Q(not_after__gte=models.F("not_before")),
                name="request_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title or str(self.host)


class TravelTime(VersionedModel):
    """The organiser's travel time between two hosts (the academy is a host too)."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="travel_times", verbose_name=_("program")
    )
    origin = models.ForeignKey(HostOrganisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("from"))
    destination = models.ForeignKey(HostOrganisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("to"))
    minutes = models.PositiveSmallIntegerField(_("minutes"), validators=[MaxValueValidator(MINUTES_A_DAY)])

    class Meta:
        ordering = ["id"]
        verbose_name = _("travel time")
        verbose_name_plural = _("travel times")
        constraints = [
            models.UniqueConstraint(fields=["program", "origin", "destination"], name="travel_time_unique_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.origin} → {self.destination}: {self.minutes} min"


class Proposal(models.Model):
    """A solver run. Not a `VersionedModel`: writing it changes nothing a program shows, and it
    must not make itself stale (it remembers the schedule it was computed on, `fingerprint`)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("program"))
    status = models.CharField(_("status"), max_length=8, choices=ProposalStatus.choices, default=ProposalStatus.QUEUED)
    time_limit_seconds = models.PositiveSmallIntegerField(_("search for at most (seconds)"), default=10)
    keep_existing = models.BooleanField(_("keep what is already scheduled"), default=False)
    # What the proposal was computed on: a digest of the inputs and one per visit of the board.
    fingerprint = models.CharField(_("fingerprint"), max_length=64, blank=True)
    board = models.JSONField(_("board it was computed on"), default=dict, blank=True)
    visits = models.JSONField(_("proposed visits"), default=list, blank=True)
    unplaced = models.JSONField(_("unplaced requests"), default=list, blank=True)
    stats = models.JSONField(_("statistics"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")

    def __str__(self) -> str:
        return f"{self.program}: proposal {self.pk} ({self.status})"
