"""Shaped reads of attendance and certificates: a visit's list, a coordinator's day, each
participant's summary (the certificate threshold's one computation), a certificate by its code."""

import hmac
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.formats import number_format

from participants.models import Participant
from programs.models import Program
from visits.enums import VisitStatus
from visits.models import SiteVisit, VisitGroup

from .checkin_codes import checkin_code
from .models import Attendance, Certificate


@dataclass
class AttendanceSummary:
    """A participant's attendance: their group's non-cancelled visits, how many they were marked
    present at and absent from, the share attended, and the hours of the visits attended."""

    visits: int = 0
    present: int = 0
    absent: int = 0
    seconds: int = 0
    attended_visit_ids: list[int] = field(default_factory=list)

    @property
    def percent(self) -> int | None:
        if not self.visits:
            return None
        return min(100, round(100 * self.present / self.visits))

    @property
    def hours(self) -> float:
        """Hours of the visits attended, to the quarter hour below."""
        return int(self.seconds / 900) / 4

    @property
    def hours_text(self) -> str:
        """The hours as the active language writes them: 5.5, 5,5, 12."""
        return number_format(Decimal(f"{self.hours:g}"))

    def meets(self, threshold: int) -> bool:
        """Attended at least `threshold` % of a non-empty list of visits."""
        return self.visits > 0 and 100 * self.present >= threshold * self.visits

    def as_dict(self) -> dict:
        return {
            "visits": self.visits,
            "present": self.present,
            "absent": self.absent,
            "percent": self.percent,
            "hours": self.hours,
        }


def attendance_summaries(*, participants: Iterable[Participant]) -> dict[int, AttendanceSummary]:
    """The summary of each participant (by id): two queries whatever their number.

    Only the visits of the participant's own group count, cancelled ones not at all."""
    participants = list(participants)
    summaries = {participant.pk: AttendanceSummary() for participant in participants}
    group_ids = {participant.group_id for participant in participants if participant.group_id}
    if not group_ids:
        return summaries
    durations: dict[int, int] = {}
    visits_of_group: dict[int, set[int]] = defaultdict(set)
    for group_id, visit_id, starts_at, ends_at in VisitGroup.objects.filter(
        group_id__in=group_ids, is_cancelled=False
    ).values_list("group_id", "visit_id", "starts_at", "ends_at"):
        visits_of_group[group_id].add(visit_id)
        durations[visit_id] = int((ends_at - starts_at).total_seconds())
    marks = Attendance.objects.filter(participant_id__in=list(summaries), visit_id__in=list(durations)).values_list(
        "participant_id", "visit_id", "present"
    )
    group_of = {participant.pk: participant.group_id for participant in participants}
    for participant in participants:
        summaries[participant.pk].visits = len(visits_of_group.get(participant.group_id, ()))
    for participant_id, visit_id, present in marks:
        if visit_id not in visits_of_group.get(group_of[participant_id], ()):
            continue
        summary = summaries[participant_id]
        if present:
            summary.present += 1
            summary.seconds += durations[visit_id]
            summary.attended_visit_ids.append(visit_id)
        else:
            summary.absent += 1
    return summaries


def attendance_summary(*, participant: Participant) -> AttendanceSummary:
    return attendance_summaries(participants=[participant])[participant.pk]


def attendance_summaries_as_dicts(*, participants: Iterable[Participant]) -> dict[int, dict]:
    """The summaries as the API shows them (participants.summaries calls this). Two queries."""
    return {pk: summary.as_dict() for pk, summary in attendance_summaries(participants=participants).items()}


def visit_members(*, visit: SiteVisit) -> QuerySet[Participant]:
    """Who is expected at a visit: the members of its groups (not the anonymised), by name."""
    return (
        Participant.objects.filter(group__bookings__visit=visit, anonymised_at__isnull=True)
        .select_related("group")
        .order_by("last_name", "first_name", "id")
        .distinct()
    )


