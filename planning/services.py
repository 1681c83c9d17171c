"""The proposer's writes: host windows, visit requests, travel times, day rules, proposals.

A proposal is queued (`proposal_create`), solved by a Celery task on the `planning` queue
(`proposal_run`), checked by the scheduling service's own rules before anyone sees it (its
visits are written through visits.services inside a transaction that is always rolled back,
then read back for soft warnings), and applied (`proposal_apply`) through the same services
in one transaction, refused with 409 when the board or the inputs changed since it was
computed.
"""

import csv
import io
import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from internship_portal.errors import Conflict
from participants.importing import ImportFileError, _decode_csv, upload_check_size
from participants.models import ProjectGroup
from programs.models import Program
from visits.enums import VisitKind, VisitStatus
from visits.exceptions import ScheduleConflict
from visits.models import HostOrganisation, SiteVisit
from visits.selectors import visits_of_program, visits_warnings
from visits.services import visit_create, visit_update

from . import reasons as reasons_module
from . import solver
from .enums import Priority, ProposalStatus
from .models import MINUTES_A_DAY, HostWindow, PlanningSettings, Proposal, TravelTime, VisitRequest
from .selectors import Built, build_instance, current_fingerprint, planning_settings

logger = logging.getLogger(__name__)

MAX_IMPORT_ROWS = 2000


class ProposalStale(Conflict):
    """The board or the proposer's inputs changed since the proposal was computed."""

    def __init__(self, message: str, conflicts: list[dict] | None = None):
        self.conflicts = conflicts or []
        super().__init__(message)

    def details(self) -> dict:
        return {"conflicts": self.conflicts}


class ProposalNotReady(Conflict):
    """The proposal is still being computed, or failed."""


class ProposalInProgress(Conflict):
    """Another proposal of the program is queued or being solved."""

    def __init__(self, message: str, proposal_id: int):
        self.proposal_id = proposal_id
        super().__init__(message)

    def details(self) -> dict:
        return {"proposal": self.proposal_id}


# A proposal still queued or running this long after it was asked for was lost (a worker that
# died mid-solve leaves it so): it no longer holds back the program's next one.
PROPOSAL_LOST_AFTER = timedelta(minutes=30)


# --- settings ----------------------------------------------------------------------------

SETTINGS_FIELDS = (
    "academy",
    "day_starts",
    "day_ends",
    "lunch_minutes",
    "lunch_earliest",
    "lunch_latest",
    "max_visits_per_day",
    "speed_kmh",
    "overhead_minutes",
)


def _check_fields(fields: dict[str, Any], allowed) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")


@transaction.atomic
def planning_settings_update(*, program: Program, **fields: Any) -> PlanningSettings:
    """Set the program's day rules and travel settings. Fails with ValidationError naming the field."""
    _check_fields(fields, SETTINGS_FIELDS)
    row = PlanningSettings.objects.filter(program=program).first() or PlanningSettings(program=program)
    for name, value in fields.items():
        setattr(row, name, value)
    row.full_clean(exclude=["program"])
    if row.day_ends <= row.day_starts:
        raise ValidationError({"day_ends": _("The day must end after it starts.")})
    if row.lunch_latest <= row.lunch_earliest:
        raise ValidationError({"lunch_latest": _("The lunch window must end after it starts.")})
    row.save()
    return row


def _day_minutes(program: Program) -> int:
    rules = planning_settings(program=program)
    return (rules.day_ends.hour * 60 + rules.day_ends.minute) - (rules.day_starts.hour * 60 + rules.day_starts.minute)


# --- host windows -----------------------------------------------------------------------

WINDOW_FIELDS = ("host", "starts_at", "ends_at", "capacity")


