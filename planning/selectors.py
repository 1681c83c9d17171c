"""Shaped reads of the proposer: its inputs, the instance the solver works on, the Propose page.

`planning_inputs` reads everything a proposal depends on in a fixed number of queries;
`build_instance` turns it into the solver's plain data (planning.solver) with the maps back
to rows, and the fingerprint a proposal keeps to tell, when it is applied, whether the
board or the inputs changed since.
"""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Prefetch, QuerySet

from participants.models import ProjectGroup
from programs.models import Program
from visits.enums import VisitKind, VisitStatus
from visits.models import HostOrganisation, SiteVisit, VisitGroup

from . import solver
from .enums import Priority
from .models import HostWindow, PlanningSettings, Proposal, TravelTime, VisitRequest
from .travel import travel_matrix


def planning_settings(*, program: Program) -> PlanningSettings:
    """The program's planning settings (the defaults, unsaved, when none were set)."""
    found = PlanningSettings.objects.filter(program=program).select_related("academy").first()
    return found or PlanningSettings(program=program)


def academy_of(*, program: Program, settings: PlanningSettings) -> HostOrganisation | None:
    """Where each day starts and ends: the settings' academy, else the host named like the
    program's host institution."""
    if settings.academy_id:
        return settings.academy
    return HostOrganisation.objects.filter(name=program.host_institution).first()


def windows_of_program(*, program: Program) -> QuerySet[HostWindow]:
    return HostWindow.objects.filter(program=program).select_related("host").order_by("starts_at", "host__name", "id")


def requests_of_program(*, program: Program) -> QuerySet[VisitRequest]:
    return (
        VisitRequest.objects.filter(program=program)
        .select_related("host", "visit")
        .prefetch_related(Prefetch("groups", queryset=ProjectGroup.objects.order_by("name", "id")))
        .order_by("id")
    )


def proposals_of_program(*, program: Program) -> QuerySet[Proposal]:
    return Proposal.objects.filter(program=program).order_by("-created_at", "-id")


@dataclass
class Built:
    """The solver's instance with what maps it back to the program."""

    instance: solver.Instance
    program: Program
    origin: datetime  # minute 0
    dates: list[date]  # day index → date
    requests: dict[int, VisitRequest]
    hosts: dict[int, HostOrganisation]
    groups: dict[int, ProjectGroup]
    visits: dict[int, SiteVisit]  # every visit of the program, by id
    fingerprint: str
    board: dict[str, str]  # visit id → digest
    day_minutes: int
    linked: dict[int, int] = field(default_factory=dict)  # request id → the live visit it moves

    def moment(self, minute: int) -> datetime:
        return (self.origin + timedelta(minutes=minute)).astimezone(self.program.tzinfo)

    def minute(self, moment: datetime) -> int:
        return round((moment - self.origin).total_seconds() / 60)


def _digest(value) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()


def board_digests(*, visits) -> dict[str, str]:
    """One digest per visit of the board: what apply compares to see a manual edit."""
    return {
        str(visit.pk): _digest(
            [
                visit.host_id,
                visit.starts_at.isoformat(),
                visit.ends_at.isoformat(),
                visit.status,
                sorted(booking.group_id for booking in visit.bookings.all()),
            ]
        )[:16]
        for visit in visits
    }


def program_board(*, program: Program) -> list[SiteVisit]:
    return list(
        SiteVisit.objects.filter(program=program)
        .select_related("host")
        .prefetch_related(Prefetch("bookings", queryset=VisitGroup.objects.order_by("group_id")))
        .order_by("starts_at", "id")
    )


def inputs_digest(*, settings: PlanningSettings, windows, requests, overrides) -> str:
    return _digest(
        {
            "settings": [
                settings.academy_id,
                str(settings.day_starts),
                str(settings.day_ends),
                settings.lunch_minutes,
                str(settings.lunch_earliest),
                str(settings.lunch_latest),
                settings.max_visits_per_day,
                settings.speed_kmh,
                settings.overhead_minutes,
            ],
            "windows": [[w.pk, w.host_id, w.starts_at.isoformat(), w.ends_at.isoformat(), w.capacity] for w in windows],
            "requests": [
                [
                    r.pk,
                    sorted(g.pk for g in r.groups.all()),
                    r.host_id,
                    r.duration_minutes,
                    r.priority,
                    str(r.not_before),
                    str(r.not_after),
                    r.visit_id,
                ]
                for r in requests
            ],
            "travel": [[t.origin_id, t.destination_id, t.minutes] for t in overrides],
        }
    )


