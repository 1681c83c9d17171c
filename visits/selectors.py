"""Shaped reads of visits: lists, soft warnings, itineraries, visitor lists.

Each read path runs a fixed number of queries whatever the program's size.
"""

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from participants.models import Participant
from programs.models import Program

from .enums import VisitStatus
from .models import HostOrganisation, SiteVisit, VisitGroup

TIGHT_CONNECTION = timedelta(minutes=30)
DAY_STARTS = time(8, 0)
DAY_ENDS = time(20, 0)


def visits_of_program(*, program: Program) -> QuerySet[SiteVisit]:
    """Visits of a program with host, contacts and group ids loaded."""
    return (
        SiteVisit.objects.filter(program=program)
        .select_related("host", "program")
        .prefetch_related(Prefetch("bookings", queryset=VisitGroup.objects.order_by("group_id")))
        .order_by("starts_at", "id")
    )


def hosts_with_contacts() -> QuerySet[HostOrganisation]:
    return HostOrganisation.objects.prefetch_related("contacts").order_by("name")


# --- soft warnings --------------------------------------------------------------


@dataclass(frozen=True)
class Warning:
    code: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


def _outside_day_warning(visit: SiteVisit, tz) -> Warning | None:
    start = visit.starts_at.astimezone(tz)
    end = visit.ends_at.astimezone(tz)
    if start.time() < DAY_STARTS or end.date() != start.date() or end.time() > DAY_ENDS:
        return Warning(
            "outside_working_hours",
            _("The visit runs outside 08:00–20:00 local time (%(start)s–%(end)s).")
            % {"start": f"{start:%H:%M}", "end": f"{end:%H:%M}"},
        )
    return None


def _gap(visit: SiteVisit, other_start: datetime, other_end: datetime) -> timedelta | None:
    """The free time between the visit and another one, or None if they touch no edge."""
    if other_start >= visit.ends_at:
        return other_start - visit.ends_at
    if other_end <= visit.starts_at:
        return visit.starts_at - other_end
    return None


def visits_warnings(*, visits: Iterable[SiteVisit]) -> dict[int, list[Warning]]:
    """Soft warnings for each visit, by id; never blocking.

    - the visit runs outside 08:00–20:00 in the program's zone;
    - a group of the visit has less than 30 minutes to get from (or to)
      another visit at a different host.
    One query for the whole batch (visits come with `bookings` prefetched)."""
    visits = [visit for visit in visits if visit.pk]
    result: dict[int, list[Warning]] = {visit.pk: [] for visit in visits}
    active = [visit for visit in visits if visit.status != VisitStatus.CANCELLED]
    for visit in active:
        warning = _outside_day_warning(visit, visit.program.tzinfo)
        if warning:
            result[visit.pk].append(warning)
    if not active:
        return result
    group_ids = {booking.group_id for visit in active for booking in visit.bookings.all()}
    if not group_ids:
        return result
    window_start = min(visit.starts_at for visit in active) - TIGHT_CONNECTION
    window_end = max(visit.ends_at for visit in active) + TIGHT_CONNECTION
    neighbours: dict[int, list[tuple]] = defaultdict(list)
    rows = VisitGroup.objects.filter(
        group_id__in=group_ids, is_cancelled=False, starts_at__lt=window_end, ends_at__gt=window_start
    ).values_list("group_id", "visit_id", "starts_at", "ends_at", "visit__host_id", "visit__host__name", "group__name")
    for row in rows:
        neighbours[row[0]].append(row)
    for visit in active:
        seen: set[tuple[int, int]] = set()
        for booking in visit.bookings.all():
            for _g, other_id, other_start, other_end, other_host, host_name, group_name in neighbours[booking.group_id]:
                if other_id == visit.pk or visit.host_id is None or other_host in (None, visit.host_id):
                    continue
                gap = _gap(visit, other_start, other_end)
                if gap is None or gap >= TIGHT_CONNECTION or (booking.group_id, other_id) in seen:
                    continue
                seen.add((booking.group_id, other_id))
                message = _(
                    "Group “%(group)s” has only %(minutes)d minutes to travel between this visit and “%(host)s”."
                )
                values = {"group": group_name, "minutes": gap.total_seconds() // 60, "host": host_name}
                result[visit.pk].append(Warning("tight_connection", message % values))
    return result


# --- itineraries ----------------------------------------------------------------


@dataclass
class ItineraryItem:
    visit: SiteVisit
    starts_at: datetime  # in the program's zone
    ends_at: datetime

    @property
    def is_cancelled(self) -> bool:
        return self.visit.status == VisitStatus.CANCELLED


@dataclass
class ItineraryDay:
    date: date
    items: list[ItineraryItem] = field(default_factory=list)


@dataclass
class Itinerary:
    participant: Participant
    program: Program
    days: list[ItineraryDay]

    @property
    def timezone(self) -> str:
        return self.program.timezone

    @property
    def items(self) -> list[ItineraryItem]:
        return [item for day in self.days for item in day.items]

    @property
    def etag(self) -> str:
        """Changes whenever anything shown in the itinerary changes."""
        digest = hashlib.sha256()
        parts = [
            self.participant.pk,
            self.participant.updated_at.isoformat(),
            self.program.updated_at.isoformat(),
            self.participant.group_id,
        ]
        for item in self.items:
            visit = item.visit
            parts += [visit.pk, visit.sequence, visit.updated_at.isoformat()]
            if visit.host is not None:
                parts += [visit.host.name, visit.host.address]
        digest.update("|".join(map(str, parts)).encode())
        return digest.hexdigest()[:32]


def participant_itinerary(*, participant: Participant) -> Itinerary:
    """The participant's visits (their group's), in time order, grouped by local day.

    Cancelled visits stay in, marked by their status. Derived, never stored."""
    program = participant.program
    tz = program.tzinfo
    days: list[ItineraryDay] = []
    if participant.group_id is not None:
        visits = (
            SiteVisit.objects.filter(bookings__group_id=participant.group_id)
            .select_related("host")
            .order_by("starts_at", "id")
        )
        for visit in visits:
            visit.program = program
            item = ItineraryItem(
                visit=visit, starts_at=visit.starts_at.astimezone(tz), ends_at=visit.ends_at.astimezone(tz)
            )
            if not days or days[-1].date != item.starts_at.date():
                days.append(ItineraryDay(date=item.starts_at.date()))
            days[-1].items.append(item)
    return Itinerary(participant=participant, program=program, days=days)


def visit_visitors(*, visit: SiteVisit) -> QuerySet[Participant]:
    """Who attends a visit: the participants of its groups, for the host's security desk."""
    return (
        Participant.objects.filter(group__bookings__visit=visit)
        .select_related("group")
        .order_by("last_name", "first_name", "id")
        .distinct()
    )
