"""Shaped reads of visits: lists, soft warnings, itineraries, visitor lists.

Each read path runs a fixed number of queries whatever the program's size.
"""

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


def visit_visitors(*, visit: SiteVisit) -> QuerySet[Participant]:
    """Who attends a visit: the participants of its groups, for the host's security desk
    (not the anonymised: they are no one's visitor any more)."""
    return (
        Participant.objects.filter(group__bookings__visit=visit, anonymised_at__isnull=True)
        .select_related("group")
        .order_by("last_name", "first_name", "id")
        .distinct()
    )


# --- organiser pages: the schedule board -----------------------------------------

BOARD_VISIT_FIELDS = (
    "id", "program_id", "host_id", "title", "kind", "status", "starts_at", "ends_at", "host__id", "host__name",
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
                if change.field == "host":
                    old = previous.host.name if previous.host_id else ""
                    new = row.host.name if row.host_id else ""
                changes.append((labels.get(change.field, change.field), str(old or ""), str(new or "")))
            if row.history_groups != previous.history_groups:
                changes.append((str(_("groups")), previous.history_groups, row.history_groups))
        entries.append(
            HistoryEntry(
                when=row.history_date.astimezone(tz),
                actor=row.history_actor,
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