def build_instance(*, program: Program, keep_existing: bool = False) -> Built:
    """Everything a proposal depends on, as the solver's instance: a fixed number of queries."""
    settings = planning_settings(program=program)
    academy = academy_of(program=program, settings=settings)
    tz = program.tzinfo
    windows = list(windows_of_program(program=program))
    requests = list(requests_of_program(program=program))
    overrides = list(TravelTime.objects.filter(program=program).order_by("id"))
    visits = program_board(program=program)
    groups = {group.pk: group for group in ProjectGroup.objects.filter(program=program).order_by("name", "id")}

    origin = program.starts_at()
    dates = [program.start_date + timedelta(days=n) for n in range((program.end_date - program.start_date).days + 1)]

    def at(day: date, moment) -> int:
        return round((datetime.combine(day, moment, tzinfo=tz) - origin).total_seconds() / 60)

    days = [
        solver.Day(
            index=index,
            start=at(day, settings.day_starts),
            end=at(day, settings.day_ends),
            lunch_from=at(day, settings.lunch_earliest),
            lunch_to=at(day, settings.lunch_latest),
            midnight=at(day, time.min),
        )
        for index, day in enumerate(dates)
    ]
    academy_id = academy.pk if academy else None

    def place(host_id: int | None) -> int:
        return solver.ACADEMY if host_id is None or host_id == academy_id else host_id

    hosts: dict[int, HostOrganisation] = {}
    for row in [*windows, *requests]:
        hosts[row.host_id] = row.host
    for visit in visits:
        if visit.host_id:
            hosts[visit.host_id] = visit.host
    if academy is not None:
        hosts[academy.pk] = academy
    places: dict[int, tuple[float, float] | None] = {}
    for host in hosts.values():
        coordinates = (
            (float(host.latitude), float(host.longitude))
            if host.latitude is not None and host.longitude is not None
            else None
        )
        places[place(host.pk)] = coordinates
    places.setdefault(solver.ACADEMY, None)
    travel = travel_matrix(
        places=places,
        speed_kmh=settings.speed_kmh,
        overhead_minutes=settings.overhead_minutes,
        overrides=[(place(t.origin_id), place(t.destination_id), t.minutes) for t in overrides],
    )

    by_id = {visit.pk: visit for visit in visits}
    linked = {
        r.pk: r.visit_id
        for r in requests
        if r.visit_id and r.visit_id in by_id and by_id[r.visit_id].status != VisitStatus.CANCELLED
    }
    moving = set(linked.values())

    def day_index(value: date | None, default: int) -> int:
        if value is None:
            return default
        return (value - program.start_date).days

    solver_requests = [
        solver.Request(
            id=r.pk,
            groups=tuple(sorted(g.pk for g in r.groups.all())),
            host=place(r.host_id),
            duration=r.duration_minutes,
            must=r.priority == Priority.MUST,
            first_day=max(0, day_index(r.not_before, 0)),
            last_day=min(len(dates) - 1, day_index(r.not_after, len(dates) - 1)),
            current=round((by_id[linked[r.pk]].starts_at - origin).total_seconds() / 60) if r.pk in linked else None,
        )
        for r in requests
    ]
    fixed = [
        solver.Fixed(
            id=visit.pk,
            groups=tuple(booking.group_id for booking in visit.bookings.all()),
            host=place(visit.host_id),
            start=round((visit.starts_at - origin).total_seconds() / 60),
            end=round((visit.ends_at - origin).total_seconds() / 60),
            counts=visit.kind == VisitKind.SITE_VISIT,
        )
        for visit in visits
        if visit.status != VisitStatus.CANCELLED and visit.pk not in moving and visit.bookings.all()
    ]
    instance = solver.Instance(
        days=days,
        groups=list(groups),
        windows=[
            solver.Window(
                id=w.pk,
                host=place(w.host_id),
                start=round((w.starts_at - origin).total_seconds() / 60),
                end=round((w.ends_at - origin).total_seconds() / 60),
                capacity=w.capacity,
            )
            for w in windows
        ],
        requests=solver_requests,
        fixed=fixed,
        travel=travel,
        lunch_minutes=settings.lunch_minutes,
        max_per_day=settings.max_visits_per_day,
        keep_existing=keep_existing,
    )
    board = board_digests(visits=visits)
    inputs = inputs_digest(settings=settings, windows=windows, requests=requests, overrides=overrides)
    day_minutes = (
        datetime.combine(program.start_date, settings.day_ends)
        - datetime.combine(program.start_date, settings.day_starts)
    ).seconds // 60
    return Built(
        instance=instance,
        program=program,
        origin=origin,
        dates=dates,
        requests={r.pk: r for r in requests},
        hosts=hosts,
        groups=groups,
        visits=by_id,
        fingerprint=_digest([inputs, board]),
        board=board,
        day_minutes=day_minutes,
        linked=linked,
    )