def _validate_window(window: HostWindow) -> None:
    program = window.program
    errors: dict[str, str] = {}
    for name in ("starts_at", "ends_at"):
        value = getattr(window, name)
        if not isinstance(value, datetime):
            errors[name] = _("Enter a date and time.")
        elif timezone.is_naive(value):
            errors[name] = _("Give the time zone (an offset such as +05:00); a naive time is ambiguous.")
    if errors:
        raise ValidationError(errors)
    if window.ends_at <= window.starts_at:
        raise ValidationError({"ends_at": _("The window must end after it starts.")})
    dates = {"start": program.start_date, "end": program.end_date}
    if window.starts_at < program.starts_at() or window.starts_at >= program.ends_before():
        raise ValidationError(
            {"starts_at": _("The window must lie within the program's dates (%(start)s – %(end)s).") % dates}
        )
    if window.ends_at > program.ends_before():
        raise ValidationError(
            {"ends_at": _("The window must lie within the program's dates (%(start)s – %(end)s).") % dates}
        )
    if not isinstance(window.capacity, int) or isinstance(window.capacity, bool) or not 1 <= window.capacity <= 100:
        raise ValidationError({"capacity": _("Give the number of groups the host receives at once, from 1 to 100.")})
    if not isinstance(window.host, HostOrganisation):
        raise ValidationError({"host": _("Choose a host organisation.")})
    overlapping = (
        HostWindow.objects.filter(
            program=program, host=window.host, starts_at__lt=window.ends_at, ends_at__gt=window.starts_at
        )
        .exclude(pk=window.pk)
        .order_by("starts_at")
        .first()
    )
    if overlapping is not None:
        tz = program.tzinfo
        raise ValidationError(
            {
                "starts_at": _("%(host)s already has a window %(start)s–%(end)s that overlaps this one.")
                % {
                    "host": window.host.name,
                    "start": f"{overlapping.starts_at.astimezone(tz):%Y-%m-%d %H:%M}",
                    "end": f"{overlapping.ends_at.astimezone(tz):%H:%M}",
                }
            }
        )


@transaction.atomic
def window_create(*, program: Program, **fields: Any) -> HostWindow:
    """Say when a host can receive groups of this program, and how many at once.

    Fails with ValidationError naming the field: naive or reversed times, outside the
    program's dates, capacity below 1, overlapping another window of the same host."""
    _check_fields(fields, WINDOW_FIELDS)
    fields.setdefault("capacity", 1)
    window = HostWindow(program=program, **fields)
    _validate_window(window)
    window.save()
    return window


@transaction.atomic
def window_update(*, window: HostWindow, **fields: Any) -> HostWindow:
    """Change a host window; fails like `window_create`."""
    _check_fields(fields, WINDOW_FIELDS)
    for name, value in fields.items():
        setattr(window, name, value)
    _validate_window(window)
    window.save()
    return window


@transaction.atomic
def window_delete(*, window: HostWindow) -> None:
    """Remove a host window (visits already on the board stay where they are)."""
    window.delete()


# --- visit requests -----------------------------------------------------------------------

REQUEST_FIELDS = ("groups", "host", "duration_minutes", "priority", "title", "not_before", "not_after")


def _validate_request(request: VisitRequest, groups: list[ProjectGroup]) -> None:
    program = request.program
    if not groups:
        raise ValidationError({"groups": _("Choose at least one group.")})
    foreign = [group for group in groups if group.program_id != program.pk]
    if foreign:
        raise ValidationError(
            {
                "groups": _("These groups belong to another program: %(names)s.")
                % {"names": ", ".join(map(str, foreign))}
            }
        )
    if not isinstance(request.host, HostOrganisation):
        raise ValidationError({"host": _("Choose a host organisation.")})
    duration = request.duration_minutes
    if not isinstance(duration, int) or isinstance(duration, bool) or duration < 1:
        raise ValidationError({"duration_minutes": _("Give the visit's length in minutes, more than 0.")})
    day = _day_minutes(program)
    if duration > day:
        raise ValidationError(
            {
                "duration_minutes": _("The visit is longer than the group's day (%(minutes)d minutes).")
                % {"minutes": day}
            }
        )
    if request.priority not in Priority.values:
        raise ValidationError({"priority": _("Choose “must” or “should”.")})
    for name in ("not_before", "not_after"):
        value = getattr(request, name)
        if value is None:
            continue
        if not isinstance(value, date) or isinstance(value, datetime):
            raise ValidationError({name: _("Enter a date (YYYY-MM-DD).")})
        if not program.start_date <= value <= program.end_date:
            raise ValidationError(
                {
                    name: _("The date must lie within the program's dates (%(start)s – %(end)s).")
                    % {"start": program.start_date, "end": program.end_date}
                }
            )
    if request.not_before and request.not_after and request.not_after < request.not_before:
        raise ValidationError({"not_after": _("“Not after” must not come before “not before”.")})
    request.full_clean(exclude=["program", "host", "groups", "visit"])


