"""Scheduling: every write to hosts and site visits, and the rules they obey.

The rules (DESIGN.md, "Scheduling rules"):
1. a visit ends after it starts, both aware, both within the program's dates;
2. no group is in two non-cancelled visits that overlap in time: checked here
   under a lock on the groups, and refused by PostgreSQL's exclusion
   constraint as the last word when two writers race;
3. the participants attending fit the visit's capacity.
Soft warnings never block and live in `visits.selectors`.
"""

from collections.abc import Callable, Iterable
from datetime import datetime
from functools import wraps
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from internship_portal.translated import blank_as_null, localized, translations_of, with_translations
from participants.models import Participant, ProjectGroup
from programs.models import Program
from programs.versions import versions_raised_by_caller

from .enums import VisitStatus
from .events import visit_event_emit
from .exceptions import Clash, ScheduleConflict
from .models import HostContact, HostOrganisation, SiteVisit, VisitGroup

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
    ),
    HOST_TEXTS,
)
CONTACT_FIELDS = ("name", "role", "email", "phone")


def _check_fields(fields: dict[str, Any], allowed: Iterable[str]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")


@transaction.atomic
def host_create(*, contacts: Iterable[dict[str, Any]] = (), **fields: Any) -> HostOrganisation:
    """Add a host organisation with its contacts. Fails on a duplicate name or bad coordinates."""
    _check_fields(fields, HOST_FIELDS)
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
def contact_delete(*, contact: HostContact) -> None:
    """Remove a host contact."""
    contact.delete()


@transaction.atomic
def host_set_contacts(*, host: HostOrganisation, contacts: Iterable[dict[str, Any]]) -> list[HostContact]:
    """Replace the host's contacts with these."""
    host.contacts.all().delete()
    created = []
    for data in contacts:
        _check_fields(data, CONTACT_FIELDS)
        contact = HostContact(host=host, **data)
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
    return [
        Clash(
            visit_id=row.visit_id,
            visit_title=row.visit.title,
            group_id=row.group_id,
            group_name=row.group.name,
            starts_at=row.starts_at.astimezone(tz),
            ends_at=row.ends_at.astimezone(tz),
        )
        for row in rows
    ]


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
    visit's `sequence`. Fails like `visit_create`; nothing is written then."""
    _check_fields(fields, VISIT_FIELDS)
    # Work on a fresh, locked copy so that a stale instance cannot undo
    # another writer's change.
    locked = SiteVisit.objects.select_for_update().select_related("program").get(pk=visit.pk)
    current_group_ids = set(locked.bookings.values_list("group_id", flat=True))
    before = visit_snapshot(visit=locked, group_ids=current_group_ids)
    was_cancelled = locked.status == VisitStatus.CANCELLED
    group_list = list(ProjectGroup.objects.filter(pk__in=current_group_ids)) if groups is None else list(groups)
    changed = any(getattr(locked, name) != value for name, value in fields.items() if name in CALENDAR_FIELDS)
    changed = changed or {group.pk for group in group_list} != current_group_ids
    for name, value in fields.items():
        setattr(locked, name, value)
    if changed:
        locked.sequence += 1
    _save_visit(visit=locked, groups=group_list)
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
    titles = list(group.bookings.order_by("starts_at").values_list("visit__title", flat=True))
    if titles:
        raise ValidationError(
            _("Group “%(group)s” is booked into visits: %(visits)s. Remove it from them first.")
            % {"group": group.name, "visits": ", ".join(f"“{title}”" for title in titles)}
        )
