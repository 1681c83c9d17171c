"""The outcome report for the sending academy (PDF and XLSX) and each host's debrief (PDF).

The report: the program, its groups and themes, the visits held, to come and cancelled,
attendance per visit and per participant, and the survey results with charts. A host's
debrief: the visits it received, their attendance and the feedback about them (averages,
distributions and the free-text answers, anonymous: no names are read).

The charts are drawn here (outcomes.charts), as inline SVG.
"""

import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import Count
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from internship_portal.spreadsheets import csv_safe
from participants.models import Participant
from participants.selectors import groups_of_program
from programs.models import Program
from surveys.enums import QuestionKind
from surveys.models import Survey
from surveys.selectors import survey_results
from visits.enums import VisitStatus
from visits.models import HostOrganisation, SiteVisit

from .charts import bar_chart_svg
from .models import Attendance
from .selectors import AttendanceSummary, attendance_summaries


@dataclass
class VisitLine:
    visit: SiteVisit
    starts_at: datetime
    ends_at: datetime
    groups: list[str]
    expected: int
    present: int = 0
    absent: int = 0
    held: bool = False

    @property
    def is_cancelled(self) -> bool:
        return self.visit.status == VisitStatus.CANCELLED

    @property
    def groups_label(self) -> str:
        """The groups, named when there are one or two, else counted (a report of hundreds of visits)."""
        if len(self.groups) <= 2:
            return ", ".join(self.groups)
        return ngettext("%(count)d group", "%(count)d groups", len(self.groups)) % {"count": len(self.groups)}

    @property
    def unmarked(self) -> int:
        return max(0, self.expected - self.present - self.absent)

    @property
    def percent(self) -> int | None:
        return round(100 * self.present / self.expected) if self.expected and not self.is_cancelled else None


@dataclass
class ParticipantLine:
    participant: Participant
    summary: AttendanceSummary
    eligible: bool


@dataclass
class SurveyBlock:
    survey: Survey
    results: dict[str, Any]
    charts: dict[int, str] = field(default_factory=dict)


def visit_lines(*, program: Program, visits: list[SiteVisit], now: datetime) -> list[VisitLine]:
    """The visits with who was expected (their groups' members) and marked. Two queries."""
    tz = program.tzinfo
    sizes = dict(
        Participant.objects.filter(program=program, group__isnull=False)
        .values_list("group_id")
        .annotate(n=Count("id"))
        .values_list("group_id", "n")
    )
    marks: dict[int, dict[bool, int]] = defaultdict(dict)
    for visit_id, present, count in (
        Attendance.objects.filter(visit__in=visits)
        .values_list("visit_id", "present")
        .annotate(n=Count("id"))
        .values_list("visit_id", "present", "n")
    ):
        marks[visit_id][present] = count
    group_count = len(sizes)
    lines = []
    for visit in visits:
        bookings = sorted(visit.bookings.all(), key=lambda booking: booking.group.name)
        names = [booking.group.name for booking in bookings]
        line = VisitLine(
            visit=visit,
            starts_at=visit.starts_at.astimezone(tz),
            ends_at=visit.ends_at.astimezone(tz),
            # A visit of every group (a lecture, the opening) says so instead of listing them.
            groups=[_("All groups")] if len(names) > 2 and len(names) >= group_count else names,
            expected=sum(sizes.get(booking.group_id, 0) for booking in bookings),
            present=marks[visit.pk].get(True, 0),
            absent=marks[visit.pk].get(False, 0),
        )
        line.held = not line.is_cancelled and visit.ends_at <= now
        lines.append(line)
    return lines


def _visits(program: Program, **filters: Any) -> list[SiteVisit]:
    return list(
        SiteVisit.objects.filter(program=program, **filters)
        .select_related("host")
        .prefetch_related("bookings__group")
        .order_by("starts_at", "id")
    )


def _survey_blocks(surveys) -> list[SurveyBlock]:
    blocks = []
    for survey in surveys:
        results = survey_results(survey=survey)
        block = SurveyBlock(survey=survey, results=results)
        for question in results["questions"]:
            if question["kind"] in (QuestionKind.RATING, QuestionKind.CHOICE) and question.get("distribution"):
                bars = [(label, count) for label, count in question["distribution"].items()]
                block.charts[question["id"]] = mark_safe(bar_chart_svg(bars=bars))  # noqa: S308 - escaped in charts
        blocks.append(block)
    return blocks