@transaction.atomic
def request_create(*, program: Program, groups: list[ProjectGroup], **fields: Any) -> VisitRequest:
    """Ask for a visit of these groups to a host (must or should, optionally between dates).

    Fails with ValidationError naming the field: no group or a group of another program,
    a length of 0 or longer than the group's day, dates outside the program or reversed."""
    _check_fields(fields, REQUEST_FIELDS)
    groups = list(groups)
    fields.setdefault("priority", Priority.MUST)
    request = VisitRequest(program=program, **fields)
    _validate_request(request, groups)
    request.save()
    request.groups.set(groups)
    return request


@transaction.atomic
def request_update(*, request: VisitRequest, groups: list[ProjectGroup] | None = None, **fields: Any) -> VisitRequest:
    """Change a visit request; `groups`, when given, replaces its groups. Fails like `request_create`."""
    _check_fields(fields, REQUEST_FIELDS)
    for name, value in fields.items():
        setattr(request, name, value)
    group_list = list(request.groups.all()) if groups is None else list(groups)
    _validate_request(request, group_list)
    request.save()
    if groups is not None:
        request.groups.set(group_list)
    return request


@transaction.atomic
def request_link_visit(*, request: VisitRequest, visit: SiteVisit | None) -> VisitRequest:
    """Record the visit a request is on the board as: a re-plan moves it instead of adding another."""
    if visit is not None and visit.program_id != request.program_id:
        raise ValidationError({"visit": _("The visit belongs to another program.")})
    request.visit = visit
    request.save(update_fields=["visit"])
    return request


@transaction.atomic
def request_delete(*, request: VisitRequest) -> None:
    """Withdraw a visit request (the visit it was applied as, if any, stays on the board)."""
    request.delete()


# --- travel times -------------------------------------------------------------------------


@transaction.atomic
def travel_time_set(
    *, program: Program, origin: HostOrganisation, destination: HostOrganisation, minutes: int
) -> TravelTime:
    """The organiser's travel time between two hosts (the academy is a host), replacing the derived one."""
    if origin == destination:
        raise ValidationError({"destination": _("Choose two different places.")})
    if not isinstance(minutes, int) or not 0 <= minutes <= MINUTES_A_DAY:
        raise ValidationError({"minutes": _("Give the travel time in minutes, from 0 to 1440.")})
    row, _created = TravelTime.objects.update_or_create(
        program=program, origin=origin, destination=destination, defaults={"minutes": minutes}
    )
    return row


@transaction.atomic
def travel_time_delete(*, travel_time: TravelTime) -> None:
    travel_time.delete()


# --- CSV import ---------------------------------------------------------------------------


@dataclass
class ImportOutcome:
    created: int = 0
    errors: list[dict] = field(default_factory=list)  # {"row", "column", "message"}


WINDOW_COLUMNS = ("host", "date", "start", "end", "capacity")
REQUEST_COLUMNS = ("groups", "host", "duration_minutes", "priority", "title", "not_before", "not_after")


def _delimiter(text: str, columns: tuple[str, ...]) -> str:
    """The delimiter that makes the first row name the most of these columns (a comma on a tie)."""
    first_line = text.split("\n", 1)[0]

    def known(delimiter: str) -> int:
        names = next(csv.reader([first_line], delimiter=delimiter), [])
        return sum(1 for name in names if name.strip().lower() in columns)

    return max((",", ";", "\t"), key=known)


