"""Scheduling: every write to hosts and site visits, and the rules they obey.

The rules (DESIGN.md, "Scheduling rules"):
1. a visit ends after it starts, both aware, both within the program's dates;
2. no group is in two non-cancelled visits that overlap in time: checked here
   under a lock on the groups, and refused by PostgreSQL's exclusion
   constraint as the last word when two writers race;
3. the participants attending fit the visit's capacity.
Soft warnings never block and live in `visits.selectors`.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta, tzinfo
from functools import wraps
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from internship_portal.text import refuse_null_characters
from internship_portal.translated import blank_as_null, localized, row_text, translations_of, with_translations
from participants.enums import VisitorField
from participants.models import Participant, ProjectGroup
from participants.tokens import new_access_token
from partners.selectors import webhooks_subscribed
from programs.models import Program
from programs.rules import VISIT_HOST_ASKED_AGAIN, rules_check
from programs.versions import versions_raised_by_caller

from .enums import HOST_NOTE_MAX_LENGTH, MAX_SHIFT_MINUTES, HostStatus, VisitStatus
from .events import visit_event_emit
from .exceptions import Clash, ScheduleConflict, UndoRefused
from .models import BoardAction, HostContact, HostOrganisation, SiteVisit, VisitGroup

# The texts also in each language (`title_ru`, ...: internship_portal.translated).
VISIT_TEXTS = ("title", "agenda", "location", "meeting_point")
VISIT_FIELDS = with_translations(
    ("host", "title", "kind", "agenda", "starts_at", "ends_at", "location", "meeting_point", "status", "capacity"),
    VISIT_TEXTS,
)
# A change to any of these, in any language, is a change a participant's calendar must see.
CALENDAR_FIELDS = with_translations(
    ("host", "title", "agenda", "starts_at", "ends_at", "location", "meeting_point", "status"), VISIT_TEXTS
)

EXCLUSION_VIOLATION = "23P01"
DEADLOCK_DETECTED = "40P01"

T = TypeVar("T")


def _pgcode(exc: Exception) -> str | None:
    return getattr(exc.__cause__, "pgcode", None)


def _retry_deadlock_once(func: Callable[..., T]) -> Callable[..., T]:
    """Run a write once more if PostgreSQL picked it as a deadlock victim.

    Only possible when we own the transaction: inside a caller's atomic block
    the whole transaction is already lost, so the error goes up."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> T:
        try:
            return func(*args, **kwargs)
        except OperationalError as exc:
            if _pgcode(exc) != DEADLOCK_DETECTED or connection.in_atomic_block:
                raise
            return func(*args, **kwargs)

    return wrapper


# --- hosts ---------------------------------------------------------------------

HOST_TEXTS = ("name", "address", "city", "visitor_requirements")
HOST_FIELDS = with_translations(
    (
        "name",
        "kind",
        "address",
        "city",
        "website",
        "latitude",
        "longitude",
        "visitor_requirements",
        "visitor_list_days_ahead",
        "required_visitor_fields",
    ),
    HOST_TEXTS,
)
CONTACT_FIELDS = ("name", "role", "email", "phone", "language")


