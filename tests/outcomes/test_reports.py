"""The outcome report and a host's debrief: their numbers against the database, the files,
and the organiser's pages that show and correct attendance."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from outcomes.models import Attendance
from outcomes.reports import host_debrief_data, outcome_report_data
from outcomes.services import Mark, attendance_merge
from surveys.models import Answer, Invitation, Question, Survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def marked(held):
    """At the first visit two of three present; at the second (joint) one all three and the stranger."""
    first, second = held.visits[0], held.visits[1]
    attendance_merge(visit=first, marks=[Mark(held.members[0].pk, True), Mark(held.members[1].pk, True),
                                         Mark(held.members[2].pk, False)], marked_by="x")  # fmt: skip
    attendance_merge(visit=second, marks=[Mark(p.pk, True) for p in [*held.members, held.stranger]], marked_by="x")
    survey = Survey.objects.create(program=held.program, visit=first, title="About Astana Hub",
                                   opens_at=timezone.now() - timedelta(days=2), closes_at=timezone.now())  # fmt: skip
    rating = Question.objects.create(survey=survey, position=1, kind="rating", text="How useful was it?")
    comment = Question.objects.create(
        survey=survey, position=2, kind="text", text="What should change?", required=False
    )
    for person, score, text in ((held.members[0], 5, "Больше времени на вопросы"), (held.members[1], 4, "")):
        invitation = Invitation.objects.create(survey=survey, participant=person, responded_at=timezone.now())
        Answer.objects.create(invitation=invitation, question=rating, rating=score)
        Answer.objects.create(invitation=invitation, question=comment, text=text)
    Invitation.objects.create(survey=survey, participant=held.members[2])
    return held


def test_report_numbers_match_the_database(marked):
    held = marked
    data = outcome_report_data(program=held.program)

    lines = {line.visit.pk: line for line in data["visits"]}
    assert (lines[held.visits[0].pk].expected, lines[held.visits[0].pk].present) == (3, 2)
    assert (lines[held.visits[1].pk].expected, lines[held.visits[1].pk].present) == (4, 4)
    assert lines[held.visits[2].pk].is_cancelled
    assert (data["held_count"], data["cancelled_count"]) == (2, 1)
    present = Attendance.objects.filter(present=True, visit__in=held.visits[:2]).count()
    assert data["present"] == present == 6
    assert data["attendance_percent"] == round(100 * 6 / 7)
    people = {line.participant.pk: line for line in data["participants"]}
    assert people[held.members[2].pk].summary.percent == 50
    assert not people[held.members[2].pk].eligible
    assert data["eligible_count"] == 3  # the coordinator, the second member and the stranger (1 of 1)
    question = data["surveys"][0].results["questions"][0]
    assert question["average"] == 4.5


def test_debrief_shows_the_hosts_visits_attendance_and_anonymous_feedback(marked):
    held = marked
    host = held.visits[0].host

    data = host_debrief_data(program=held.program, host=host)

    assert [line.visit.pk for line in data["visits"]] == [held.visits[0].pk, held.visits[2].pk]
    assert (data["expected"], data["present"]) == (3, 2)
    assert data["average_rating"] == 4.5
    answers = data["surveys"][0].results["questions"][1]["answers"]
    assert answers == ["Больше времени на вопросы"]


def test_report_files_from_the_organisers_page_and_the_api(marked, organiser_client, api):
    held = marked
    base = f"/organiser/programs/{held.program.slug}/outcomes/"

    page = organiser_client.get(base)
    pdf = organiser_client.get(base + "report.pdf")
    xlsx = api.get(f"/api/v1/programs/{held.program.slug}/outcome-report.xlsx")
    debrief = api.get(f"/api/v1/programs/{held.program.slug}/hosts/{held.visits[0].host_id}/debrief.pdf")

    assert page.status_code == 200
    assert "Astana Hub" in page.content.decode()
    assert pdf["Content-Type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert held.program.title in " ".join(text.split())
    assert "Антонов" in text
    book = load_workbook(io.BytesIO(xlsx.content))
    visits = list(book.worksheets[2].iter_rows(values_only=True))
    assert visits[1][2] == "Astana Hub"
    assert visits[1][6:9] == (3, 2, 1)
    assert debrief.status_code == 200
    assert "Больше времени на вопросы" in PdfReader(io.BytesIO(debrief.content)).pages[0].extract_text()


def test_dashboard_links_to_the_outcomes(marked, organiser_client):
    page = organiser_client.get(f"/organiser/programs/{marked.program.slug}/").content.decode()

    assert f"/organiser/programs/{marked.program.slug}/outcomes/" in page


def test_organiser_corrects_a_mark_on_the_visits_page(marked, organiser_client):
    held = marked
    visit, person = held.visits[0], held.members[2]
    url = f"/organiser/programs/{held.program.slug}/outcomes/visits/{visit.pk}/"

    shown = organiser_client.get(url)
    saved = organiser_client.post(url, {f"p{person.pk}": "present"})

    assert person.full_name in shown.content.decode()
    assert saved.status_code == 302
    row = Attendance.objects.get(visit=visit, participant=person)
    assert row.present is True
    assert row.marked_by == "aigerim"


def test_organiser_corrects_a_participants_marks_and_changes_the_threshold(marked, organiser_client):
    held = marked
    person = held.members[2]
    base = f"/organiser/programs/{held.program.slug}/outcomes/"

    organiser_client.post(f"{base}participants/{person.pk}/", {f"v{held.visits[1].pk}": "absent"})
    organiser_client.post(f"{base}threshold/", {"certificate_min_attendance": "40"})
    refused = organiser_client.post(f"{base}threshold/", {"certificate_min_attendance": "140"}, follow=True)

    assert Attendance.objects.get(visit=held.visits[1], participant=person).present is False
    held.program.refresh_from_db()
    assert held.program.certificate_min_attendance == 40
    assert "0 to 100" in refused.content.decode()


def test_other_organisers_do_not_see_the_outcomes(marked, client):
    from tests.web.conftest import make_organiser

    client.force_login(make_organiser("someone-else"))

    assert client.get(f"/organiser/programs/{marked.program.slug}/outcomes/").status_code == 404