def _read_rows(content: bytes, required: tuple[str, ...], columns: tuple[str, ...]) -> list[dict[str, str]]:
    """The rows of an uploaded CSV file (the participants import's decoding: UTF-8 with or without
    BOM, Windows-1251; comma, semicolon or tab), each with its number in the file under `_row`."""
    upload_check_size(size=len(content))
    text = _decode_csv(content)
    try:
        table = list(csv.reader(io.StringIO(text), delimiter=_delimiter(text, columns)))
    except csv.Error as exc:
        raise ImportFileError(_("The CSV file is malformed: %(error)s") % {"error": exc}) from None
    if not table:
        raise ImportFileError(_("The file is empty."))
    header = [cell.strip().lower().replace(" ", "_") for cell in table[0]]
    missing = [name for name in required if name not in header]
    if missing:
        raise ImportFileError(
            _("The first row must name the columns; missing: %(missing)s.") % {"missing": ", ".join(missing)}
        )
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(rows) >= MAX_IMPORT_ROWS:
            raise ImportFileError(_("The file has more than %(max)d rows; split it.") % {"max": MAX_IMPORT_ROWS})
        row = {name: (cells[index].strip() if index < len(cells) else "") for index, name in enumerate(header)}
        row["_row"] = number
        rows.append(row)
    return rows


def _parsed_date(value: str) -> date | None:
    try:
        return parse_date(value.strip()) if value.strip() else None
    except ValueError:
        return None


def _parsed_time(day: date, value: str) -> datetime | None:
    """The local wall-clock time on `day`; None if unreadable or carrying an offset (the columns
    are the program's local times: an offset would be dropped, and 13:00Z read as 13:00 there)."""
    try:
        moment = parse_datetime(f"{day.isoformat()}T{value.strip()}") if value.strip() else None
    except ValueError:
        return None
    return moment if moment is not None and moment.tzinfo is None else None


def _whole_number(value: str) -> int | None:
    """A count typed in ASCII digits ("²" is a digit to str.isdigit(), but no number to int();
    past 18 digits int() may refuse the length, and no count or id of ours is that long)."""
    value = value.strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 18 else None


def _host_named(value: str, hosts: dict[str, HostOrganisation]) -> HostOrganisation | None:
    value = value.strip()
    number = _whole_number(value)
    if number is not None:
        return next((host for host in hosts.values() if host.pk == number), None)
    return hosts.get(value.casefold())


def _import(program: Program, rows: list[dict], write) -> ImportOutcome:
    """Write every row through `write(row) -> None`; nothing at all when any row fails."""
    outcome = ImportOutcome()
    sid = transaction.savepoint()
    for row in rows:
        inner = transaction.savepoint()
        try:
            write(row)
            transaction.savepoint_commit(inner)
            outcome.created += 1
        except ValidationError as exc:
            transaction.savepoint_rollback(inner)
            for column, messages in exc.message_dict.items() if hasattr(exc, "error_dict") else [("", exc.messages)]:
                outcome.errors.append({"row": row["_row"], "column": column, "message": " ".join(messages)})
    if outcome.errors:
        transaction.savepoint_rollback(sid)
        outcome.created = 0
    else:
        transaction.savepoint_commit(sid)
    return outcome