def _check_fields(fields: dict[str, Any], allowed: Iterable[str]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")


def visitor_fields_clean(value: Any) -> list[str]:
    """`required_visitor_fields` as stored: known names only, each once, in the fixed order of
    `VisitorField`. Fails with ValidationError naming the field and the unknown names."""
    if value is None:
        return []
    if isinstance(value, str) or not isinstance(value, (list, tuple, set)):
        raise ValidationError(
            {"required_visitor_fields": _('Give a list of field names, e.g. ["passport_name", "citizenship"].')}
        )
    names = [str(item) for item in value]
    unknown = sorted(set(names) - set(VisitorField.values))
    if unknown:
        raise ValidationError(
            {
                "required_visitor_fields": _("Unknown visitor fields: %(unknown)s. Choose from: %(known)s.")
                % {"unknown": ", ".join(unknown), "known": ", ".join(VisitorField.values)}
            }
        )
    return [name for name in VisitorField.values if name in names]


def _clean_host_fields(fields: dict[str, Any]) -> dict[str, Any]:
    if "required_visitor_fields" in fields:
        fields["required_visitor_fields"] = visitor_fields_clean(fields["required_visitor_fields"])
    return fields


@transaction.atomic
def host_create(*, contacts: Iterable[dict[str, Any]] = (), **fields: Any) -> HostOrganisation:
    """Add a host organisation with its contacts. Fails on a duplicate name or bad coordinates,
    or with ValidationError naming `required_visitor_fields` when it lists an unknown field."""
    _check_fields(fields, HOST_FIELDS)
    _clean_host_fields(fields)
    host = HostOrganisation(**blank_as_null(fields, "name"))
    host.full_clean()
    host.save()
    host_set_contacts(host=host, contacts=contacts)
    return host


@transaction.atomic
def host_update(
    *, host: HostOrganisation, contacts: Iterable[dict[str, Any]] | None = None, **fields: Any
) -> HostOrganisation:
    """Change a host's details; when `contacts` is given it replaces the contact list.

    A new name or address reaches the itineraries of the upcoming visits there
    (the address only where a visit has no location of its own): each such
    visit's calendar `sequence` is bumped and it counts as updated (pending
    change notices for its program, `visit.updated` webhooks)."""
    _check_fields(fields, HOST_FIELDS)
    _clean_host_fields(fields)
    shown = localized("name", "address")
    before = HostOrganisation.objects.filter(pk=host.pk).values(*shown).first() if host.pk else None
    for name, value in blank_as_null(fields, "name").items():
        setattr(host, name, value)
    host.full_clean()
    host.save()
    if before is not None:
        renamed = any(before[name] != getattr(host, name) for name in localized("name"))
        moved = any(before[name] != getattr(host, name) for name in localized("address"))
        if renamed or moved:
            _host_changed_visits(host=host, renamed=renamed)
    if contacts is not None:
        host_set_contacts(host=host, contacts=contacts)
    return host


def _host_changed_visits(*, host: HostOrganisation, renamed: bool) -> None:
    upcoming = (
        SiteVisit.objects.select_for_update(of=("self",))
        .filter(host=host, ends_at__gt=timezone.now())
        .exclude(status=VisitStatus.CANCELLED)
        .select_related("program", "host")
        .prefetch_related("groups")
        .order_by("pk")
    )
    for visit in upcoming:
        if not renamed and visit.location:
            continue  # the visit's own location is what its participants see
        groups = list(visit.groups.all())
        visit.sequence += 1
        visit._history_extra = {"history_groups": ", ".join(sorted(group.name for group in groups))}
        visit.save(update_fields=["sequence", "updated_at"])  # raises the program's version: notices see it
        visit_event_emit(visit=visit, event="updated")


@transaction.atomic
def host_delete(*, host: HostOrganisation) -> None:
    """Delete a host and its contacts. Fails with ValidationError naming the visits it still has."""
    titles = list(host.visits.order_by("starts_at").values_list("title", flat=True))
    if titles:
        raise ValidationError(
            _("“%(host)s” still has visits: %(visits)s.")
            % {"host": host.name, "visits": ", ".join(f"“{title}”" for title in titles)}
        )
    host.delete()


@transaction.atomic
def contact_create(*, host: HostOrganisation, **fields: Any) -> HostContact:
    """Add a contact to a host. Fails with ValidationError naming the field."""
    _check_fields(fields, CONTACT_FIELDS)
    contact = HostContact(host=host, **fields)
    contact.full_clean()
    contact.save()
    return contact


@transaction.atomic
def contact_update(*, contact: HostContact, **fields: Any) -> HostContact:
    """Change a host contact's name, role, e-mail or phone."""
    _check_fields(fields, CONTACT_FIELDS)
    for name, value in fields.items():
        setattr(contact, name, value)
    contact.full_clean()
    contact.save()
    return contact


@transaction.atomic
def contact_rotate_token(*, contact: HostContact) -> HostContact:
    """Replace the contact's secret token: their old link `/h/<token>/` stops working at once."""
    contact.access_token = new_access_token()
    contact.save(update_fields=["access_token"])
    return contact


@transaction.atomic
def contact_delete(*, contact: HostContact) -> None:
    """Remove a host contact."""
    contact.delete()


@transaction.atomic
def host_set_contacts(*, host: HostOrganisation, contacts: Iterable[dict[str, Any]]) -> list[HostContact]:
    """Replace the host's contacts with these. A contact whose e-mail was already there keeps its
    link (`access_token`): replacing the list is no reason to kill the links already mailed."""
    tokens = {email.casefold(): token for email, token in host.contacts.values_list("email", "access_token") if email}
    host.contacts.all().delete()
    created = []
    for data in contacts:
        _check_fields(data, CONTACT_FIELDS)
        contact = HostContact(host=host, **data)
        token = tokens.pop((contact.email or "").casefold(), None)
        if token:
            contact.access_token = token
        contact.full_clean()
        contact.save()
        created.append(contact)
    return created


# --- visits --------------------------------------------------------------------


def _validate_times(*, program: Program, starts_at: Any, ends_at: Any) -> None:
    errors: dict[str, str] = {}
    for name, value in (("starts_at", starts_at), ("ends_at", ends_at)):
        if not isinstance(value, datetime):
            errors[name] = _("Enter a date and time.")
        elif timezone.is_naive(value):
            errors[name] = _("Give the time zone (an offset such as +05:00); a naive time is ambiguous.")
    if errors:
        raise ValidationError(errors)
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The visit must end after it starts.")})
    first_moment = program.starts_at()
    after_last_moment = program.ends_before()
    if starts_at < first_moment or starts_at >= after_last_moment:
        raise ValidationError(
            {
                "starts_at": _("The visit must lie within the program's dates (%(start)s – %(end)s).")
                % {"start": program.start_date, "end": program.end_date}
            }
        )
    if ends_at > after_last_moment:
        raise ValidationError(
            {
                "ends_at": _("The visit must lie within the program's dates (%(start)s – %(end)s).")
                % {"start": program.start_date, "end": program.end_date}
            }
        )


def _validate_groups(*, program: Program, groups: list[ProjectGroup]) -> None:
    foreign = [group for group in groups if group.program_id != program.pk]
    if foreign:
        raise ValidationError(
            {
                "groups": _("These groups belong to another program: %(names)s.")
                % {"names": ", ".join(map(str, foreign))}
            }
        )


def _validate_capacity(*, visit: SiteVisit, group_ids: list[int]) -> None:
    if visit.capacity is None or not group_ids:
        return
    attending = Participant.objects.filter(group_id__in=group_ids).count()
    if attending > visit.capacity:
        raise ValidationError(
            {
                "capacity": ngettext(
                    "%(attending)d participant attends but the capacity is %(capacity)d.",
                    "%(attending)d participants attend but the capacity is %(capacity)d.",
                    attending,
                )
                % {"attending": attending, "capacity": visit.capacity}
            }
        )


def _clash(row: VisitGroup, tz: tzinfo, *, moved_title: str = "") -> Clash:
    """The existing booking `row` (its visit and group read with it) as a clash, in the program's zone."""
    return Clash(
        visit_id=row.visit_id,
        visit_title=row.visit.title,
        group_id=row.group_id,
        group_name=row.group.name,
        starts_at=row.starts_at.astimezone(tz),
        ends_at=row.ends_at.astimezone(tz),
        moved_title=moved_title,
    )


def _clashes(*, visit: SiteVisit, group_ids: list[int]) -> list[Clash]:
    """Existing non-cancelled bookings of these groups that overlap the visit."""
    rows = (
        VisitGroup.objects.filter(
            group_id__in=group_ids,
            is_cancelled=False,
            starts_at__lt=visit.ends_at,
            ends_at__gt=visit.starts_at,
        )
        .exclude(visit_id=visit.pk)
        .select_related("visit", "group")
        .order_by("starts_at", "visit_id", "group_id")
    )
    tz = visit.program.tzinfo
    return [_clash(row, tz) for row in rows]


def visit_snapshot(*, visit: SiteVisit, group_ids: Iterable[int]) -> dict[str, Any]:
    """What a participant's itinerary shows of a visit: the basis of change notices and webhooks."""
    return {
        "id": visit.pk,
        "title": visit.title,
        "kind": visit.kind,
        "host": visit.host_id,
        "starts_at": visit.starts_at.isoformat(),
        "ends_at": visit.ends_at.isoformat(),
        "location": visit.location,
        "meeting_point": visit.meeting_point,
        "agenda": visit.agenda,
        # Every language's texts: a new Russian title is a change too.
        "i18n": {name: translations_of(visit, name) for name in VISIT_TEXTS},
        "status": visit.status,
        "groups": sorted(group_ids),
    }


def _save_visit(*, visit: SiteVisit, groups: list[ProjectGroup]) -> SiteVisit:
    """Validate and write a visit and its bookings; the caller holds the transaction."""
    program = visit.program
    _validate_times(program=program, starts_at=visit.starts_at, ends_at=visit.ends_at)
    _validate_groups(program=program, groups=groups)
    visit.full_clean(exclude=["program", "starts_at", "ends_at"])
    group_ids = sorted({group.pk for group in groups})
    # Lock the groups in a fixed order before looking for overlaps: two
    # writers booking the same group queue here instead of deadlocking on
    # the exclusion constraint's index.
    list(ProjectGroup.objects.select_for_update().filter(pk__in=group_ids).order_by("pk").values_list("pk", flat=True))
    _validate_capacity(visit=visit, group_ids=group_ids)
    cancelled = visit.status == VisitStatus.CANCELLED
    if not cancelled:
        clashes = _clashes(visit=visit, group_ids=group_ids)
        if clashes:
            raise ScheduleConflict(clashes)
    # The audit trail records the groups beside the visit's own fields.
    visit._history_extra = {"history_groups": ", ".join(sorted(group.name for group in groups))}
    try:
        # The visit's save raises its program's version; its bookings are of that program only.
        with transaction.atomic(), versions_raised_by_caller(VisitGroup):
            visit.save()
            VisitGroup.objects.filter(visit=visit).exclude(group_id__in=group_ids).delete()
            VisitGroup.objects.filter(visit=visit).update(
                starts_at=visit.starts_at, ends_at=visit.ends_at, is_cancelled=cancelled
            )
            existing = set(VisitGroup.objects.filter(visit=visit).values_list("group_id", flat=True))
            VisitGroup.objects.bulk_create(
                VisitGroup(
                    visit=visit,
                    group_id=group_id,
                    starts_at=visit.starts_at,
                    ends_at=visit.ends_at,
                    is_cancelled=cancelled,
                )
                for group_id in group_ids
                if group_id not in existing
            )
    except IntegrityError as exc:
        if _pgcode(exc) != EXCLUSION_VIOLATION:
            raise
        raise ScheduleConflict(_clashes(visit=visit, group_ids=group_ids) or []) from exc
    return visit


@_retry_deadlock_once
@transaction.atomic
def visit_create(*, program: Program, groups: Iterable[ProjectGroup] = (), **fields: Any) -> SiteVisit:
    """Schedule a new visit for these groups.

    Fails with ValidationError (naming the field) on naive or reversed times,
    a time outside the program, a group of another program or too many
    attendees; with ScheduleConflict (naming every clashing visit and group)
    when a group is already booked at that time. Nothing is written on failure."""
    _check_fields(fields, VISIT_FIELDS)
    visit = SiteVisit(program=program, **fields)
    groups = list(groups)
    _save_visit(visit=visit, groups=groups)
    # What follows a write: the program's version rose with the rows (programs.versions), which
    # also marks the change for change notices (notices.services); partner apps are told here.
    visit_event_emit(visit=visit, event="created")
    return visit


@_retry_deadlock_once
@transaction.atomic
def visit_update(*, visit: SiteVisit, groups: Iterable[ProjectGroup] | None = None, **fields: Any) -> SiteVisit:
    """Move, resize, re-staff or otherwise change a visit.

    `groups`, when given, replaces the visit's groups. A change a calendar
    must see (time, place, status, host, title, agenda, groups) bumps the
    visit's `sequence`. A visit the host confirmed whose time or groups change
    goes back to `host_status` requested, and the host is told (the check
    registered for `programs.rules.VISIT_HOST_ASKED_AGAIN`). Fails like
    `visit_create`; nothing is written then."""
    _check_fields(fields, VISIT_FIELDS)
    # Work on a fresh, locked copy so that a stale instance cannot undo
    # another writer's change.
    locked = SiteVisit.objects.select_for_update().select_related("program").get(pk=visit.pk)
    current_group_ids = set(locked.bookings.values_list("group_id", flat=True))
    before = visit_snapshot(visit=locked, group_ids=current_group_ids)
    before_times = (locked.starts_at, locked.ends_at)
    was_cancelled = locked.status == VisitStatus.CANCELLED
    group_list = list(ProjectGroup.objects.filter(pk__in=current_group_ids)) if groups is None else list(groups)
    changed = any(getattr(locked, name) != value for name, value in fields.items() if name in CALENDAR_FIELDS)
    changed = changed or {group.pk for group in group_list} != current_group_ids
    for name, value in fields.items():
        setattr(locked, name, value)
    if changed:
        locked.sequence += 1
    # A host who confirmed one time and set of groups has not confirmed another: ask again.
    moved = locked.starts_at != before_times[0] or locked.ends_at != before_times[1]
    restaffed = {group.pk for group in group_list} != current_group_ids
    asked_again = (
        locked.host_status == HostStatus.CONFIRMED and locked.status != VisitStatus.CANCELLED and (moved or restaffed)
    )
    if asked_again:
        locked.host_status = HostStatus.REQUESTED
        locked.host_requested_at = timezone.now()
        locked.host_answered_at = None
        locked.host_reminded_at = None
    _save_visit(visit=locked, groups=group_list)
    if asked_again:
        # The app that talks to hosts tells them (hosting registers it: programs.rules).
        rules_check(event=VISIT_HOST_ASKED_AGAIN, visit=locked)
    after = visit_snapshot(visit=locked, group_ids=[group.pk for group in group_list])
    if after != before:
        # What follows: the program's version rose with the rows (programs.versions), which also
        # marks the change for change notices (notices.services); partner apps are told here.
        event = "cancelled" if locked.status == VisitStatus.CANCELLED and not was_cancelled else "updated"
        visit_event_emit(visit=locked, event=event)
    # Keep the caller's instance in step with what was written.
    for field in SiteVisit._meta.concrete_fields:
        setattr(visit, field.attname, getattr(locked, field.attname))
    return locked


def visit_cancel(*, visit: SiteVisit) -> SiteVisit:
    """Cancel a visit: it stays in itineraries marked cancelled and frees its groups' time."""
    return visit_update(visit=visit, status=VisitStatus.CANCELLED)


@transaction.atomic
def visit_duplicate(
    *, visit: SiteVisit, starts_at: datetime, groups: Iterable[ProjectGroup] | None = None
) -> SiteVisit:
    """A copy of the visit (host, title, kind, agenda, places, capacity) starting at `starts_at`
    with the same duration, for the same groups or for `groups`. The copy is planned, whatever
    the original's status. Fails like `visit_create`; nothing is written then."""
    if not isinstance(starts_at, datetime):
        raise ValidationError({"starts_at": _("Enter a date and time.")})
    source = SiteVisit.objects.select_related("program", "host").get(pk=visit.pk)
    if groups is None:
        groups = ProjectGroup.objects.filter(bookings__visit=source).order_by("pk")
    fields = {name: getattr(source, name) for name in VISIT_FIELDS if name not in ("starts_at", "ends_at", "status")}
    program = source.program
    try:
        ends_at = starts_at + (source.ends_at - source.starts_at)
    except OverflowError:  # a start at the end of the calendar: far outside any program
        raise ValidationError(
            {
                "starts_at": _("The visit must lie within the program's dates (%(start)s – %(end)s).")
                % {"start": program.start_date, "end": program.end_date}
            }
        ) from None
    return visit_create(
        program=program,
        groups=groups,
        starts_at=starts_at,
        ends_at=ends_at,
        status=VisitStatus.PLANNED,
        **fields,
    )


# --- moving many visits at once -------------------------------------------------------


def _day_bounds(program: Program, day: date) -> tuple[datetime, datetime]:
    tz = program.tzinfo
    return datetime.combine(day, time.min, tzinfo=tz), datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz)