def outcome_report_data(*, program: Program, now: datetime | None = None) -> dict[str, Any]:
    """Everything the outcome report shows, read in a fixed number of queries (plus three per survey)."""
    now = now or timezone.now()
    lines = visit_lines(program=program, visits=_visits(program), now=now)
    participants = list(
        Participant.objects.filter(program=program, anonymised_at__isnull=True)
        .select_related("group")
        .order_by("group__name", "last_name", "first_name", "id")
    )
    summaries = attendance_summaries(participants=participants)
    threshold = program.certificate_min_attendance
    people = [ParticipantLine(p, summaries[p.pk], summaries[p.pk].meets(threshold)) for p in participants]
    counted = [line for line in lines if not line.is_cancelled]
    expected = sum(line.expected for line in counted)
    present = sum(line.present for line in counted)
    surveys = Survey.objects.filter(program=program).select_related("visit").order_by("opens_at", "id")
    attendance_chart = bar_chart_svg(
        bars=[(f"{line.starts_at:%d.%m} {line.visit.title}", line.percent or 0) for line in counted if line.held],
        maximum=100,
        unit="%",
    )
    return {
        "program": program,
        "generated_at": now.astimezone(program.tzinfo),
        "groups": list(groups_of_program(program=program)),
        "visits": lines,
        "held_count": sum(1 for line in lines if line.held),
        "upcoming_count": sum(1 for line in counted if not line.held),
        "cancelled_count": sum(1 for line in lines if line.is_cancelled),
        "expected": expected,
        "present": present,
        "attendance_percent": round(100 * present / expected) if expected else None,
        "attendance_chart": mark_safe(attendance_chart),  # noqa: S308 - escaped in charts
        "participants": people,
        "eligible_count": sum(1 for line in people if line.eligible),
        "threshold": threshold,
        "surveys": _survey_blocks(surveys),
    }


def host_of_program(*, program: Program, pk: int) -> HostOrganisation | None:
    """A host that received (or was to receive) visits of this program."""
    return HostOrganisation.objects.filter(pk=pk, visits__program=program).distinct().first()


def hosts_of_program(*, program: Program) -> list[HostOrganisation]:
    return list(HostOrganisation.objects.filter(visits__program=program).distinct().order_by("name"))


def host_debrief_data(*, program: Program, host: HostOrganisation, now: datetime | None = None) -> dict[str, Any]:
    """A host's debrief: its visits in the program, attendance, and the feedback about them."""
    now = now or timezone.now()
    lines = visit_lines(program=program, visits=_visits(program, host=host), now=now)
    surveys = (
        Survey.objects.filter(program=program, visit__host=host).select_related("visit").order_by("opens_at", "id")
    )
    blocks = _survey_blocks(surveys)
    ratings = [
        (question["average"], question["answered"])
        for block in blocks
        for question in block.results["questions"]
        if question["kind"] == QuestionKind.RATING and question.get("average") is not None
    ]
    answered = sum(count for _average, count in ratings)
    counted = [line for line in lines if not line.is_cancelled]
    expected = sum(line.expected for line in counted)
    present = sum(line.present for line in counted)
    return {
        "program": program,
        "host": host,
        "generated_at": now.astimezone(program.tzinfo),
        "visits": lines,
        "expected": expected,
        "present": present,
        "attendance_percent": round(100 * present / expected) if expected else None,
        "average_rating": round(sum(a * n for a, n in ratings) / answered, 2) if answered else None,
        "surveys": blocks,
    }


# --- files ----------------------------------------------------------------------------------


def _pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def report_filename(program: Program, extension: str) -> str:
    return f"outcome-report-{program.slug}.{extension}"


def debrief_filename(host: HostOrganisation) -> str:
    return f"debrief-{slugify(host.name, allow_unicode=True) or host.pk}.pdf"


def report_pdf(*, program: Program) -> bytes:
    return _pdf(render_to_string("outcomes/report.html", outcome_report_data(program=program)))


def host_debrief_pdf(*, program: Program, host: HostOrganisation) -> bytes:
    return _pdf(render_to_string("outcomes/debrief.html", host_debrief_data(program=program, host=host)))