@transaction.atomic
def windows_import(*, program: Program, content: bytes) -> ImportOutcome:
    """Host windows from CSV: `host` (name or id), `date` (YYYY-MM-DD), `start`, `end` (HH:MM, local)
    and optionally `capacity`. All rows or none; each error names its row and column."""
    rows = _read_rows(content, ("host", "date", "start", "end"), WINDOW_COLUMNS)
    hosts = {host.name.casefold(): host for host in HostOrganisation.objects.all()}
    tz = program.tzinfo

    def write(row):
        host = _host_named(row["host"], hosts)
        if host is None:
            raise ValidationError({"host": _("No host organisation named “%(name)s”.") % {"name": row["host"]}})
        day = _parsed_date(row["date"])
        if day is None:
            raise ValidationError({"date": _("Enter a date (YYYY-MM-DD).")})
        times = {}
        for column in ("start", "end"):
            moment = _parsed_time(day, row[column])
            if moment is None:
                raise ValidationError({column: _("Enter a time (HH:MM).")})
            times[column] = moment.replace(tzinfo=tz)
        capacity = _whole_number(row.get("capacity", "") or "1")
        if capacity is None:
            raise ValidationError({"capacity": _("Give a whole number of groups.")})
        window_create(program=program, host=host, starts_at=times["start"], ends_at=times["end"], capacity=capacity)

    return _import(program, rows, write)


@transaction.atomic
def requests_import(*, program: Program, content: bytes) -> ImportOutcome:
    """Visit requests from CSV: `groups` (names or ids separated by `;` or `|`), `host`, `duration_minutes`,
    and optionally `priority`, `title`, `not_before`, `not_after`. All rows or none."""
    rows = _read_rows(content, ("groups", "host", "duration_minutes"), REQUEST_COLUMNS)
    hosts = {host.name.casefold(): host for host in HostOrganisation.objects.all()}
    groups = {group.name.casefold(): group for group in ProjectGroup.objects.filter(program=program)}
    by_id = {str(group.pk): group for group in groups.values()}

    def write(row):
        host = _host_named(row["host"], hosts)
        if host is None:
            raise ValidationError({"host": _("No host organisation named “%(name)s”.") % {"name": row["host"]}})
        chosen = []
        for name in [part.strip() for part in row["groups"].replace("|", ";").split(";") if part.strip()]:
            group = by_id.get(name) or groups.get(name.casefold())
            if group is None:
                raise ValidationError({"groups": _("No group named “%(name)s” in this program.") % {"name": name}})
            chosen.append(group)
        duration = _whole_number(row["duration_minutes"])
        if duration is None:
            raise ValidationError({"duration_minutes": _("Give the visit's length in minutes, more than 0.")})
        fields: dict[str, Any] = {"host": host, "duration_minutes": duration}
        priority = (row.get("priority") or "must").strip().lower()
        if priority not in Priority.values:
            raise ValidationError({"priority": _("Choose “must” or “should”.")})
        fields["priority"] = priority
        fields["title"] = row.get("title", "")
        for column in ("not_before", "not_after"):
            if row.get(column):
                value = _parsed_date(row[column])
                if value is None:
                    raise ValidationError({column: _("Enter a date (YYYY-MM-DD).")})
                fields[column] = value
        request_create(program=program, groups=chosen, **fields)

    return _import(program, rows, write)


# --- proposals ----------------------------------------------------------------------------


def time_limit_bounds() -> tuple[int, int]:
    return 1, int(getattr(django_settings, "PLANNING_TIME_LIMIT_MAX", 120))