def _shift_clashes(*, moved: list[SiteVisit], group_ids: dict[int, list[int]], delta: timedelta) -> list[Clash]:
    """Every booking NOT moved that a moved visit would overlap at its new time: one query."""
    all_groups = {group_id for ids in group_ids.values() for group_id in ids}
    if not moved or not all_groups:
        return []
    window_start = min(visit.starts_at for visit in moved) + delta
    window_end = max(visit.ends_at for visit in moved) + delta
    rows = (
        VisitGroup.objects.filter(
            group_id__in=all_groups, is_cancelled=False, starts_at__lt=window_end, ends_at__gt=window_start
        )
        .exclude(visit_id__in=[visit.pk for visit in moved])
        .select_related("visit", "group")
        .only("visit_id", "group_id", "starts_at", "ends_at", "visit__title", "group__name")
        .order_by("starts_at", "visit_id", "group_id")
    )
    by_group: dict[int, list[VisitGroup]] = defaultdict(list)
    for row in rows:
        by_group[row.group_id].append(row)
    tz = moved[0].program.tzinfo
    clashes = []
    for visit in sorted(moved, key=lambda v: (v.starts_at, v.pk)):
        new_start, new_end = visit.starts_at + delta, visit.ends_at + delta
        for group_id in group_ids.get(visit.pk, []):
            clashes.extend(
                _clash(row, tz, moved_title=visit.title)
                for row in by_group[group_id]
                if row.starts_at < new_end and row.ends_at > new_start
            )
    return clashes


