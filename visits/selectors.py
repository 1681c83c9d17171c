"""Shaped reads of visits: lists, soft warnings, itineraries, visitor lists.

Each read path runs a fixed number of queries whatever the program's size.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from audit.history import actor_label
from internship_portal.translated import localized, row_text
from participants.enums import ID_DETAIL_FIELDS, VisitorField
from participants.models import Participant
from programs.models import Program

from .enums import HostStatus, VisitStatus
from .models import HostContact, HostOrganisation, SiteVisit, VisitGroup, default_visitor_fields

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
    ).values(
        "group_id", "visit_id", "starts_at", "ends_at", "visit__host_id", *localized("visit__host__name", "group__name")
    )  # fmt: skip
    for row in rows:
        names = (row_text(row, "visit__host__name"), row_text(row, "group__name"))
        times = (row["starts_at"], row["ends_at"])
        neighbours[row["group_id"]].append((row["group_id"], row["visit_id"], *times, row["visit__host_id"], *names))
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


def visit_visitors(*, visit: SiteVisit) -> QuerySet[Participant]:
    """Who attends a visit: the participants of its groups, for the host's security desk
    (not the anonymised: they are no one's visitor any more)."""
    return (
        Participant.objects.filter(group__bookings__visit=visit, anonymised_at__isnull=True)
        .select_related("group")
        .order_by("last_name", "first_name", "id")
        .distinct()
    )


@dataclass
class VisitorList:
    """A visit's visitor list as its host's security desk asked for it: each visitor's name and
    group, and exactly the fields of the host's `required_visitor_fields` (`columns`: name, label)."""

    visit: SiteVisit
    columns: list[tuple[str, str]]
    rows: list[dict[str, str]]

    @property
    def missing_count(self) -> int:
        return sum(1 for row in self.rows if row["missing"])

    def table(self) -> tuple[list[str], list[list[str]]]:
        """The security desk's table (the CSV of the pages and of the briefing e-mail): name parts,
        exactly the fields the host requires, group. The whole header row is in the active
        language, the reader's: people at a desk read it."""
        labels = [str(VisitorField(name).label) for name, _label in self.columns]
        header = [_("Family name"), _("Given name"), _("Patronymic"), *labels, _("Group")]
        rows = [
            [row["family_name"], row["given_name"], row["patronymic"], *row["values"], row["group"]]
            for row in self.rows
        ]
        return header, rows


def required_fields_of(host: HostOrganisation | None) -> list[str]:
    if host is None:
        return list(default_visitor_fields())
    return [name for name in VisitorField.values if name in (host.required_visitor_fields or [])]


def _loaded_details(participant: Participant):
    """The participant's `visitor_details` if loaded with it (select_related), else None: no query."""
    cached = Participant._meta.get_field("visitor_details").get_cached_value(participant, default=None)
    return cached


def visitor_row(participant: Participant, fields: Iterable[str], details=None) -> dict:
    """One visitor: name parts, group, each required field (decrypted ID details), and which are missing.
    The details are `details`, else those loaded with the participant (select_related)."""
    details = details if details is not None else _loaded_details(participant)
    row: dict = {
        "participant_id": participant.pk,
        "name": participant.full_name,
        "family_name": participant.last_name,
        "given_name": participant.first_name,
        "patronymic": participant.patronymic,
        "group": participant.group.name if participant.group_id else "",
        "values": [],
        "missing": [],
    }
    for name in fields:
        if name in ID_DETAIL_FIELDS:
            value = getattr(details, name, "") if details is not None else ""
        else:
            value = getattr(participant, name, "")
        row[name] = value
        row["values"].append(value)
        if not value:
            row["missing"].append(name)
    return row


def visit_visitor_list(*, visit: SiteVisit) -> VisitorList:
    """The visitor list of one visit, with the ID details its host requires (two queries: the host
    is expected on the visit). Reading it is recorded by the caller (audit.services)."""
    fields = required_fields_of(visit.host if visit.host_id else None)
    labels = dict(VisitorField.choices)
    people = visit_visitors(visit=visit).select_related("visitor_details")
    return VisitorList(
        visit=visit,
        columns=[(name, str(labels[name])) for name in fields],
        rows=[visitor_row(person, fields) for person in people],
    )


@dataclass
class ParticipantNeeds:
    """What the hosts of a participant's coming visits require (`hosts`: their names), and what
    of it the participant has not given yet."""

    fields: list[str]
    hosts: list[str]
    missing: list[str]


def visitor_needs_of(*, participant: Participant, hosts: Iterable[tuple[str, list[str]]]) -> ParticipantNeeds:
    """The needs of these hosts (name, required fields) for this participant: no query unless an
    ID detail is required (then one, for the participant's `VisitorDetails`)."""
    from participants.models import VisitorDetails

    hosts = [(name, fields) for name, fields in hosts if fields]
    wanted = {field for _name, fields in hosts for field in fields}
    fields = [name for name in VisitorField.values if name in wanted]
    details = None
    if wanted & set(ID_DETAIL_FIELDS):
        details = VisitorDetails.objects.filter(participant=participant).first()
    row = visitor_row(participant, fields, details)
    return ParticipantNeeds(fields=fields, hosts=sorted({name for name, _f in hosts}), missing=row["missing"])


def participant_visitor_needs(*, participant: Participant, now: datetime | None = None) -> ParticipantNeeds:
    """The union of the fields the hosts of the participant's coming visits require (one query,
    and one more when an ID detail is required)."""
    from django.utils import timezone as dj_timezone

    if participant.group_id is None:
        return ParticipantNeeds(fields=[], hosts=[], missing=[])
    hosts = (
        HostOrganisation.objects.filter(
            visits__bookings__group_id=participant.group_id,
            visits__bookings__is_cancelled=False,
            visits__ends_at__gt=now or dj_timezone.now(),
        )
        .values_list("name", "required_visitor_fields")
        .distinct()
    )
    return visitor_needs_of(participant=participant, hosts=list(hosts))


@dataclass
class HostDetailsGap:
    """One host of a program: its deadline for the visitor list and who still misses which field."""

    host: HostOrganisation
    first_visit: SiteVisit
    deadline: date  # local day by which the list is due
    fields: list[str]
    missing: list[dict]  # visitor rows with a non-empty "missing"
    visitor_count: int


def program_visitor_details_gaps(*, program: Program, now: datetime | None = None) -> list[HostDetailsGap]:
    """Per host with coming visits in the program: the deadline (the first coming visit's local day
    minus the host's `visitor_list_days_ahead`) and the visitors missing a required field, earliest
    deadline first. Four queries whatever the program's size."""
    from django.utils import timezone as dj_timezone

    now = now or dj_timezone.now()
    tz = program.tzinfo
    visits = list(
        SiteVisit.objects.filter(program=program, host__isnull=False, ends_at__gt=now)
        .exclude(status=VisitStatus.CANCELLED)
        .select_related("host")
        .prefetch_related(Prefetch("bookings", queryset=VisitGroup.objects.only("id", "visit_id", "group_id")))
        .order_by("starts_at", "id")
    )
    group_ids = {booking.group_id for visit in visits for booking in visit.bookings.all()}
    people = list(
        Participant.objects.filter(group_id__in=group_ids, anonymised_at__isnull=True)
        .select_related("group", "visitor_details")
        .order_by("last_name", "first_name", "id")
    )
    by_group: dict[int, list[Participant]] = defaultdict(list)
    for person in people:
        by_group[person.group_id].append(person)
    gaps: dict[int, HostDetailsGap] = {}
    seen: dict[int, set[int]] = defaultdict(set)
    for visit in visits:
        host = visit.host
        if host.pk not in gaps:
            fields = required_fields_of(host)
            deadline = visit.starts_at.astimezone(tz).date() - timedelta(days=host.visitor_list_days_ahead)
            gaps[host.pk] = HostDetailsGap(
                host=host, first_visit=visit, deadline=deadline, fields=fields, missing=[], visitor_count=0
            )
        gap = gaps[host.pk]
        for booking in visit.bookings.all():
            for person in by_group[booking.group_id]:
                if person.pk in seen[host.pk]:
                    continue
                seen[host.pk].add(person.pk)
                gap.visitor_count += 1
                row = visitor_row(person, gap.fields)
                if row["missing"]:
                    gap.missing.append(row)
    return sorted(gaps.values(), key=lambda gap: (gap.deadline, gap.host.name))


# --- host contacts: their link and their visits ------------------------------------


def contact_by_token(*, token: str) -> HostContact | None:
    """The host contact whose link this is, or None (compared in constant time, like a participant's)."""
    import hmac

    if not token or len(token) > 64:
        return None
    found = HostContact.objects.select_related("host").filter(access_token=token).order_by()
    contact = next(iter(found[:1]), None)
    if contact is None or not hmac.compare_digest(contact.access_token, token):
        return None
    return contact


def host_contact_visits(*, contact: HostContact, now: datetime | None = None) -> list[SiteVisit]:
    """The visits at the contact's organisation that have not ended a day ago, in time order, each with
    `group_names`, `head_count` and its program's `academy_contacts` (its organisers). Four queries
    whatever the number of visits, groups and participants."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count
    from django.utils import timezone as dj_timezone

    now = now or dj_timezone.now()
    visits = list(
        SiteVisit.objects.filter(host_id=contact.host_id, ends_at__gt=now - timedelta(days=1))
        .select_related("program")
        .prefetch_related(
            Prefetch("bookings", queryset=VisitGroup.objects.select_related("group").order_by("group__name")),
            Prefetch(
                "program__organisers",
                queryset=get_user_model().objects.filter(is_active=True).order_by("last_name", "username"),
            ),
        )
        .order_by("starts_at", "id")
    )
    group_ids = {booking.group_id for visit in visits for booking in visit.bookings.all()}
    sizes = dict(
        Participant.objects.filter(group_id__in=group_ids, anonymised_at__isnull=True)
        .values_list("group_id")
        .annotate(size=Count("id"))
        .order_by()
    )
    for visit in visits:
        visit.host = contact.host
        bookings = list(visit.bookings.all())
        visit.group_names = [booking.group.name for booking in bookings]
        visit.head_count = sum(sizes.get(booking.group_id, 0) for booking in bookings)
        tz = visit.program.tzinfo
        visit.local_starts_at = visit.starts_at.astimezone(tz)
        visit.local_ends_at = visit.ends_at.astimezone(tz)
        if visit.host_proposed_starts_at:
            visit.local_proposed_starts_at = visit.host_proposed_starts_at.astimezone(tz)
            visit.local_proposed_ends_at = visit.host_proposed_ends_at.astimezone(tz)
        visit.academy_contacts = list(visit.program.organisers.all())
    return visits


def program_host_answers(*, program: Program) -> list[SiteVisit]:
    """The program's visits at hosts with the host's answer, for the organiser's confirmations page:
    every visit with a host, in time order, with `contacts` of its host (three queries)."""
    visits = list(
        SiteVisit.objects.filter(program=program, host__isnull=False)
        .select_related("host")
        .prefetch_related("host__contacts")
        .order_by("starts_at", "id")
    )
    tz = program.tzinfo
    for visit in visits:
        visit.program = program
        visit.local_starts_at = visit.starts_at.astimezone(tz)
        visit.local_ends_at = visit.ends_at.astimezone(tz)
        if visit.host_proposed_starts_at:
            visit.local_proposed_starts_at = visit.host_proposed_starts_at.astimezone(tz)
            visit.local_proposed_ends_at = visit.host_proposed_ends_at.astimezone(tz)
    return visits


OPEN_HOST_ANSWERS = (HostStatus.NONE, HostStatus.REQUESTED, HostStatus.DECLINED, HostStatus.PROPOSED)


def program_open_host_answers(*, program: Program) -> list[SiteVisit]:
    """For the dashboard: the program's coming visits at hosts that are not confirmed (never asked,
    awaiting an answer, declined, or another time proposed), the oldest request first. One query."""
    from django.db.models import F
    from django.utils import timezone as dj_timezone

    visits = list(
        SiteVisit.objects.filter(
            program=program, host__isnull=False, host_status__in=OPEN_HOST_ANSWERS, ends_at__gt=dj_timezone.now()
        )
        .exclude(status=VisitStatus.CANCELLED)
        .select_related("host")
        .order_by(F("host_requested_at").asc(nulls_last=True), "starts_at", "id")
    )
    tz = program.tzinfo
    for visit in visits:
        visit.local_starts_at = visit.starts_at.astimezone(tz)
    return visits


# --- organiser pages: the schedule board -----------------------------------------

BOARD_VISIT_FIELDS = (
    "id", "program_id", "host_id", "title", "kind", "status", "starts_at", "ends_at", "host__id", "host__name",
    "host_status",
)  # fmt: skip
BOARD_DAY_STARTS = 8 * 60  # minutes after local midnight shown at least
BOARD_DAY_ENDS = 20 * 60


@dataclass
class BoardBlock:
    """One visit placed by its local times: in one group's column (`BoardCell.blocks`), or drawn
    once across the adjacent columns of its groups (`BoardDay.blocks`, `column` and `span`; a
    visit whose groups are not side by side has one block per run, the first `is_primary`)."""

    visit: SiteVisit
    starts_at: datetime  # in the program's zone
    ends_at: datetime
    top: float  # percent of the column's height
    height: float
    warnings: list[Warning]
    column: int = 0  # index of the first group column it covers
    span: int = 1
    group_ids: list[int] = field(default_factory=list)  # every group of the visit
    group_names: list[str] = field(default_factory=list)
    is_primary: bool = True
    start_minute: int = 0  # minutes after the local midnight of its day
    end_minute: int = 0  # may pass 1440 when the visit runs past midnight

    @property
    def is_cancelled(self) -> bool:
        return self.visit.status == VisitStatus.CANCELLED

    @property
    def visit_id(self) -> int:
        return self.visit.pk

    @property
    def host_status(self) -> str:
        """The host's answer ("" never asked, requested, confirmed, declined, proposed)."""
        return self.visit.host_status

    @property
    def host_status_label(self) -> str:
        return str(HostStatus(self.visit.host_status).label) if self.visit.host_status in HostStatus.values else ""


