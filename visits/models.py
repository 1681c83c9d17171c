"""Host organisations and the site visits of a program.

A visit's groups are `VisitGroup` rows; each row carries a copy of its visit's
time range and cancelled flag so that PostgreSQL can refuse a double booking
with an exclusion constraint (a constraint cannot reach across a join). The
scheduling service keeps the copies in step.
"""

from django.conf import settings
from django.contrib.postgres.fields import DateTimeRangeField, RangeBoundary, RangeOperators
from django.db import models
from django.utils.translation import gettext_lazy as _

from audit.history import ActorFields, audited
from participants.enums import Language, VisitorField
from participants.models import ProjectGroup
from participants.tokens import new_access_token
from programs.models import Program
from programs.versions import VersionedModel

from .constraints import PostgresExclusionConstraint
from .enums import HostKind, HostStatus, VisitKind, VisitStatus


def address_with_city(address: str, city: str) -> str:
    """`address, city`, unless one of the address's comma-separated parts already is the city
    ("55/5 Mangilik El Ave, Astana" with the city "Astana" stays as it is)."""
    address, city = address.strip(), city.strip()
    if not city:
        return address
    if not address:
        return city
    if city.casefold() in (part.strip().casefold() for part in address.split(",")):
        return address
    return f"{address}, {city}"


class TsTzRange(models.Func):
    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


class VisitHistoryFields(ActorFields):
    """A visit's history also keeps which groups attended at each version."""

    history_groups = models.CharField(_("groups"), max_length=2000, blank=True)

    class Meta:
        abstract = True


def default_visitor_fields() -> list[str]:
    return [VisitorField.POSITION, VisitorField.ORGANISATION]