def _history_rows(*, visits: list[SiteVisit], group_names: dict[int, list[str]]) -> None:
    """The audit trail's "changed" row of each visit written in bulk (a plain save writes them one by one)."""
    from simple_history.models import HistoricalRecords

    from audit.history import describe_actor

    history = SiteVisit.history.model
    actor = describe_actor(getattr(HistoricalRecords.context, "request", None))[:200]
    now = timezone.now()
    history.objects.bulk_create(
        history(
            history_date=now,
            history_user=history.get_default_history_user(visit),
            history_change_reason="",
            history_type="~",
            history_actor=actor,
            history_groups=", ".join(sorted(group_names.get(visit.pk, []))),
            **{field.attname: getattr(visit, field.attname) for field in history.tracked_fields},
        )
        for visit in visits
    )


def _visits_move_by(*, program: Program, visits: list[SiteVisit], delta: timedelta) -> list[SiteVisit]:
    """Move these locked, non-cancelled visits of the program by `delta`, all or none (the caller
    holds the transaction). A fixed number of queries whatever their number."""
    if not visits:
        return []
    for visit in visits:
        visit.program = program
    ids = [visit.pk for visit in visits]
    bookings = list(
        VisitGroup.objects.filter(visit_id__in=ids).values("visit_id", "group_id", *localized("group__name"))
    )
    group_ids: dict[int, list[int]] = defaultdict(list)
    group_names: dict[int, list[str]] = defaultdict(list)
    for row in bookings:
        group_ids[row["visit_id"]].append(row["group_id"])
        group_names[row["visit_id"]].append(row_text(row, "group__name"))
    all_groups = sorted({row["group_id"] for row in bookings})
    # The same lock order as a single visit's write (_save_visit): the groups, by id.
    list(ProjectGroup.objects.select_for_update().filter(pk__in=all_groups).order_by("pk").values_list("pk", flat=True))

    first_moment, after_last_moment = program.starts_at(), program.ends_before()
    outside = [
        visit.title
        for visit in visits
        if visit.starts_at + delta < first_moment or visit.ends_at + delta > after_last_moment
    ]
    if outside:
        raise ValidationError(
            {
                "minutes": _("These visits would fall outside the program's dates (%(start)s – %(end)s): %(visits)s.")
                % {
                    "start": program.start_date,
                    "end": program.end_date,
                    "visits": ", ".join(f"“{title}”" for title in outside),
                }
            }
        )
    clashes = _shift_clashes(moved=visits, group_ids=group_ids, delta=delta)
    if clashes:
        raise ScheduleConflict(clashes)

    now = timezone.now()
    try:
        with transaction.atomic(), versions_raised_by_caller(VisitGroup):
            # One statement each; the visit's update raises the program's version once.
            SiteVisit.objects.filter(pk__in=ids).update(
                starts_at=F("starts_at") + delta,
                ends_at=F("ends_at") + delta,
                sequence=F("sequence") + 1,
                updated_at=now,
            )
            # PostgreSQL checks the exclusion constraint row by row: take the moved bookings out of
            # it first, so that a row moved onto the old time of one not yet moved is no clash.
            VisitGroup.objects.filter(visit_id__in=ids).update(is_cancelled=True)
            VisitGroup.objects.filter(visit_id__in=ids).update(
                starts_at=F("starts_at") + delta, ends_at=F("ends_at") + delta, is_cancelled=False
            )
            # A host who confirmed one time has not confirmed another: ask again (as visit_update does).
            asked_again = [visit for visit in visits if visit.host_status == HostStatus.CONFIRMED]
            if asked_again:
                SiteVisit.objects.filter(pk__in=[visit.pk for visit in asked_again]).update(
                    host_status=HostStatus.REQUESTED,
                    host_requested_at=now,
                    host_answered_at=None,
                    host_reminded_at=None,
                )
    except IntegrityError as exc:
        if _pgcode(exc) != EXCLUSION_VIOLATION:
            raise
        raise ScheduleConflict(_shift_clashes(moved=visits, group_ids=group_ids, delta=delta)) from exc
    for visit in visits:
        visit.starts_at += delta
        visit.ends_at += delta
        visit.sequence += 1
        visit.updated_at = now
    for visit in asked_again:
        visit.host_status = HostStatus.REQUESTED
        visit.host_requested_at, visit.host_answered_at, visit.host_reminded_at = now, None, None
    _history_rows(visits=visits, group_names=group_names)
    for visit in asked_again:
        # The app that talks to hosts tells them (hosting registers it: programs.rules).
        rules_check(event=VISIT_HOST_ASKED_AGAIN, visit=visit)
    # Partner apps are told of each visit as for a move by hand; most programs have no
    # subscriber, and then one query answers for all.
    if webhooks_subscribed(program_id=program.pk, event="visit.updated"):
        for visit in visits:
            visit_event_emit(visit=visit, event="updated")
    return sorted(visits, key=lambda v: (v.starts_at, v.pk))


