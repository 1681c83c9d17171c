from datetime import timedelta

import pytest

from surveys.enums import QuestionKind
from surveys.services import survey_create, survey_send
from tests.factories import ParticipantFactory, local
from visits.services import visit_create


@pytest.fixture
def visit(program, group, host):
    return visit_create(
        program=program,
        groups=[group],
        host=host,
        title="Astana Hub",
        starts_at=local(program, program.start_date, 10),
        ends_at=local(program, program.start_date, 12),
    )


@pytest.fixture
def people(program, group):
    return [
        ParticipantFactory(program=program, group=group, language="ru", email="ru@gov.example"),
        ParticipantFactory(program=program, group=group, language="en", email="en@gov.example"),
    ]


@pytest.fixture
def survey(program, visit, people):
    """An open survey about the visit, with one question of each kind."""
    return survey_create(
        program=program,
        visit=visit,
        title="How was Astana Hub?",
        opens_at=local(program, program.start_date, 12) - timedelta(days=30),
        closes_at=local(program, program.end_date, 20) + timedelta(days=3650),
        questions=[
            {"kind": QuestionKind.RATING, "text": "Overall"},
            {"kind": QuestionKind.CHOICE, "text": "Most useful part", "choices": ["Talks", "Tour", "Q&A"]},
            {"kind": QuestionKind.TEXT, "text": "Anything else?", "required": False},
        ],
    )


@pytest.fixture
def invitations(survey, django_capture_on_commit_callbacks, celery_eager):
    with django_capture_on_commit_callbacks(execute=True):
        survey_send(survey=survey)
    return {inv.participant.email: inv for inv in survey.invitations.select_related("participant")}


def answers_for(survey, rating="4", choice="Tour", text=""):
    q = {question.kind: question for question in survey.questions.all()}
    return {str(q["rating"].pk): rating, str(q["choice"].pk): choice, str(q["text"].pk): text}


def form_data(survey, **kwargs):
    return {f"q{key}": value for key, value in answers_for(survey, **kwargs).items()}
