"""The builder's services: multiple-choice questions, ordering, answers protected from edits
that would corrupt them, reminders sent by the organiser, and hostile definitions."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from notifications.models import Notification, SendOut
from surveys.enums import QuestionKind
from surveys.exceptions import SurveyClosed
from surveys.models import Answer, Question
from surveys.selectors import survey_responses_rows, survey_results
from surveys.services import (
    question_create,
    question_delete,
    question_move,
    question_update,
    questions_reorder,
    survey_create,
    survey_nudge,
    survey_submit,
    survey_update,
)
from tests.factories import local

from .conftest import answers_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]


@pytest.fixture
def multiple(survey):
    return question_create(
        survey=survey, kind=QuestionKind.MULTIPLE, text="Which topics?", choices=["AI", "Roads", "Schools"]
    )


def with_multiple(survey, multiple, ticked, **kwargs):
    return {**answers_for(survey, **kwargs), str(multiple.pk): ticked}


def test_multiple_choice_answers_are_stored_in_the_questions_order_and_counted(survey, invitations, multiple):
    first, second = invitations.values()

    survey_submit(invitation=first, answers=with_multiple(survey, multiple, ["Schools", "AI", "AI"]))
    survey_submit(invitation=second, answers=with_multiple(survey, multiple, ["AI"]))

    assert Answer.objects.get(invitation=first, question=multiple).selected == ["AI", "Schools"]
    results = {q["id"]: q for q in survey_results(survey=survey)["questions"]}
    assert results[multiple.pk]["distribution"] == {"AI": 2, "Roads": 0, "Schools": 1}
    assert results[multiple.pk]["answered"] == 2
    header, rows = survey_responses_rows(survey=survey)
    column = header.index("Which topics?")
    assert sorted(row[column] for row in rows) == ["AI", "AI; Schools"]


@pytest.mark.parametrize(
    ("ticked", "message"),
    [
        (["Lunch"], "Choose among the offered answers."),
        (["AI", "Lunch"], "Choose among the offered answers."),
        ([], "Please tick at least one answer."),
        ("", "Please tick at least one answer."),
    ],
)
def test_multiple_choice_malformed_answers_are_refused(survey, invitations, multiple, ticked, message):
    invitation = invitations["en@gov.example"]

    with pytest.raises(ValidationError) as caught:
        survey_submit(invitation=invitation, answers=with_multiple(survey, multiple, ticked))

    assert caught.value.message_dict == {f"q{multiple.pk}": [message]}
    assert not Answer.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"kind": "slider"}, "kind", "is not a valid choice"),
        ({"kind": QuestionKind.CHOICE, "choices": "AI, Roads"}, "choices", "Give the choices as a list of texts."),
        ({"kind": QuestionKind.MULTIPLE, "choices": {"a": 1}}, "choices", "Give the choices as a list of texts."),
        ({"kind": QuestionKind.MULTIPLE, "choices": ["AI", 3]}, "choices", "Give the choices as a list of texts."),
        ({"kind": QuestionKind.MULTIPLE, "choices": []}, "choices", "at least two different choices"),
        ({"kind": QuestionKind.CHOICE, "choices": ["AI", "AI"]}, "choices", "at least two different choices"),
        ({"kind": QuestionKind.CHOICE, "choices": ["AI", "  "]}, "choices", "at least two different choices"),
        ({"kind": QuestionKind.CHOICE, "choices": ["AI", "x" * 201]}, "choices", "under 200 characters"),
        ({"kind": QuestionKind.CHOICE, "choices": [str(n) for n in range(51)]}, "choices", "At most 50 choices."),
        ({"text": "x" * 501}, "text", "at most 500 characters"),
        ({"text": ""}, "text", "This field cannot be blank."),
        ({"colour": "red"}, "colour", "Unknown field."),
    ],
)
def test_question_create_refuses_hostile_definitions_and_writes_nothing(survey, fields, field, message):
    before = Question.objects.count()

    with pytest.raises(ValidationError) as caught:
        question_create(survey=survey, **{"kind": QuestionKind.TEXT, "text": "Why?", **fields})

    assert message in " ".join(caught.value.message_dict[field])
    assert Question.objects.count() == before


def test_question_move_and_reorder_renumber_the_positions(survey, multiple):
    rating, choice, text, _multi = survey.questions.order_by("position")

    question_move(question=multiple, offset=-2)
    after_up = list(survey.questions.order_by("position").values_list("text", flat=True))
    question_move(question=rating, offset=1000)  # past the end: stops last
    after_down = list(survey.questions.order_by("position").values_list("text", "position"))
    questions_reorder(survey=survey, order=[text.pk, choice.pk, multiple.pk, rating.pk])

    assert after_up == ["Overall", "Which topics?", "Most useful part", "Anything else?"]
    assert after_down == [("Which topics?", 0), ("Most useful part", 1), ("Anything else?", 2), ("Overall", 3)]
    assert list(survey.questions.order_by("position").values_list("pk", flat=True)) == [
        text.pk,
        choice.pk,
        multiple.pk,
        rating.pk,
    ]


@pytest.mark.parametrize("order", [[], "1,2,3", [1.5], [True, False, True]])
def test_questions_reorder_refuses_a_list_that_is_not_the_surveys_questions(survey, order):
    before = list(survey.questions.values_list("pk", "position"))

    with pytest.raises(ValidationError) as caught:
        questions_reorder(survey=survey, order=order)

    assert "order" in caught.value.message_dict
    assert list(survey.questions.values_list("pk", "position")) == before


def test_questions_reorder_refuses_another_surveys_question(survey, program):
    other = survey_create(
        program=program,
        title="Other",
        opens_at=survey.opens_at,
        closes_at=survey.closes_at,
        questions=[{"kind": QuestionKind.TEXT, "text": "Elsewhere"}],
    )
    ids = list(survey.questions.values_list("pk", flat=True))

    with pytest.raises(ValidationError):
        questions_reorder(survey=survey, order=[*ids[:-1], other.questions.get().pk])


@pytest.mark.parametrize("offset", ["up", 1.0, True, 10**6])
def test_question_move_refuses_an_offset_that_is_not_a_small_whole_number(survey, offset):
    with pytest.raises(ValidationError):
        question_move(question=survey.questions.first(), offset=offset)


def test_question_delete_closes_up_the_positions(survey):
    question_delete(question=survey.questions.get(kind=QuestionKind.CHOICE))

    assert list(survey.questions.values_list("text", "position")) == [("Overall", 0), ("Anything else?", 1)]


def test_a_question_with_answers_keeps_its_kind_and_the_picked_choices(survey, invitations):
    survey_submit(invitation=invitations["en@gov.example"], answers=answers_for(survey, choice="Tour"))
    choice = survey.questions.get(kind=QuestionKind.CHOICE)
    rating = survey.questions.get(kind=QuestionKind.RATING)

    with pytest.raises(ValidationError) as kind_change:
        question_update(question=rating, kind=QuestionKind.TEXT)
    with pytest.raises(ValidationError) as picked_removed:
        question_update(question=choice, choices=["Talks", "Guided tour", "Q&A"])
    # Wording, order, new choices and unpicked choices may change: the answers keep their meaning.
    question_update(question=choice, text="The most useful part", choices=["Tour", "Talks and panels", "Lunch"])
    question_update(question=rating, required=False, text="Overall, 1 to 5")

    assert kind_change.value.message_dict == {
        "kind": ["This question has 1 answer: its kind cannot change. Add a new question instead."]
    }
    assert picked_removed.value.message_dict == {
        "choices": ["Answers already picked these choices, so they must stay: “Tour”."]
    }
    choice.refresh_from_db()
    assert choice.choices == ["Tour", "Talks and panels", "Lunch"]
    results = {q["id"]: q for q in survey_results(survey=survey)["questions"]}
    assert results[choice.pk]["distribution"]["Tour"] == 1


def test_a_question_without_answers_may_change_kind(survey, invitations):
    rating = survey.questions.get(kind=QuestionKind.RATING)

    question_update(question=rating, kind=QuestionKind.MULTIPLE, choices=["Yes", "No"])

    rating.refresh_from_db()
    assert (rating.kind, rating.choices) == (QuestionKind.MULTIPLE, ["Yes", "No"])


def test_what_a_survey_is_about_cannot_change_after_invitations(survey, invitations, program):
    with pytest.raises(ValidationError) as caught:
        survey_update(survey=survey, visit=None)

    survey.refresh_from_db()
    assert "visit" in caught.value.message_dict
    assert survey.visit_id is not None
    survey_update(survey=survey, title="Astana Hub: your view")  # other fields still change


def test_survey_nudge_reminds_only_those_who_have_not_answered_in_a_named_sendout(
    survey, invitations, django_capture_on_commit_callbacks
):
    survey_submit(invitation=invitations["ru@gov.example"], answers=answers_for(survey))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        queued = survey_nudge(survey=survey)
    with django_capture_on_commit_callbacks(execute=True):
        again = survey_nudge(survey=survey)

    assert (queued, again) == (1, 1)
    assert [m.to[0].split("<")[1].rstrip(">") for m in mail.outbox] == ["en@gov.example"] * 2
    assert mail.outbox[0].subject == "Reminder: How was Astana Hub?"
    waiting = invitations["en@gov.example"]
    waiting.refresh_from_db()
    assert waiting.nudges == 2
    assert SendOut.objects.filter(kind="surveys.reminder").count() == 2
    assert Notification.objects.filter(sendout__kind="surveys.reminder").count() == 2


def test_survey_nudge_refused_when_the_survey_is_not_open(survey, invitations):
    with pytest.raises(SurveyClosed):
        survey_nudge(survey=survey, now=survey.closes_at)
    with pytest.raises(SurveyClosed):
        survey_nudge(survey=survey, now=survey.opens_at - timedelta(minutes=1))

    assert not Notification.objects.filter(sendout__kind="surveys.reminder").exists()


def test_survey_with_one_question_of_each_kind_through_create(program):
    start = local(program, program.start_date, 9)

    survey = survey_create(
        program=program,
        title="Program feedback",
        opens_at=start,
        closes_at=start + timedelta(days=20),
        questions=[
            {"kind": QuestionKind.RATING, "text": "Overall"},
            {"kind": QuestionKind.CHOICE, "text": "Best week", "choices": ["First", "Second"]},
            {"kind": QuestionKind.MULTIPLE, "text": "Topics", "choices": ["AI", "Roads"], "required": False},
            {"kind": QuestionKind.TEXT, "text": "Anything else?", "required": False},
        ],
    )

    assert list(survey.questions.values_list("kind", "position")) == [
        ("rating", 0),
        ("choice", 1),
        ("multiple", 2),
        ("text", 3),
    ]