def _ids(values: Iterable[Any]) -> list[int]:
    return sorted({value.pk if hasattr(value, "pk") else value for value in values})


# --- the host's answer ----------------------------------------------------------------

HOST_FIELDS_WRITTEN = (
    "host_status",
    "host_note",
    "host_proposed_starts_at",
    "host_proposed_ends_at",
    "host_requested_at",
    "host_answered_at",
    "host_reminded_at",
    "updated_at",
)
HOST_ANSWER_EVENTS = {
    HostStatus.CONFIRMED: "host_confirmed",
    HostStatus.DECLINED: "host_declined",
    HostStatus.PROPOSED: "host_proposed",
}


def _lock_for_host(visit: SiteVisit) -> SiteVisit:
    # Only the visit is locked: PostgreSQL cannot lock the nullable side of the join to its host.
    locked = SiteVisit.objects.select_for_update(of=("self",)).select_related("program", "host").get(pk=visit.pk)
    if locked.status == VisitStatus.CANCELLED:
        raise ValidationError({"host_status": _("“%(visit)s” is cancelled.") % {"visit": locked.title}})
    if locked.host_id is None:
        raise ValidationError({"host": _("“%(visit)s” has no host organisation.") % {"visit": locked.title}})
    return locked


def _save_host_fields(*, visit: SiteVisit, locked: SiteVisit) -> SiteVisit:
    groups = sorted(row_text(row, "group__name") for row in locked.bookings.values(*localized("group__name")))
    locked._history_extra = {"history_groups": ", ".join(groups)}
    locked.save(update_fields=HOST_FIELDS_WRITTEN)  # raises the program's version
    for name in HOST_FIELDS_WRITTEN:
        setattr(visit, name, getattr(locked, name))
    return locked