@transaction.atomic
def proposal_create(
    *,
    program: Program,
    time_limit_seconds: int | None = None,
    keep_existing: bool = False,
    user=None,
    enqueue: bool = True,
) -> Proposal:
    """Queue a proposal for this program; the `planning` queue's worker solves it (in-process on
    the embedded default, after this transaction commits). Fails with ValidationError naming
    `time_limit_seconds` outside the bounds, and with ProposalInProgress while another proposal
    of the program is queued or running (one at a time: the planner's queue is shared).
    `enqueue=False`: the caller runs it (the command)."""
    low, high = time_limit_bounds()
    if time_limit_seconds is None:
        time_limit_seconds = int(getattr(django_settings, "PLANNING_TIME_LIMIT_DEFAULT", 10))
    if not isinstance(time_limit_seconds, int) or not low <= time_limit_seconds <= high:
        raise ValidationError(
            {
                "time_limit_seconds": _("Give a time limit from %(low)d to %(high)d seconds.")
                % {"low": low, "high": high}
            }
        )
    Program.objects.select_for_update().filter(pk=program.pk).first()  # two requests at once: one waits
    unfinished = (
        Proposal.objects.filter(
            program=program,
            status__in=(ProposalStatus.QUEUED, ProposalStatus.RUNNING),
            created_at__gte=timezone.now() - PROPOSAL_LOST_AFTER,
        )
        .order_by("created_at", "id")
        .first()
    )
    if unfinished is not None:
        raise ProposalInProgress(
            _("Proposal %(id)s for this program is still being made; wait for it to finish.") % {"id": unfinished.pk},
            unfinished.pk,
        )
    proposal = Proposal.objects.create(
        program=program,
        time_limit_seconds=time_limit_seconds,
        keep_existing=bool(keep_existing),
        # An API client's principal is no login: only a user of the portal is recorded.
        created_by=user if isinstance(user, get_user_model()) else None,
    )
    if enqueue:
        transaction.on_commit(lambda: _enqueue(proposal.pk))
    return proposal


def _enqueue(proposal_id: int) -> None:
    from .tasks import task_run_proposal

    try:
        task_run_proposal.delay(proposal_id=proposal_id)
    except Exception:  # a broker that is down: say so on the proposal rather than wait forever
        logger.exception("could not queue proposal %s", proposal_id)
        Proposal.objects.filter(pk=proposal_id, status=ProposalStatus.QUEUED).update(
            status=ProposalStatus.FAILED, error="The planning queue cannot be reached; try again later."
        )