def current_fingerprint(*, program: Program) -> tuple[str, dict[str, str]]:
    """What `build_instance` would record now: the fingerprint and the board's digests."""
    settings = planning_settings(program=program)
    windows = list(windows_of_program(program=program))
    requests = list(requests_of_program(program=program))
    overrides = list(TravelTime.objects.filter(program=program).order_by("id"))
    board = board_digests(visits=program_board(program=program))
    inputs = inputs_digest(settings=settings, windows=windows, requests=requests, overrides=overrides)
    return _digest([inputs, board]), board


# --- the Propose page ------------------------------------------------------------------------

PAGE_DAY_STARTS = 8 * 60
PAGE_DAY_ENDS = 20 * 60


@dataclass
class GhostBlock:
    title: str
    host: str
    label: str  # "10:00–12:00"
    style: str  # top and height, percent of the day's column
    change: str  # "current", "added", "moved", "unchanged", "moving" (a current visit the proposal moves)
    kind: str = "site_visit"


@dataclass
class GhostCell:
    group: ProjectGroup
    blocks: list[GhostBlock] = field(default_factory=list)


@dataclass
class GhostDay:
    date: date
    cells: list[GhostCell]


def _style(start: datetime, end: datetime) -> str:
    span = PAGE_DAY_ENDS - PAGE_DAY_STARTS
    top = max(PAGE_DAY_STARTS, start.hour * 60 + start.minute)
    bottom = min(PAGE_DAY_ENDS, end.hour * 60 + end.minute if end.date() == start.date() else 24 * 60)
    return f"top: {(top - PAGE_DAY_STARTS) * 100 / span:.3f}%; height: {max(bottom - top, 10) * 100 / span:.3f}%"


def proposal_board(*, program: Program, proposal: Proposal) -> list[GhostDay]:
    """Today's visits and the proposal's, side by side, for each day the proposal places a visit
    on or moves one from: three queries (groups, visits with hosts and bookings, hosts)."""
    tz = program.tzinfo
    groups = list(ProjectGroup.objects.filter(program=program).order_by("name", "id"))
    visits = program_board(program=program)
    hosts = {
        host.pk: host.name
        for host in HostOrganisation.objects.filter(pk__in={row["host"] for row in proposal.visits}).only("id", "name")
    }
    moving = {row["visit"] for row in proposal.visits if row["change"] == "moved" and row["visit"]}
    days: set[date] = set()
    for row in proposal.visits:
        days.add(datetime.fromisoformat(row["starts_at"]).astimezone(tz).date())
    for visit in visits:
        if visit.pk in moving:
            days.add(visit.starts_at.astimezone(tz).date())
    board = {day: {group.pk: GhostCell(group=group) for group in groups} for day in days}
    for visit in visits:
        if visit.status == VisitStatus.CANCELLED:
            continue
        start, end = visit.starts_at.astimezone(tz), visit.ends_at.astimezone(tz)
        for booking in visit.bookings.all():
            cell = board.get(start.date(), {}).get(booking.group_id)
            if cell is not None:
                cell.blocks.append(
                    GhostBlock(
                        title=visit.title,
                        host=visit.host.name if visit.host_id else "",
                        label=f"{start:%H:%M}–{end:%H:%M}",
                        style=_style(start, end),
                        change="moving" if visit.pk in moving else "current",
                        kind=visit.kind,
                    )
                )
    for row in proposal.visits:
        start = datetime.fromisoformat(row["starts_at"]).astimezone(tz)
        end = datetime.fromisoformat(row["ends_at"]).astimezone(tz)
        for group_id in row["groups"]:
            cell = board.get(start.date(), {}).get(group_id)
            if cell is not None:
                cell.blocks.append(
                    GhostBlock(
                        title=row.get("title", ""),
                        host=hosts.get(row["host"], ""),
                        label=f"{start:%H:%M}–{end:%H:%M}",
                        style=_style(start, end),
                        change=row["change"],
                    )
                )
    return [GhostDay(date=day, cells=list(board[day].values())) for day in sorted(days)]


def propose_page(*, program: Program, proposal: Proposal | None) -> dict:
    """What the Propose page shows: windows, requests, the proposal with its ghost board."""
    from .messages import reason_text

    context = {
        "windows": list(windows_of_program(program=program)),
        "requests": list(requests_of_program(program=program)),
        "settings": planning_settings(program=program),
        "proposal": proposal,
        "ghost_days": [],
        "unplaced": [],
        "hours": [f"{hour:02d}:00" for hour in range(PAGE_DAY_STARTS // 60, PAGE_DAY_ENDS // 60)],
    }
    if proposal is not None and proposal.status == "done":
        context["ghost_days"] = proposal_board(program=program, proposal=proposal)
        requests = {r.pk: r for r in context["requests"]}
        context["unplaced"] = [
            {"request": requests.get(row["request"]), "reason": reason_text(row, start=program.start_date)}
            for row in proposal.unplaced
        ]
    return context