@transaction.atomic
def visit_host_request(*, visit: SiteVisit, now: datetime | None = None) -> SiteVisit:
    """Mark the visit as sent to its host for confirmation (`host_status` requested), clearing an
    earlier answer. Who is told, and how, is the caller's (hosting.services). Fails with
    ValidationError on a cancelled visit or one without a host."""
    locked = _lock_for_host(visit)
    locked.host_status = HostStatus.REQUESTED
    locked.host_requested_at = now or timezone.now()
    locked.host_answered_at = None
    locked.host_reminded_at = None
    locked.host_note = ""
    locked.host_proposed_starts_at = locked.host_proposed_ends_at = None
    return _save_host_fields(visit=visit, locked=locked)


@transaction.atomic
def visit_host_reminded(*, visit: SiteVisit, now: datetime | None = None) -> SiteVisit:
    """Record that the host was reminded of an unanswered request."""
    locked = SiteVisit.objects.select_for_update().get(pk=visit.pk)
    locked.host_reminded_at = now or timezone.now()
    return _save_host_fields(visit=visit, locked=locked)


def _validate_proposal(*, program: Program, starts_at: Any, ends_at: Any) -> None:
    """A proposed time obeys the visit's own rules (aware, ordered, within the program's dates)."""
    try:
        _validate_times(program=program, starts_at=starts_at, ends_at=ends_at)
    except ValidationError as error:
        names = {"starts_at": "host_proposed_starts_at", "ends_at": "host_proposed_ends_at"}
        raise ValidationError(
            {names.get(field, field): messages for field, messages in error.message_dict.items()}
        ) from None


@transaction.atomic
def visit_host_answer(
    *,
    visit: SiteVisit,
    status: str,
    note: str = "",
    proposed_starts_at: datetime | None = None,
    proposed_ends_at: datetime | None = None,
    now: datetime | None = None,
) -> SiteVisit:
    """Record the host's answer: `confirmed`, `declined` (a reason in `note` is required) or
    `proposed` (another time within the program, `proposed_starts_at`/`proposed_ends_at`).

    Emits `visit.host_confirmed`, `visit.host_declined` or `visit.host_proposed`; the answer
    already recorded, given again, changes nothing and emits nothing. Fails with
    ValidationError naming the field (an unknown answer, a decline without a reason, a proposed
    time outside the program or equal to the current one, a note longer than HOST_NOTE_MAX_LENGTH,
    a cancelled visit)."""
    if status not in HOST_ANSWER_EVENTS:
        raise ValidationError({"host_status": _("Answer confirmed, declined or proposed.")})
    refuse_null_characters({"host_note": note})
    locked = _lock_for_host(visit)
    note = (note or "").strip()
    if len(note) > HOST_NOTE_MAX_LENGTH:
        raise ValidationError(
            {"host_note": _("At most %(count)d characters, please.") % {"count": HOST_NOTE_MAX_LENGTH}}
        )
    if status == HostStatus.DECLINED and not note:
        raise ValidationError({"host_note": _("Say why the visit cannot take place.")})
    if status == HostStatus.PROPOSED:
        _validate_proposal(program=locked.program, starts_at=proposed_starts_at, ends_at=proposed_ends_at)
        if (proposed_starts_at, proposed_ends_at) == (locked.starts_at, locked.ends_at):
            raise ValidationError({"host_proposed_starts_at": _("This is the visit's current time: confirm it.")})
    else:
        proposed_starts_at = proposed_ends_at = None
    answer = (status, note, proposed_starts_at, proposed_ends_at)
    if answer == (locked.host_status, locked.host_note, locked.host_proposed_starts_at, locked.host_proposed_ends_at):
        return locked  # the same answer again (a replayed form, a double click): nothing changes, nobody is told
    locked.host_status = status
    locked.host_note = note
    locked.host_proposed_starts_at = proposed_starts_at
    locked.host_proposed_ends_at = proposed_ends_at
    locked.host_answered_at = now or timezone.now()
    if locked.host_requested_at is None:
        locked.host_requested_at = locked.host_answered_at
    _save_host_fields(visit=visit, locked=locked)
    visit_event_emit(visit=locked, event=HOST_ANSWER_EVENTS[status])
    return locked