def proposal_run(*, proposal_id: int) -> Proposal | None:
    """Solve a queued proposal and record its answer (done) or what went wrong (failed).

    Idempotent: a proposal that is no longer queued is left alone (a redelivered task)."""
    claimed = Proposal.objects.filter(pk=proposal_id, status=ProposalStatus.QUEUED).update(
        status=ProposalStatus.RUNNING
    )
    if not claimed:
        return None
    proposal = Proposal.objects.select_related("program").get(pk=proposal_id)
    try:
        answer = _solve(proposal)
    except Exception as exc:
        logger.exception("proposal %s failed", proposal_id)
        Proposal.objects.filter(pk=proposal_id).update(
            status=ProposalStatus.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
    else:
        Proposal.objects.filter(pk=proposal_id).update(
            status=ProposalStatus.DONE, finished_at=timezone.now(), error="", **answer
        )
    proposal.refresh_from_db()
    return proposal


def _solve(proposal: Proposal) -> dict:
    program = proposal.program
    built = build_instance(program=program, keep_existing=proposal.keep_existing)
    workers = int(getattr(django_settings, "PLANNING_SOLVER_WORKERS", 2))
    result = solver.solve(built.instance, time_limit=proposal.time_limit_seconds, workers=workers)
    if not result.feasible:
        raise RuntimeError(
            _("The solver found no proposal within %(seconds)d seconds (%(status)s); give it more time.")
            % {"seconds": proposal.time_limit_seconds, "status": result.status}
        )
    visits = _proposed_visits(built, result)
    unplaced = _unplaced(built, result)
    warnings = _check_with_scheduling_rules(built, visits)
    musts = [r for r in built.instance.requests if r.must]
    shoulds = [r for r in built.instance.requests if not r.must]
    stats = {
        "solver_status": result.status,
        "solve_seconds": round(result.seconds, 3),
        "objective": result.objective,
        "best_bound": result.bound,
        "gap": round(result.gap_ratio(), 6),
        "requests": len(built.instance.requests),
        "musts": len(musts),
        "musts_placed": sum(1 for r in musts if r.id in result.placements),
        "shoulds": len(shoulds),
        "shoulds_placed": sum(1 for r in shoulds if r.id in result.placements),
        "travel_minutes": result.travel_minutes,
        "visits_added": sum(1 for v in visits if v["change"] == "added"),
        "visits_moved": sum(1 for v in visits if v["change"] == "moved"),
        "visits_unchanged": sum(1 for v in visits if v["change"] == "unchanged"),
        "warnings": warnings,
    }
    return {
        "visits": visits,
        "unplaced": unplaced,
        "stats": stats,
        "fingerprint": built.fingerprint,
        "board": built.board,
    }


def _proposed_visits(built: Built, result: solver.Solution) -> list[dict]:
    rows = []
    for request_id, placement in sorted(result.placements.items(), key=lambda item: (item[1].start, item[0])):
        request = built.requests[request_id]
        groups = sorted(group.pk for group in request.groups.all())
        starts_at, ends_at = built.moment(placement.start), built.moment(placement.end)
        visit_id = built.linked.get(request_id)
        change = "added"
        if visit_id is not None:
            current = built.visits[visit_id]
            same = (
                current.starts_at == starts_at
                and current.ends_at == ends_at
                and current.host_id == request.host_id
                and sorted(b.group_id for b in current.bookings.all()) == groups
            )
            change = "unchanged" if same else "moved"
        rows.append(
            {
                "request": request_id,
                "groups": groups,
                "host": request.host_id,
                "starts_at": starts_at.isoformat(),
                "ends_at": ends_at.isoformat(),
                "title": request.title or request.host.name,
                "visit": visit_id,
                "change": change,
            }
        )
    return rows


def _unplaced(built: Built, result: solver.Solution) -> list[dict]:
    found = reasons_module.explain(built.instance, result)
    rows = []
    for request_id, reason in found.items():
        request = built.requests[request_id]
        reason = dict(reason)
        reason["host_name"] = request.host.name
        group_ids = reason.get("groups") or [g.pk for g in request.groups.all()]
        reason["group_names"] = [built.groups[g].name for g in group_ids if g in built.groups]
        if "group" in reason and reason["group"] in built.groups:
            reason["group_name"] = built.groups[reason["group"]].name
        reason["host"] = request.host_id
        rows.append({"request": request_id, "priority": request.priority, **reason})
    return rows


class _DryRun(Exception):
    pass


def _check_with_scheduling_rules(built: Built, visits: list[dict]) -> list[dict]:
    """Write the proposal through the scheduling service in a transaction that is always rolled
    back: a clash, a time outside the program or too many attendees fails the proposal (a solver
    bug can never be offered); the soft warnings of the written visits are returned."""
    warnings: list[dict] = []
    try:
        with transaction.atomic():
            ids = _write(program=built.program, visits=visits)
            written = list(visits_of_program(program=built.program).filter(pk__in=ids))
            for visit_id, found in visits_warnings(visits=written).items():
                warnings.extend({"visit": visit_id, **warning.as_dict()} for warning in found)
            raise _DryRun
    except _DryRun:
        pass
    except (ScheduleConflict, ValidationError) as exc:
        raise RuntimeError(_("The proposal breaks a scheduling rule: %(error)s") % {"error": _error_text(exc)}) from exc
    return warnings


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(exc.messages)
    return str(exc)


def _write(*, program: Program, visits: list[dict]) -> list[int]:
    """Create or move the proposal's visits through visits.services; the caller holds the
    transaction. Moves are retried in later passes when a visit still stands in the way (two
    visits swapping places); a clash that no order resolves goes up."""
    requests = {
        r.pk: r for r in VisitRequest.objects.filter(program=program).select_related("host").prefetch_related("groups")
    }
    groups = {group.pk: group for group in ProjectGroup.objects.filter(program=program)}
    ids: dict[int, int] = {}
    pending = []
    for row in visits:
        if row["change"] == "unchanged":
            ids[row["request"]] = row["visit"]
        else:
            pending.append(row)
    parked_ids: set[int] = set()
    while pending:
        failed, last_error = [], None
        for row in pending:
            try:
                with transaction.atomic():
                    ids[row["request"]] = _write_one(program, row, requests[row["request"]], groups)
            except ScheduleConflict as exc:
                failed.append(row)
                last_error = exc
        if len(failed) == len(pending):
            # Visits that swap places stand in each other's way whatever the order: take one of
            # them off its groups' time for a moment (its final write puts the groups back).
            parked = next((row for row in failed if row["visit"] and row["visit"] not in parked_ids), None)
            if parked is None:
                raise last_error
            parked_ids.add(parked["visit"])
            visit_update(visit=SiteVisit.objects.get(pk=parked["visit"], program=program), groups=[])
        pending = failed
    return [ids[row["request"]] for row in visits]


def _write_one(program: Program, row: dict, request: VisitRequest, groups: dict[int, ProjectGroup]) -> int:
    fields = {
        "host": request.host,
        "starts_at": datetime.fromisoformat(row["starts_at"]),
        "ends_at": datetime.fromisoformat(row["ends_at"]),
    }
    group_list = [groups[g] for g in row["groups"]]
    if row["visit"]:
        visit = SiteVisit.objects.get(pk=row["visit"], program=program)
        visit_update(visit=visit, groups=group_list, **fields)
        return visit.pk
    visit = visit_create(
        program=program,
        groups=group_list,
        title=row.get("title") or request.title or request.host.name,
        kind=VisitKind.SITE_VISIT,
        status=VisitStatus.PLANNED,
        **fields,
    )
    request_link_visit(request=request, visit=visit)
    return visit.pk


def _board_changes(before: dict[str, str], after: dict[str, str]) -> list[dict]:
    changes = []
    for visit_id in sorted(set(before) | set(after), key=int):
        if visit_id not in after:
            changes.append({"visit": int(visit_id), "change": "removed"})
        elif visit_id not in before:
            changes.append({"visit": int(visit_id), "change": "added"})
        elif before[visit_id] != after[visit_id]:
            changes.append({"visit": int(visit_id), "change": "changed"})
    return changes


@transaction.atomic
def proposal_apply(*, proposal: Proposal) -> list[int]:
    """Put a done proposal on the board: create or move its visits through visits.services in
    one transaction (webhooks and change notices as for manual edits). Returns the ids of the
    proposal's visits, in the proposal's order.

    Fails with ProposalNotReady (409) before it is done; with ProposalStale (409, naming the
    visits that changed) when it was applied already or the board or the proposer's inputs
    changed since it was computed, or when a scheduling rule refuses a visit. Nothing is
    written on failure."""
    # One applier at a time per program: the check and the writes see the same board.
    Program.objects.select_for_update().filter(pk=proposal.program_id).values_list("pk", flat=True).first()
    locked = Proposal.objects.select_for_update().select_related("program").get(pk=proposal.pk)
    if locked.status != ProposalStatus.DONE:
        raise ProposalNotReady(_("The proposal is not ready (%(status)s).") % {"status": locked.get_status_display()})
    if locked.applied_at is not None:
        raise ProposalStale(_("The proposal was applied already; run a new one."))
    fingerprint, board = current_fingerprint(program=locked.program)
    if fingerprint != locked.fingerprint:
        changes = _board_changes(locked.board, board)
        message = (
            _("The board changed since the proposal was computed; run a new one.")
            if changes
            else _(
                "The host windows, visit requests or day rules changed since the proposal was computed; run a new one."
            )
        )
        raise ProposalStale(message, changes)
    try:
        ids = _write(program=locked.program, visits=locked.visits)
    except ScheduleConflict as exc:
        raise ProposalStale(exc.message, [clash.as_dict() for clash in exc.clashes]) from exc
    except ValidationError as exc:
        raise ProposalStale(_error_text(exc)) from exc
    locked.applied_at = timezone.now()
    locked.save(update_fields=["applied_at"])
    proposal.applied_at = locked.applied_at
    return ids


@transaction.atomic
def proposal_discard(*, proposal: Proposal) -> None:
    """Forget a proposal (nothing on the board changes)."""
    proposal.delete()
