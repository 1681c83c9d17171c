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
