"""Writes to project groups and participants: every rule about them lives here."""

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from internship_portal.text import refuse_null_characters
from internship_portal.translated import blank_as_null, with_translations
from programs.models import Program
from programs.rules import GROUP_DELETE, GROUP_JOIN, rules_check

from .enums import ID_DETAIL_FIELDS
from .events import participant_event_emit
from .models import Participant, ProjectGroup, VisitorDetails
from .tokens import new_access_token

# The name and theme also in each language (`name_ru`, ...: internship_portal.translated).
GROUP_FIELDS = with_translations(("name", "theme", "coordinator"), ("name", "theme"))
PARTICIPANT_FIELDS = (
    "first_name",
    "last_name",
    "patronymic",
    "email",
    "phone",
    "position",
    "organisation",
    "region",
    "language",
    "notes",
    "home_timezone",
    "group",
    "user",
)


def _check_fields(fields: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")


def participant_check_group(*, program: Program, group: ProjectGroup | None) -> None:
    """A participant's group must belong to the participant's program."""
    if group is not None and group.program_id != program.pk:
        raise ValidationError({"group": _("Group “%(group)s” belongs to another program.") % {"group": group}})


def _check_coordinator(*, group: ProjectGroup) -> None:
    """The coordinator is one of the group (their itinerary page lists the group's members)."""
    coordinator = group.coordinator
    if coordinator is None:
        return
    if coordinator.program_id != group.program_id:
        raise ValidationError({"coordinator": _("The coordinator must be a participant of the same program.")})
    if group.pk is None or coordinator.group_id != group.pk:
        raise ValidationError(
            {
                "coordinator": _("%(name)s is not a member of group “%(group)s”: move them into it first.")
                % {"name": coordinator.full_name, "group": group.name}
            }
        )


def _check_joining(*, participant: Participant, group: ProjectGroup | None) -> None:
    """Leaving a group one coordinates is refused; joining a group runs the rules of the apps
    above (a full visit of the group refuses, naming it)."""
    old_group_id = participant.group_id if participant.pk else None
    if participant.pk and old_group_id != (group.pk if group else None):
        coordinated = ProjectGroup.objects.filter(coordinator=participant).first()
        if coordinated is not None:
            raise ValidationError(
                {
                    "group": _("%(name)s coordinates group “%(group)s”: choose another coordinator first.")
                    % {"name": participant.full_name, "group": coordinated.name}
                }
            )
    if group is not None and group.pk != old_group_id:
        rules_check(event=GROUP_JOIN, group=group, participant=participant)


@transaction.atomic
def group_create(*, program: Program, **fields: Any) -> ProjectGroup:
    """Create a project group in a program. Fails on a duplicate name or a foreign coordinator."""
    _check_fields(fields, GROUP_FIELDS)
    group = ProjectGroup(program=program, **blank_as_null(fields, "name"))
    _check_coordinator(group=group)
    group.full_clean()
    group.save()
    return group


@transaction.atomic
def group_update(*, group: ProjectGroup, **fields: Any) -> ProjectGroup:
    """Rename a group, change its theme or coordinator."""
    _check_fields(fields, GROUP_FIELDS)
    for name, value in blank_as_null(fields, "name").items():
        setattr(group, name, value)
    _check_coordinator(group=group)
    group.full_clean()
    group.save()
    return group


@transaction.atomic
def participant_create(*, program: Program, **fields: Any) -> Participant:
    """Add a participant to a program (and a group of that program). Fails on a duplicate
    e-mail in the program, a group of another program, or an unknown home time zone."""
    _check_fields(fields, PARTICIPANT_FIELDS)
    refuse_null_characters(fields)
    participant_check_group(program=program, group=fields.get("group"))
    participant = Participant(program=program, **fields)
    _check_joining(participant=participant, group=fields.get("group"))
    participant.full_clean()
    participant.save()  # raises the program's version (programs.versions): pages and notices see it
    participant_event_emit(participant=participant, created=True)
    return participant


@transaction.atomic
def participant_update(*, participant: Participant, **fields: Any) -> Participant:
    """Change a participant's details or move them to another group of the same program."""
    _check_fields(fields, PARTICIPANT_FIELDS)
    refuse_null_characters(fields)
    if "group" in fields:
        participant_check_group(program=participant.program, group=fields["group"])
        _check_joining(participant=participant, group=fields["group"])
    changed = {name for name, value in fields.items() if getattr(participant, name) != value}
    for name, value in fields.items():
        setattr(participant, name, value)
    participant.full_clean()
    participant.save()  # raises the program's version (programs.versions): pages and notices see it
    if changed:
        participant_event_emit(participant=participant, created=False)
    return participant


@transaction.atomic
def participant_delete(*, participant: Participant) -> None:
    """Remove a participant with their invitations and answers (a group they coordinate keeps no
    coordinator). To keep the statistics, anonymise instead (participants.privacy)."""
    participant.delete()


@transaction.atomic
def group_delete(*, group: ProjectGroup) -> None:
    """Delete a group; its participants stay in the program without a group.
    Fails with ValidationError naming the visits while any visit still books the group."""
    rules_check(event=GROUP_DELETE, group=group)
    if group.coordinator_id is not None:
        group.coordinator = None
        group.save(update_fields=["coordinator"])
    # Each member leaves through the service (their pages, history and partner apps see it).
    for member in Participant.objects.filter(group=group).select_related("program"):
        participant_update(participant=member, group=None)
    group.delete()


@transaction.atomic
def participant_rotate_token(*, participant: Participant) -> Participant:
    """Replace the participant's secret token: the old personal links stop working at once."""
    participant.access_token = new_access_token()
    participant.save(update_fields=["access_token", "updated_at"])
    return participant


@transaction.atomic
def participants_move(*, participants: list[Participant], group: ProjectGroup | None) -> int:
    """Move these participants into `group` (or out of any group), all or none.
    Returns how many changed group. Fails like `participant_update`."""
    moved = 0
    for participant in participants:
        if participant.group_id != (group.pk if group else None):
            participant_update(participant=participant, group=group)
            moved += 1
    return moved


# --- visitor details (ID data for the hosts' security desks) ---------------------------

DETAIL_MAX_LENGTH = 200


def _clean_detail(name: str, value: Any) -> str:
    text = " ".join(str(value or "").split())
    if len(text) > DETAIL_MAX_LENGTH:
        raise ValidationError({name: _("At most %(count)d characters, please.") % {"count": DETAIL_MAX_LENGTH}})
    if name == "date_of_birth" and text:
        try:
            born = date.fromisoformat(text)
        except ValueError:
            raise ValidationError({name: _("Enter the date as YYYY-MM-DD, e.g. 1980-04-25.")}) from None
        if not date(1900, 1, 1) <= born <= timezone.localdate():
            raise ValidationError({name: _("Enter a date of birth in the past.")})
        text = born.isoformat()
    return text


@transaction.atomic
def visitor_details_set(*, participant: Participant, **fields: Any) -> VisitorDetails:
    """Write some of the participant's ID details (`ID_DETAIL_FIELDS`), encrypted at rest; a field
    not given keeps its value, an empty one clears it. Fails with ValidationError naming the field
    (too long, a date of birth that is not a past date); nothing is written then."""
    _check_fields(fields, ID_DETAIL_FIELDS)
    refuse_null_characters(fields)
    cleaned = {name: _clean_detail(name, value) for name, value in fields.items()}
    details = VisitorDetails.objects.select_for_update().filter(participant=participant).first()
    if details is None:
        details = VisitorDetails(participant=participant)
    for name, value in cleaned.items():
        setattr(details, name, value)
    details.save()
    return details


def visitor_details_erase(*, participant: Participant) -> int:
    """Delete the participant's ID details; returns how many rows went (0 or 1)."""
    deleted, _by_model = VisitorDetails.objects.filter(participant=participant).delete()
    return deleted


def visitor_details_purge_expired(*, today: date | None = None) -> int:
    """Beat: delete the ID details of every participant whose program ended more than
    `VISITOR_DETAILS_RETENTION_DAYS` ago. Returns how many were deleted."""
    today = today or timezone.localdate()
    cutoff = today - timedelta(days=settings.VISITOR_DETAILS_RETENTION_DAYS)
    deleted, _by_model = VisitorDetails.objects.filter(participant__program__end_date__lt=cutoff).delete()
    return deleted


def visitor_details_reencrypt(*, batch_size: int = 500) -> int:
    """Encrypt every row again with the first of `FIELD_ENCRYPTION_KEYS` (after a key rotation,
    before the old key is dropped). Returns how many rows were written."""
    count = 0
    rows = VisitorDetails.objects.order_by("pk")
    for start in range(0, rows.count(), batch_size):
        with transaction.atomic():
            batch = list(rows.select_for_update()[start : start + batch_size])
            # Read with any key, written with the first: the field encrypts on save.
            VisitorDetails.objects.bulk_update(batch, list(ID_DETAIL_FIELDS))
            count += len(batch)
    return count


def visitor_details_retention_ends(*, program: Program) -> date:
    """The day a program's visitor details are deleted."""
    return program.end_date + timedelta(days=settings.VISITOR_DETAILS_RETENTION_DAYS + 1)