@_retry_deadlock_once
@transaction.atomic
def visits_shift(
    *,
    program: Program,
    date: date,
    minutes: int,
    groups: Iterable[ProjectGroup] | None = None,
    visits: Iterable[SiteVisit] | None = None,
) -> list[SiteVisit]:
    """Move every non-cancelled visit starting on this local day of the program by `minutes`
    (negative: earlier), or only those booking any of `groups`, or only `visits` (of that day).

    All or nothing: the moved visits are checked together against every visit NOT
    moved (ScheduleConflict naming every clash) and the program's dates
    (ValidationError on `minutes`); nothing is written on failure. Each moved visit's
    calendar `sequence` goes up once; the program's version rises (change notices see
    it); `visit.updated` webhooks go out as for a move by hand. Returns the moved visits."""
    if isinstance(minutes, bool) or not isinstance(minutes, int):
        raise ValidationError({"minutes": _("Give a whole number of minutes.")})
    if minutes == 0:
        raise ValidationError({"minutes": _("Give a number of minutes other than 0.")})
    if abs(minutes) > MAX_SHIFT_MINUTES:
        raise ValidationError(
            {"minutes": _("Shift by at most %(max)d minutes either way.") % {"max": MAX_SHIFT_MINUTES}}
        )
    if isinstance(date, datetime) or not isinstance(date, type(program.start_date)):
        raise ValidationError({"date": _("Enter a date (YYYY-MM-DD).")})
    if not program.start_date <= date <= program.end_date:
        raise ValidationError(
            {
                "date": _("%(day)s is not a day of this program (%(start)s – %(end)s).")
                % {"day": date, "start": program.start_date, "end": program.end_date}
            }
        )
    day_start, day_end = _day_bounds(program, date)
    chosen = (
        SiteVisit.objects.select_for_update(of=("self",))
        .filter(program=program, starts_at__gte=day_start, starts_at__lt=day_end)
        .exclude(status=VisitStatus.CANCELLED)
        .order_by("pk")
    )
    if groups is not None:
        groups = list(groups)
        if not groups:
            raise ValidationError({"groups": _("Choose at least one group, or leave the groups out for all.")})
        _validate_groups(program=program, groups=groups)
        booked = VisitGroup.objects.filter(group_id__in=_ids(groups)).values("visit_id")
        chosen = chosen.filter(pk__in=booked)
    if visits is not None:
        visits = list(visits)
        if not visits:
            raise ValidationError({"visits": _("Choose at least one visit, or leave the visits out for all.")})
        foreign = [visit for visit in visits if visit.program_id != program.pk]
        if foreign:
            raise ValidationError(
                {
                    "visits": _("These visits belong to another program: %(ids)s.")
                    % {"ids": ", ".join(str(visit.pk) for visit in foreign)}
                }
            )
        wanted = _ids(visits)
        chosen = chosen.filter(pk__in=wanted)
    moved = list(chosen)
    if visits is not None:
        missing = sorted(set(wanted) - {visit.pk for visit in moved})
        if missing:
            raise ValidationError(
                {
                    "visits": _("These visits are not visits of %(day)s that can move (or are cancelled): %(ids)s.")
                    % {"day": date, "ids": ", ".join(map(str, missing))}
                }
            )
    return _visits_move_by(program=program, visits=moved, delta=timedelta(minutes=minutes))


# --- the board: what an organiser did last, and its undo ---------------------------------


def _state(visit: SiteVisit, group_ids: Iterable[int]) -> dict[str, Any]:
    return {
        "id": visit.pk,
        "title": visit.title,
        "starts_at": visit.starts_at.isoformat(),
        "ends_at": visit.ends_at.isoformat(),
        "groups": sorted(group_ids),
    }


def _remember(
    *,
    program: Program,
    user: Any,
    kind: str,
    title: str,
    before: list[dict],
    after: Iterable[SiteVisit],
    created_visit: int | None = None,
    minutes: int | None = None,
) -> None:
    BoardAction.objects.update_or_create(
        program=program,
        user=user,
        defaults={
            "kind": kind,
            "title": title[:300],
            "minutes": minutes,
            "before": before,
            "after_sequences": {str(visit.pk): visit.sequence for visit in after},
            "created_visit": created_visit,
        },
    )


@transaction.atomic
def board_visit_move(
    *,
    program: Program,
    user: Any,
    visit: SiteVisit,
    starts_at: datetime,
    ends_at: datetime,
    groups: Iterable[ProjectGroup] | None = None,
) -> SiteVisit:
    """Move or resize a visit from the board (visit_update's rules and failures) and remember
    it as the organiser's last action, to undo."""
    current = list(VisitGroup.objects.filter(visit=visit).values_list("group_id", flat=True))
    before = _state(SiteVisit.objects.get(pk=visit.pk), current)
    moved = visit_update(visit=visit, starts_at=starts_at, ends_at=ends_at, groups=groups)
    after_groups = current if groups is None else [group.pk for group in groups]
    if _state(moved, after_groups) != before:
        _remember(
            program=program,
            user=user,
            kind=BoardAction.Kind.MOVE,
            title=moved.title,
            before=[before],
            after=[moved],
        )
    return moved


@transaction.atomic
def board_visits_shift(
    *,
    program: Program,
    user: Any,
    date: date,
    minutes: int,
    groups: Iterable[ProjectGroup] | None = None,
    visits: Iterable[SiteVisit] | None = None,
) -> list[SiteVisit]:
    """`visits_shift` from the board, remembered as the organiser's last action."""
    moved = visits_shift(program=program, date=date, minutes=minutes, groups=groups, visits=visits)
    if moved:
        delta = timedelta(minutes=minutes)
        before = [
            {
                "id": visit.pk,
                "title": visit.title,
                "starts_at": (visit.starts_at - delta).isoformat(),
                "ends_at": (visit.ends_at - delta).isoformat(),
            }
            for visit in moved
        ]
        _remember(
            program=program,
            user=user,
            kind=BoardAction.Kind.SHIFT,
            title=moved[0].title,
            before=before,
            after=moved,
            minutes=minutes,
        )
    return moved


@transaction.atomic
def board_visit_duplicate(
    *,
    program: Program,
    user: Any,
    visit: SiteVisit,
    starts_at: datetime,
    groups: Iterable[ProjectGroup] | None = None,
) -> SiteVisit:
    """`visit_duplicate` from the board, remembered as the organiser's last action."""
    copy = visit_duplicate(visit=visit, starts_at=starts_at, groups=groups)
    _remember(
        program=program,
        user=user,
        kind=BoardAction.Kind.DUPLICATE,
        title=copy.title,
        before=[],
        after=[copy],
        created_visit=copy.pk,
    )
    return copy


