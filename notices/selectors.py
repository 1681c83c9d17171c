"""Shaped reads for the organiser's send-outs: who would get a message, and the send-outs so far."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from notifications.models import SendOut
from notifications.selectors import payload_values_of_kind, sendouts_with_progress
from participants.models import Participant
from participants.selectors import participants_of_program
from programs.models import Program

from .models import NotifiedItinerary
from .services import SCHEDULE_KIND, group_snapshots, itinerary_diff

# Whom a schedule send-out is for.
EVERYONE, NOT_YET_SENT, CHOSEN = "all", "unsent", "selected"
AUDIENCES = (EVERYONE, NOT_YET_SENT, CHOSEN)


@dataclass
class Audience:
    """The people a send-out would reach: `recipients` get it; `without_email` cannot."""

    who: str
    recipients: list[Participant] = field(default_factory=list)
    without_email: list[Participant] = field(default_factory=list)
    chosen_ids: list[int] = field(default_factory=list)
    # Chosen ids that are not (listed) participants of the program.
    missing: list[int] = field(default_factory=list)


def schedule_audience(*, program: Program, who: str, participant_ids: Iterable[int] = ()) -> Audience:
    """Who a schedule send-out reaches: everyone, those not yet sent theirs (no schedule sent or
    on its way; a failed one counts as not sent), or the chosen participants. Two queries.

    Raises ValidationError for an unknown `who` or an empty choice; chosen ids that are not
    participants of this program are listed in `missing`."""
    if who not in AUDIENCES:
        raise ValidationError({"who": _("Choose who gets the schedules.")})
    people = participants_of_program(program=program)
    chosen: list[int] = []
    if who == CHOSEN:
        chosen = sorted(set(participant_ids))
        if not chosen:
            raise ValidationError({"participants": _("Select at least one participant.")})
        people = people.filter(pk__in=chosen)
    elif who == NOT_YET_SENT:
        sent = payload_values_of_kind(kind=SCHEDULE_KIND, program_id=program.pk, key="participant_id")
        people = people.exclude(pk__in=sent)
    people = list(people)
    audience = Audience(who=who, chosen_ids=chosen, missing=sorted(set(chosen) - {person.pk for person in people}))
    for person in people:
        (audience.recipients if person.email else audience.without_email).append(person)
    return audience


@dataclass
class ChangeAudience:
    """The participants a change notice would go to now, with what changed for each."""

    recipients: list[Participant]
    changes: dict[int, list[dict]]
    snapshots: dict[int, dict]


def change_notice_audience(*, program: Program) -> ChangeAudience:
    """Who would get a change notice if the notices were released now (their itinerary differs
    from the one they were last sent), and the changes of each. Two queries."""
    snapshots = group_snapshots(program=program)
    rows = (
        NotifiedItinerary.objects.filter(participant__program=program, participant__anonymised_at__isnull=True)
        .select_related("participant", "participant__program", "participant__group")
        .order_by("participant__last_name", "participant__first_name", "participant_id")
    )
    recipients, changes = [], {}
    for row in rows:
        diff = itinerary_diff(old=row.snapshot, new=snapshots.get(row.participant.group_id, {}))
        if diff:
            recipients.append(row.participant)
            changes[row.participant.pk] = diff
    return ChangeAudience(recipients=recipients, changes=changes, snapshots=snapshots)


def sendouts_of_program(*, program: Program) -> QuerySet[SendOut]:
    """The program's send-outs, newest first, each with its progress counted. One query."""
    return sendouts_with_progress(queryset=SendOut.objects.filter(program=program)).order_by("-created_at", "-id")


def sendout_of_program(*, program: Program, pk: int) -> SendOut | None:
    """One send-out of this program with its progress (None if the program has no such send-out)."""
    return sendouts_of_program(program=program).filter(pk=pk).first()