class HostOrganisation(VersionedModel):
    name = models.CharField(_("name"), max_length=300, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=HostKind.choices, default=HostKind.OTHER)
    address = models.CharField(_("address"), max_length=500, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    website = models.URLField(_("website"), blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    visitor_requirements = models.TextField(_("visitor and ID requirements"), blank=True)
    visitor_list_days_ahead = models.PositiveSmallIntegerField(
        _("days ahead the security desk needs the visitor list"), default=3
    )
    # What the security desk needs of each visitor, from `VisitorField` (checked by the services).
    required_visitor_fields = models.JSONField(
        _("visitor fields the security desk requires"), default=default_visitor_fields, blank=True
    )

    # A host is shown in every program whose visits go there.
    program_lookup = "visits__program_id"

    history = audited()

    class Meta:
        verbose_name = _("host organisation")
        verbose_name_plural = _("host organisations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True) | models.Q(latitude__gte=-90, latitude__lte=90),
                name="host_latitude_range",
            ),
            models.CheckConstraint(
                condition=models.Q(longitude__isnull=True) | models.Q(longitude__gte=-180, longitude__lte=180),
                name="host_longitude_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def full_address(self) -> str:
        """The address with the city, the city named once."""
        return address_with_city(self.address, self.city)


class HostContact(models.Model):
    host = models.ForeignKey(HostOrganisation, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.RU)
    # Opens the contact's page `/h/<token>/` without a password; rotated by `contact_rotate_token`.
    access_token = models.CharField(
        _("access token"), max_length=64, unique=True, default=new_access_token, editable=False
    )

    class Meta:
        ordering = ["host", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.host})"


class SiteVisit(VersionedModel):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="visits", verbose_name=_("program"))
    host = models.ForeignKey(
        HostOrganisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("host organisation"),
    )
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=16, choices=VisitKind.choices, default=VisitKind.SITE_VISIT)
    agenda = models.TextField(_("agenda"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    location = models.CharField(_("location"), max_length=500, blank=True)
    meeting_point = models.CharField(_("meeting point"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=VisitStatus.choices, default=VisitStatus.PLANNED)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    groups = models.ManyToManyField(
        ProjectGroup, through="VisitGroup", related_name="visits", blank=True, verbose_name=_("groups")
    )
    # Bumped on every change that matters to calendars (RFC 5545 SEQUENCE).
    sequence = models.PositiveIntegerField(_("calendar sequence"), default=0, editable=False)
    # The host's answer (written only by `visits.services.visit_host_answer_set` and the services
    # of `hosting`): never asked, asked, confirmed, declined or another time proposed.
    host_status = models.CharField(
        _("host's answer"), max_length=16, choices=HostStatus.choices, default=HostStatus.NONE, blank=True
    )
    host_note = models.TextField(_("host's note"), blank=True)
    host_proposed_starts_at = models.DateTimeField(_("host's proposed start"), null=True, blank=True)
    host_proposed_ends_at = models.DateTimeField(_("host's proposed end"), null=True, blank=True)
    host_requested_at = models.DateTimeField(_("host asked at"), null=True, blank=True)
    host_answered_at = models.DateTimeField(_("host answered at"), null=True, blank=True)
    host_reminded_at = models.DateTimeField(_("host reminded at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = audited(bases=(VisitHistoryFields,), excluded_fields=["updated_at", "host_reminded_at"])

    class Meta:
        verbose_name = _("site visit")
        verbose_name_plural = _("site visits")
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["program", "starts_at"], name="visit_program_start_idx"),
            models.Index(fields=["host_status", "host_requested_at"], name="visit_host_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="visit_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_cancelled(self) -> bool:
        return self.status == VisitStatus.CANCELLED

    @property
    def effective_location(self) -> str:
        """Where to go: the visit's own location, else the host's address."""
        if self.location:
            return self.location
        return self.host.address if self.host_id else ""

    @property
    def shown_location(self) -> str:
        """Where to go, as a participant reads it: the visit's own location, else the host's
        address with its city (named once)."""
        if self.location or not self.host_id:
            return self.location
        return self.host.full_address


class VisitGroup(VersionedModel):
    visit = models.ForeignKey(SiteVisit, on_delete=models.CASCADE, related_name="bookings")
    group = models.ForeignKey(ProjectGroup, on_delete=models.CASCADE, related_name="bookings")
    # Copies of the visit's fields, kept in step by visits.services.
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    is_cancelled = models.BooleanField(default=False)

    program_lookup = "visit__program_id"

    class Meta:
        indexes = [models.Index(fields=["group", "starts_at"], name="booking_group_start_idx")]
        constraints = [
            models.UniqueConstraint(fields=["visit", "group"], name="booking_unique_group_per_visit"),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="booking_ends_after_start"
            ),
            PostgresExclusionConstraint(
                name="booking_no_group_double_booking",
                expressions=[
                    (TsTzRange("starts_at", "ends_at", RangeBoundary()), RangeOperators.OVERLAPS),
                    ("group", RangeOperators.EQUAL),
                ],
                condition=models.Q(is_cancelled=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group} @ {self.visit}"


class BoardAction(models.Model):
    """The last change an organiser made from a program's board, so that it can be undone.

    One row per organiser and program, replaced by each move, resize, shift or
    duplicate (visits.services.board_*). `before` holds each visit as it was
    (id, starts_at, ends_at, groups); `after_sequences` each visit's calendar
    sequence right after the change, which tells whether anyone changed it since.
    Not shown to anyone but its organiser, so not versioned."""

    class Kind(models.TextChoices):
        MOVE = "move", _("move")
        SHIFT = "shift", _("shift")
        DUPLICATE = "duplicate", _("duplicate")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    title = models.CharField(max_length=300)  # of the visit moved or copied
    minutes = models.IntegerField(null=True, blank=True)  # of a shift
    before = models.JSONField(default=list)
    after_sequences = models.JSONField(default=dict)
    created_visit = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["program", "user"], name="board_action_one_per_organiser")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """What the action was, in the active language ("the move of “…”")."""
        from django.utils.translation import gettext, ngettext

        if self.kind == self.Kind.SHIFT:
            count = len(self.before)
            return ngettext(
                "the shift of %(count)d visit by %(minutes)+d minutes",
                "the shift of %(count)d visits by %(minutes)+d minutes",
                count,
            ) % {"count": count, "minutes": self.minutes or 0}
        if self.kind == self.Kind.DUPLICATE:
            return gettext("the copy of “%(title)s”") % {"title": self.title}
        return gettext("the move of “%(title)s”") % {"title": self.title}