def visit_attendance(*, visit: SiteVisit) -> list[Attendance]:
    """The visit's marks, in name order (one query)."""
    return list(
        Attendance.objects.filter(visit=visit)
        .select_related("participant")
        .order_by("participant__last_name", "participant__first_name", "participant_id")
    )


def visit_of_program(*, program: Program, pk: int) -> SiteVisit | None:
    return SiteVisit.objects.filter(program=program, pk=pk).select_related("program", "host").first()


@dataclass
class VisitSheet:
    """A visit as the check-in page shows it: the members to mark and their current marks."""

    visit: SiteVisit
    starts_at: datetime
    ends_at: datetime
    members: list[Participant]
    marks: dict[int, bool]
    codes: dict[int, str] = field(default_factory=dict)

    @property
    def is_cancelled(self) -> bool:
        return self.visit.status == VisitStatus.CANCELLED

    @property
    def rows(self) -> list[tuple[Participant, bool | None, str]]:
        """Each member with their mark, True (present), False (absent) or None (not marked), and
        their check-in code, which the phone matches a scanned code against."""
        return [(member, self.marks.get(member.pk), self.codes.get(member.pk, "")) for member in self.members]


def checkin_day(*, coordinator: Participant, day: date) -> list[VisitSheet]:
    """The coordinator's group's visits on the program's local `day`, each with the group's
    members and their marks. Three queries."""
    group = coordinator.group
    program = coordinator.program
    if group is None or group.coordinator_id != coordinator.pk:
        return []
    tz = program.tzinfo
    starts = datetime.combine(day, datetime.min.time(), tzinfo=tz)
    visits = list(
        SiteVisit.objects.filter(bookings__group=group, starts_at__gte=starts, starts_at__lt=starts + timedelta(days=1))
        .select_related("host")
        .order_by("starts_at", "id")
    )
    members = list(
        Participant.objects.filter(group=group, anonymised_at__isnull=True).order_by("last_name", "first_name", "id")
    )
    marks: dict[int, dict[int, bool]] = defaultdict(dict)
    for visit_id, participant_id, present in Attendance.objects.filter(
        visit__in=visits, participant__in=members
    ).values_list("visit_id", "participant_id", "present"):
        marks[visit_id][participant_id] = present
    codes = {member.pk: checkin_code(participant_id=member.pk) for member in members}
    return [
        VisitSheet(
            visit=visit,
            starts_at=visit.starts_at.astimezone(tz),
            ends_at=visit.ends_at.astimezone(tz),
            members=members,
            marks=marks[visit.pk],
            codes=codes,
        )
        for visit in visits
    ]


def certificate_by_code(*, code: str) -> Certificate | None:
    """The certificate with this verification code (any case, with or without dashes), or None."""
    cleaned = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    if len(cleaned) != 12:
        return None
    formatted = "-".join(cleaned[i : i + 4] for i in range(0, 12, 4))
    found = (
        Certificate.objects.filter(code=formatted, participant__anonymised_at__isnull=True)
        .select_related("participant", "participant__program", "participant__group")
        .first()
    )
    if found is None or not hmac.compare_digest(found.code, formatted):
        return None
    return found


def program_participants(*, program: Program) -> list[Participant]:
    """The program's participants who can hold a certificate (not the anonymised), by name."""
    return list(
        Participant.objects.filter(program=program, anonymised_at__isnull=True)
        .select_related("group", "program")
        .order_by("last_name", "first_name", "id")
    )


def eligible_participants(*, program: Program) -> list[tuple[Participant, AttendanceSummary]]:
    """The participants who meet the program's threshold, with their summaries (three queries)."""
    participants = program_participants(program=program)
    summaries = attendance_summaries(participants=participants)
    threshold = program.certificate_min_attendance
    return [(p, summaries[p.pk]) for p in participants if summaries[p.pk].meets(threshold)]