@transaction.atomic
def board_undo(*, program: Program, user: Any) -> str:
    """Undo the organiser's last move, resize, shift or duplicate on this program's board, through
    the same services (and their rules). A copy is cancelled (partner apps are told) and removed.

    Fails with UndoRefused when there is nothing to undo or a visit changed since (its
    calendar sequence moved on), and like the services when the old slot is taken now;
    nothing is written then. Returns what was undone, for the organiser to read."""
    action = BoardAction.objects.select_for_update().filter(program=program, user=user).first()
    if action is None:
        raise UndoRefused(_("There is nothing to undo."))
    ids = [int(pk) for pk in action.after_sequences]
    locked = SiteVisit.objects.select_for_update(of=("self",)).filter(program=program, pk__in=ids)
    current = {visit.pk: visit for visit in locked.order_by("pk")}
    changed = [pk for pk in ids if pk not in current or current[pk].sequence != action.after_sequences[str(pk)]]
    if changed:
        titles = [current[pk].title if pk in current else str(pk) for pk in changed]
        raise UndoRefused(
            _("Cannot undo %(action)s: %(visits)s changed since. Nothing was undone.")
            % {"action": action.label, "visits": ", ".join(f"“{title}”" for title in titles)}
        )
    if action.kind == BoardAction.Kind.MOVE:
        state = action.before[0]
        visit_update(
            visit=current[state["id"]],
            starts_at=datetime.fromisoformat(state["starts_at"]),
            ends_at=datetime.fromisoformat(state["ends_at"]),
            groups=list(ProjectGroup.objects.filter(pk__in=state["groups"]).order_by("pk")),
        )
    elif action.kind == BoardAction.Kind.SHIFT:
        first = action.before[0]
        delta = datetime.fromisoformat(first["starts_at"]) - current[first["id"]].starts_at
        _visits_move_by(program=program, visits=list(current.values()), delta=delta)
    else:
        copy = visit_cancel(visit=current[action.created_visit])
        copy.delete()
    label = action.label
    action.delete()
    return _("Undone: %(action)s.") % {"action": label}


def visit_host_proposal_accept(*, visit: SiteVisit, now: datetime | None = None) -> SiteVisit:
    """Move the visit to the time its host proposed, through the scheduling rules (a clash is
    refused with ScheduleConflict naming it, and nothing changes); the host's answer becomes
    confirmed. Fails with ValidationError when no proposal is pending."""
    locked = _lock_for_host(visit)
    if locked.host_status != HostStatus.PROPOSED or locked.host_proposed_starts_at is None:
        raise ValidationError({"host_status": _("The host has no pending proposal for this visit.")})
    starts_at, ends_at, note = locked.host_proposed_starts_at, locked.host_proposed_ends_at, locked.host_note
    visit_update(visit=locked, starts_at=starts_at, ends_at=ends_at)
    moved = SiteVisit.objects.select_for_update().get(pk=visit.pk)
    moved.host_status = HostStatus.CONFIRMED
    moved.host_note = note
    moved.host_proposed_starts_at = moved.host_proposed_ends_at = None
    moved.host_answered_at = now or timezone.now()
    _save_host_fields(visit=visit, locked=moved)
    for field in SiteVisit._meta.concrete_fields:
        setattr(visit, field.attname, getattr(moved, field.attname))
    visit_event_emit(visit=moved, event=HOST_ANSWER_EVENTS[HostStatus.CONFIRMED])
    return moved


# --- rules of the apps below (registered in VisitsConfig.ready) -------------------------


def program_dates_check(*, program: Program) -> None:
    """A program's new dates must still hold every one of its visits (the field and visits named)."""
    visits = SiteVisit.objects.filter(program=program).order_by("starts_at", "pk")
    early = list(visits.filter(starts_at__lt=program.starts_at()).values_list("title", flat=True))
    late = list(visits.filter(ends_at__gt=program.ends_before()).values_list("title", flat=True))
    errors = {}
    for field, titles in (("start_date", early), ("end_date", late)):
        if titles:
            errors[field] = _("These visits would fall outside the program's dates: %(visits)s. Move them first.") % {
                "visits": ", ".join(f"“{title}”" for title in titles)
            }
    if errors:
        raise ValidationError(errors)


def group_capacity_check(*, group: ProjectGroup, participant: Participant) -> None:
    """A participant may join a group only while its upcoming visits have room for one more."""
    if group.pk is None:
        return
    visits = (
        SiteVisit.objects.filter(bookings__group=group, capacity__isnull=False, ends_at__gt=timezone.now())
        .exclude(status=VisitStatus.CANCELLED)
        .order_by("starts_at", "pk")
    )
    for visit in visits:
        group_ids = visit.bookings.values_list("group_id", flat=True)
        attending = Participant.objects.filter(group_id__in=group_ids).exclude(pk=participant.pk).count() + 1
        if attending > visit.capacity:
            raise ValidationError(
                {
                    "group": _("“%(visit)s” on %(date)s is full (capacity %(capacity)d): no room in “%(group)s”.")
                    % {
                        "visit": visit.title,
                        "date": f"{visit.starts_at.astimezone(group.program.tzinfo):%d.%m.%Y}",
                        "capacity": visit.capacity,
                        "group": group.name,
                    }
                }
            )


def group_delete_check(*, group: ProjectGroup) -> None:
    """A group still booked into visits cannot go (its visits would silently lose it)."""
    rows = group.bookings.order_by("starts_at").values(*localized("visit__title"))
    titles = [row_text(row, "visit__title") for row in rows]
    if titles:
        raise ValidationError(
            _("Group “%(group)s” is booked into visits: %(visits)s. Remove it from them first.")
            % {"group": group.name, "visits": ", ".join(f"“{title}”" for title in titles)}
        )