@dataclass
class BoardSlot:
    """A free hour in a group's column: where a "new visit" link goes."""

    starts_at: datetime
    top: float
    height: float


@dataclass
class BoardCell:
    group: object  # ProjectGroup
    day: date
    blocks: list[BoardBlock] = field(default_factory=list)
    free: list[BoardSlot] = field(default_factory=list)


@dataclass
class BoardDay:
    date: date
    cells: list[BoardCell]
    ungrouped: list[SiteVisit] = field(default_factory=list)
    blocks: list[BoardBlock] = field(default_factory=list)  # one per visit (per run of adjacent groups)


@dataclass
class BoardHour:
    label: str
    top: float


@dataclass
class Board:
    program: Program
    groups: list
    days: list[BoardDay]
    hours: list[BoardHour]
    window_start: int  # minutes after local midnight
    window_end: int

    @property
    def visit_count(self) -> int:
        return len({block.visit.pk for day in self.days for cell in day.cells for block in cell.blocks})


def _minutes(moment: datetime) -> int:
    return moment.hour * 60 + moment.minute


def board_for_program(*, program: Program, day: date | None = None) -> Board:
    """Days × project groups with each visit placed by time, for one day or the whole program.

    Positions are percentages of a window that spans 08:00–20:00 local time,
    widened to whole hours to fit every visit shown. Three queries whatever
    the program's size: groups, visits with hosts, bookings; plus one for the
    soft warnings."""
    from participants.models import ProjectGroup

    tz = program.tzinfo
    if day is None:
        days = [program.start_date + timedelta(days=n) for n in range((program.end_date - program.start_date).days + 1)]
    else:
        days = [day]
    range_start = datetime.combine(days[0], time.min, tzinfo=tz)
    range_end = datetime.combine(days[-1] + timedelta(days=1), time.min, tzinfo=tz)
    groups = list(ProjectGroup.objects.filter(program=program).order_by("name", "id"))
    visits = list(
        SiteVisit.objects.filter(program=program, starts_at__lt=range_end, ends_at__gt=range_start)
        .select_related("host")
        # Only what the board and the warnings read: the ×10 day has 170 visits, and their
        # agendas and hosts' visitor rules are the bulk of the rows.
        .only(*BOARD_VISIT_FIELDS)
        .prefetch_related(
            Prefetch("bookings", queryset=VisitGroup.objects.only("id", "visit_id", "group_id").order_by("group_id"))
        )
        .order_by("starts_at", "id")
    )
    for visit in visits:
        visit.program = program  # spare the warnings a join per visit
    warnings = visits_warnings(visits=visits) if visits else {}

    window_start, window_end = BOARD_DAY_STARTS, BOARD_DAY_ENDS
    for visit in visits:
        start = visit.starts_at.astimezone(tz)
        end = visit.ends_at.astimezone(tz)
        window_start = min(window_start, _minutes(start) // 60 * 60)
        end_minutes = 24 * 60 if end.date() > start.date() else _minutes(end)
        window_end = max(window_end, min(24 * 60, -(-end_minutes // 60) * 60))
    span = window_end - window_start

    def place(start_min: int, end_min: int) -> tuple[float, float]:
        start_min = max(start_min, window_start)
        end_min = min(end_min, window_end)
        return round((start_min - window_start) * 100 / span, 3), round(max(end_min - start_min, 1) * 100 / span, 3)

    cells: dict[tuple[date, int], BoardCell] = {}
    board_days = []
    for board_day in days:
        row = [BoardCell(group=group, day=board_day) for group in groups]
        for cell in row:
            cells[(board_day, cell.group.pk)] = cell
        board_days.append(BoardDay(date=board_day, cells=row))
    by_date = {board_day.date: board_day for board_day in board_days}
    column_of = {group.pk: index for index, group in enumerate(groups)}
    name_of = {group.pk: group.name for group in groups}

    for visit in visits:
        start = visit.starts_at.astimezone(tz)
        end = visit.ends_at.astimezone(tz)
        if start.date() not in by_date:
            continue
        end_minutes = 24 * 60 if end.date() > start.date() else _minutes(end)
        top, height = place(_minutes(start), end_minutes)
        bookings = list(visit.bookings.all())
        if not bookings:
            by_date[start.date()].ungrouped.append(visit)
        group_ids = [booking.group_id for booking in bookings]
        columns = sorted(column_of[group_id] for group_id in group_ids if group_id in column_of)
        runs: list[list[int]] = []
        for column in columns:
            if runs and column == runs[-1][-1] + 1:
                runs[-1].append(column)
            else:
                runs.append([column])
        start_minute = _minutes(start)
        end_minute = _minutes(end) + 24 * 60 * (end.date() - start.date()).days
        for index, run in enumerate(runs):
            by_date[start.date()].blocks.append(
                BoardBlock(
                    visit=visit,
                    starts_at=start,
                    ends_at=end,
                    top=top,
                    height=height,
                    warnings=warnings.get(visit.pk, []),
                    column=run[0],
                    span=len(run),
                    group_ids=group_ids,
                    group_names=[name_of[group_id] for group_id in group_ids if group_id in name_of],
                    is_primary=index == 0,
                    start_minute=start_minute,
                    end_minute=end_minute,
                )
            )
        for booking in bookings:
            cell = cells.get((start.date(), booking.group_id))
            if cell is not None:
                cell.blocks.append(
                    BoardBlock(
                        visit=visit,
                        starts_at=start,
                        ends_at=end,
                        top=top,
                        height=height,
                        warnings=warnings.get(visit.pk, []),
                    )
                )

    for cell in cells.values():
        busy = [
            (_minutes(block.starts_at), _minutes(block.ends_at) if block.ends_at.date() == cell.day else 24 * 60)
            for block in cell.blocks
            if not block.is_cancelled
        ]
        for hour_start in range(window_start, window_end, 60):
            hour_end = hour_start + 60
            if any(start < hour_end and end > hour_start for start, end in busy):
                continue
            top, height = place(hour_start, hour_end)
            moment = datetime.combine(cell.day, time(hour_start // 60, 0), tzinfo=tz)
            cell.free.append(BoardSlot(starts_at=moment, top=top, height=height))

    hours = [
        BoardHour(label=f"{minute // 60:02d}:00", top=place(minute, minute + 60)[0])
        for minute in range(window_start, window_end, 60)
    ]
    return Board(
        program=program, groups=groups, days=board_days, hours=hours, window_start=window_start, window_end=window_end
    )


@dataclass
class BoardTools:
    """What the board's Shift and Duplicate forms offer (not the grid): the groups to shift or
    copy to, and the day's visits to copy."""

    groups: list[tuple[int, str]]  # (id, name)
    day_visits: list[tuple[int, str]]  # (id, "HH:MM title")


def board_tools(*, program: Program, day: date | None) -> BoardTools:
    """Two queries whatever the program's size (one in the whole-program view)."""
    from participants.models import ProjectGroup

    groups = list(ProjectGroup.objects.filter(program=program).order_by("name", "id").values_list("id", "name"))
    day_visits = []
    if day is not None:
        tz = program.tzinfo
        start = datetime.combine(day, time.min, tzinfo=tz)
        rows = (
            SiteVisit.objects.filter(program=program, starts_at__gte=start, starts_at__lt=start + timedelta(days=1))
            .order_by("starts_at", "id")
            .values_list("id", "title", "starts_at")
        )
        day_visits = [(pk, f"{starts_at.astimezone(tz):%H:%M} {title}") for pk, title, starts_at in rows]
    return BoardTools(groups=groups, day_visits=day_visits)


@dataclass
class HostProposal:
    """A visit whose host proposed another time, for the board (times in the program's zone)."""

    visit_id: int
    title: str
    host: str
    starts_at: datetime
    ends_at: datetime
    proposed_starts_at: datetime
    proposed_ends_at: datetime


def board_host_proposals(*, program: Program) -> list[HostProposal]:
    """The program's visits whose host proposed another time, soonest first: one query."""
    tz = program.tzinfo
    visits = (
        SiteVisit.objects.filter(
            program=program,
            host_status=HostStatus.PROPOSED,
            host_proposed_starts_at__isnull=False,
            host_proposed_ends_at__isnull=False,
        )
        .exclude(status=VisitStatus.CANCELLED)
        .select_related("host")
        .order_by("starts_at", "id")
    )
    return [
        HostProposal(
            visit_id=visit.pk,
            title=visit.title,
            host=visit.host.name if visit.host_id else "",
            starts_at=visit.starts_at.astimezone(tz),
            ends_at=visit.ends_at.astimezone(tz),
            proposed_starts_at=visit.host_proposed_starts_at.astimezone(tz),
            proposed_ends_at=visit.host_proposed_ends_at.astimezone(tz),
        )
        for visit in visits
    ]


def board_last_action(*, program: Program, user):
    """The organiser's last board action on this program (visits.models.BoardAction), if any is left to undo."""
    from .models import BoardAction

    return BoardAction.objects.filter(program=program, user=user).first()


# --- organiser pages: the dashboard ------------------------------------------------


@dataclass
class DayAgenda:
    date: date
    label: str
    visits: list[SiteVisit]


def program_dashboard(*, program: Program, now: datetime | None = None) -> dict:
    """What the program's dashboard shows: groups with sizes, participant count,
    the visits of today and tomorrow (or of the first two days before the
    program starts), and every open soft warning. A fixed number of queries."""
    from django.utils import timezone as dj_timezone

    from participants.selectors import groups_of_program

    tz = program.tzinfo
    today = (now or dj_timezone.now()).astimezone(tz).date()
    if today < program.start_date:
        focus = program.start_date
    elif today > program.end_date:
        focus = program.end_date
    else:
        focus = today
    groups = list(groups_of_program(program=program))
    group_names = {group.pk: group.name for group in groups}
    participant_count = Participant.objects.filter(program=program).count()
    visits = list(
        SiteVisit.objects.filter(program=program)
        .select_related("host")
        .prefetch_related(Prefetch("bookings", queryset=VisitGroup.objects.order_by("group_id")))
        .order_by("starts_at", "id")
    )
    for visit in visits:
        visit.program = program
        visit.group_names = [group_names.get(booking.group_id, "?") for booking in visit.bookings.all()]
        visit.local_starts_at = visit.starts_at.astimezone(tz)
        visit.local_ends_at = visit.ends_at.astimezone(tz)
    warnings = visits_warnings(visits=visits)
    agendas = []
    for offset in (0, 1):
        agenda_day = focus + timedelta(days=offset)
        if agenda_day > program.end_date:
            break
        if agenda_day == today:
            label = _("Today")
        elif agenda_day == today + timedelta(days=1):
            label = _("Tomorrow")
        else:
            label = _("Day %(number)d") % {"number": (agenda_day - program.start_date).days + 1}
        agendas.append(
            DayAgenda(
                date=agenda_day,
                label=label,
                visits=[visit for visit in visits if visit.local_starts_at.date() == agenda_day],
            )
        )
    open_warnings = [(visit, warning) for visit in visits for warning in warnings.get(visit.pk, [])]
    return {
        "groups": groups,
        "participant_count": participant_count,
        "visit_count": len(visits),
        "cancelled_count": sum(1 for visit in visits if visit.status == VisitStatus.CANCELLED),
        "agendas": agendas,
        "open_warnings": open_warnings,
        "today": today,
    }


# --- organiser pages: hosts and printable schedules ---------------------------------


def hosts_directory(*, program: Program) -> QuerySet[HostOrganisation]:
    """Every host with its contacts and the visits it receives in this program (`program_visits`)."""
    return HostOrganisation.objects.prefetch_related(
        "contacts",
        Prefetch(
            "visits",
            queryset=SiteVisit.objects.filter(program=program).order_by("starts_at", "id"),
            to_attr="program_visits",
        ),
    ).order_by("name")


# --- audit trail ----------------------------------------------------------------


@dataclass(frozen=True)
class HistoryEntry:
    when: datetime
    actor: str
    action: str  # "created" | "changed" | "deleted"
    changes: list[tuple[str, str, str]]  # (field label, old, new)


HISTORY_ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}


def visit_history(*, visit: SiteVisit) -> list[HistoryEntry]:
    """Who changed this visit, when, and what, newest first (one query)."""
    rows = list(visit.history.select_related("host").order_by("history_date", "history_id"))
    tz = visit.program.tzinfo
    labels = {field.attname: str(field.verbose_name) for field in SiteVisit._meta.concrete_fields}
    # A field with choices shows its label (in the reader's language), not the stored value.
    choices = {field.attname: dict(field.flatchoices) for field in SiteVisit._meta.concrete_fields if field.choices}
    entries: list[HistoryEntry] = []
    previous = None
    for row in rows:
        changes: list[tuple[str, str, str]] = []
        if previous is not None:
            for change in row.diff_against(previous, excluded_fields=["sequence"], foreign_keys_are_objs=False).changes:
                old, new = change.old, change.new
                if isinstance(old, datetime) or isinstance(new, datetime):
                    old = f"{old.astimezone(tz):%Y-%m-%d %H:%M}" if old else ""
                    new = f"{new.astimezone(tz):%Y-%m-%d %H:%M}" if new else ""
                if change.field in choices:
                    old, new = choices[change.field].get(old, old), choices[change.field].get(new, new)
                if change.field == "host":
                    old = previous.host.name if previous.host_id else ""
                    new = row.host.name if row.host_id else ""
                changes.append((labels.get(change.field, change.field), str(old or ""), str(new or "")))
            if row.history_groups != previous.history_groups:
                changes.append((str(_("groups")), previous.history_groups, row.history_groups))
        entries.append(
            HistoryEntry(
                when=row.history_date.astimezone(tz),
                actor=actor_label(row.history_actor),
                action=HISTORY_ACTIONS.get(row.history_type, row.history_type),
                changes=changes,
            )
        )
        previous = row
    return list(reversed(entries))


def host_for_page(*, program: Program, pk: int) -> HostOrganisation | None:
    """One host with its contacts and the visits it receives in this program (`program_visits`)."""
    return hosts_directory(program=program).filter(pk=pk).first()


def host_programs_not_organised(*, host: HostOrganisation, program_ids: Iterable[int] | None) -> list[str]:
    """The titles of the programs, other than `program_ids` (None: every program), whose visits go
    to this host: an organiser changes a host only when no one else's program uses it. One query."""
    if program_ids is None:
        return []
    return list(
        Program.objects.filter(visits__host=host)
        .exclude(pk__in=list(program_ids))
        .distinct()
        .order_by("title")
        .values_list("title", flat=True)
    )