def _cell(value: Any) -> Any:
    """Strings neutralised against formula injection (as every CSV of the portal); the rest as is."""
    if isinstance(value, str):
        return csv_safe(value)
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    return value


def report_xlsx(*, program: Program) -> bytes:
    """The report's tables as a workbook: one sheet each (the program, groups, visits,
    participants, every mark, survey questions, free-text answers)."""
    from openpyxl import Workbook

    data = outcome_report_data(program=program)
    book = Workbook(write_only=True)

    def sheet(title: str, header: list[str], rows) -> None:
        ws = book.create_sheet(title=title[:31])
        ws.append([_cell(name) for name in header])
        for row in rows:
            ws.append([_cell(value) for value in row])

    sheet(
        _("Program"),
        [_("Field"), _("Value")],
        [
            [_("Program"), program.title],
            [_("Host institution"), program.host_institution],
            [_("City"), program.city],
            [_("Dates"), f"{program.start_date.isoformat()} – {program.end_date.isoformat()}"],
            [_("Visits held"), data["held_count"]],
            [_("Visits to come"), data["upcoming_count"]],
            [_("Visits cancelled"), data["cancelled_count"]],
            [_("Attendance (%)"), data["attendance_percent"]],
            [_("Attendance needed for a certificate (%)"), data["threshold"]],
            [_("Participants with a certificate"), data["eligible_count"]],
        ],
    )
    sheet(
        _("Groups"),
        [_("Group"), _("Theme"), _("Coordinator"), _("Participants")],
        (
            [g.name, g.theme, g.coordinator.full_name if g.coordinator else "", g.participant_count]
            for g in data["groups"]
        ),
    )
    sheet(
        _("Visits"),
        [
            _("Starts"),
            _("Ends"),
            _("Visit"),
            _("Host"),
            _("Groups"),
            _("Status"),
            _("Expected"),
            _("Present"),
            _("Absent"),
            _("Not marked"),
            _("Attendance (%)"),
        ],
        (
            [
                line.starts_at,
                line.ends_at,
                line.visit.title,
                line.visit.host.name if line.visit.host else "",
                ", ".join(line.groups),
                line.visit.get_status_display(),
                line.expected,
                line.present,
                line.absent,
                line.unmarked,
                line.percent,
            ]
            for line in data["visits"]
        ),
    )
    sheet(
        _("Participants"),
        [
            _("Participant"),
            _("Group"),
            _("Organisation"),
            _("Visits"),
            _("Present"),
            _("Absent"),
            _("Attendance (%)"),
            _("Hours attended"),
            _("Certificate"),
        ],
        (
            [
                line.participant.full_name,
                line.participant.group.name if line.participant.group else "",
                line.participant.organisation,
                line.summary.visits,
                line.summary.present,
                line.summary.absent,
                line.summary.percent,
                line.summary.hours,
                _("yes") if line.eligible else _("no"),
            ]
            for line in data["participants"]
        ),
    )
    marks = (
        Attendance.objects.filter(visit__program=program, participant__anonymised_at__isnull=True)
        .select_related("visit", "participant")
        .order_by("visit__starts_at", "visit_id", "participant__last_name", "participant_id")
        .iterator(chunk_size=2000)
    )
    tz = program.tzinfo
    sheet(
        _("Marks"),
        [_("Visit"), _("Starts"), _("Participant"), _("Present"), _("Marked by"), _("Marked at")],
        (
            [
                m.visit.title,
                m.visit.starts_at.astimezone(tz),
                m.participant.full_name,
                _("yes") if m.present else _("no"),
                m.marked_by,
                m.marked_at.astimezone(tz),
            ]
            for m in marks
        ),
    )
    sheet(
        _("Survey results"),
        [_("Survey"), _("Question"), _("Kind"), _("Answers"), _("Average"), _("Distribution")],
        (
            [
                block.survey.title,
                question["text"],
                question["kind"],
                question["answered"],
                question.get("average"),
                "; ".join(f"{k}: {v}" for k, v in question.get("distribution", {}).items()),
            ]
            for block in data["surveys"]
            for question in block.results["questions"]
        ),
    )
    sheet(
        _("Comments"),
        [_("Survey"), _("Question"), _("Answer")],
        (
            [block.survey.title, question["text"], text]
            for block in data["surveys"]
            for question in block.results["questions"]
            for text in question.get("answers", [])
        ),
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
