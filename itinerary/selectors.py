"""A participant's itinerary, derived, never stored: the visits of their group, in time order,
grouped by local day, cancelled visits marked as such.

One builder (`ItineraryRows.to_itinerary`: plain rows in, days of items out) serves the
personal page, the calendar feed, the API's JSON, the e-mails and the printed schedules;
one version (`itinerary_version`) keys every cached representation of it.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from internship_portal.translated import localized, row_text
from participants.models import Participant, ProjectGroup
from programs.models import Program
from programs.versions import program_version
from visits.enums import VisitStatus
from visits.models import HostOrganisation, SiteVisit, VisitGroup


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
        return itinerary_version(participant=self.participant)


def itinerary_version(*, participant: Participant) -> str:
    """Changes whenever anything shown in the participant's itinerary changes, and with every
    release of the code and translations.

    Everything an itinerary shows (the program, the participant, their group, the visits and
    their hosts) bumps the program's version when written (programs.versions), so the
    version is read with the participant: no query of its own."""
    return f"{program_version(participant.program)}.{participant.pk}"


# Every language's text (internship_portal.translated): the rows serve every reader, and each
# representation reads the plain names (`visit.title`) in its reader's language.
ITINERARY_ROW_FIELDS = (
    "id", "sequence", "updated_at", *localized("title"), "kind", *localized("agenda"), "starts_at", "ends_at",
    *localized("location", "meeting_point"), "status", "host_id",
    *(f"host__{name}" for name in localized("name", "address", "city")), "host__latitude", "host__longitude",
    "host__required_visitor_fields",
)  # fmt: skip


@dataclass
class ItineraryRows:
    """An itinerary as plain rows (dicts of ITINERARY_ROW_FIELDS, in time order): what the
    representations need to be built, and no more."""

    participant: Participant | None
    program: Program
    rows: list[dict]

    def version(self) -> str:
        return itinerary_version(participant=self.participant)

    def to_days(self) -> list[ItineraryDay]:
        """The rows as days of items in the program's zone. Each visit and host holds the rows'
        fields; any other field is deferred (read on access)."""
        tz = self.program.tzinfo
        days: list[ItineraryDay] = []
        for row in self.rows:
            visit = _from_row(SiteVisit, {name: row[name] for name in ITINERARY_ROW_FIELDS if "__" not in name})
            visit.program = self.program
            if row["host_id"] is not None:
                visit.host = _from_row(
                    HostOrganisation,
                    {"id": row["host_id"], **{name[6:]: row[name] for name in ITINERARY_ROW_FIELDS if "__" in name}},
                )
            item = ItineraryItem(
                visit=visit, starts_at=row["starts_at"].astimezone(tz), ends_at=row["ends_at"].astimezone(tz)
            )
            if not days or days[-1].date != item.starts_at.date():
                days.append(ItineraryDay(date=item.starts_at.date()))
            days[-1].items.append(item)
        return days

    def to_itinerary(self) -> Itinerary:
        return Itinerary(participant=self.participant, program=self.program, days=self.to_days())


def _from_row(model, values: dict):
    """A model instance as the ORM would load it with only these fields (the others deferred)."""
    fields = [field.attname for field in model._meta.concrete_fields if field.attname in values]
    return model.from_db(model.objects.db, fields, [values[name] for name in fields])


def _group_rows(group_id: int | None) -> list[dict]:
    if group_id is None:
        return []
    return list(
        SiteVisit.objects.filter(bookings__group_id=group_id).order_by("starts_at", "id").values(*ITINERARY_ROW_FIELDS)
    )


def participant_itinerary_rows(*, participant: Participant) -> ItineraryRows:
    """The participant's itinerary as plain rows (one query). The participant's `program` must be loaded."""
    return ItineraryRows(participant=participant, program=participant.program, rows=_group_rows(participant.group_id))


def participant_itinerary(*, participant: Participant) -> Itinerary:
    """The participant's visits (their group's), in time order, grouped by local day. One query."""
    return participant_itinerary_rows(participant=participant).to_itinerary()


def group_schedule(*, group: ProjectGroup) -> list[ItineraryDay]:
    """A group's visits by local day, cancelled ones included: the printable group schedule. One query."""
    return ItineraryRows(participant=None, program=group.program, rows=_group_rows(group.pk)).to_days()


# --- the participant's personal pages ---------------------------------------------


def visit_group_names(*, visit_ids: Iterable[int]) -> dict[int, list[str]]:
    """The names of every group attending each of these visits, by visit id, in name order. One query.

    A participant sees who else comes along on a joint visit."""
    visit_ids = list(visit_ids)
    names: dict[int, list[str]] = {visit_id: [] for visit_id in visit_ids}
    if not visit_ids:
        return names
    # Every language's name (bookings are not translated rows: their queries read the columns).
    columns = [f"group__{name}" for name in localized("name")]
    rows = VisitGroup.objects.filter(visit_id__in=visit_ids).order_by("group_id").values("visit_id", *columns)
    for row in rows:
        names[row["visit_id"]].append(row_text(row, "group__name"))
    for visit_names in names.values():
        visit_names.sort()
    return names


def participations_of_user(*, user) -> list[Participant]:
    """Every participation of a login, each with its program and group, in date order. One query."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        Participant.objects.filter(user=user)
        .select_related("program", "group")
        .order_by("program__start_date", "program__title", "id")
    )


def current_participation(*, participations: list[Participant], now: datetime) -> Participant | None:
    """The participation to show first: the program running today (in its own zone), else the
    next one to start, else the one that ended last."""
    if not participations:
        return None
    running = [p for p in participations if p.program.start_date <= p.program.local_date(now) <= p.program.end_date]
    if running:
        return running[0]
    upcoming = [p for p in participations if p.program.start_date > p.program.local_date(now)]
    if upcoming:
        return upcoming[0]
    return max(participations, key=lambda p: (p.program.end_date, p.pk))
