"""Surveys: invitations by e-mail, answers (and malformed ones), beat's sending and nudges, results."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from notifications.models import Notification
from surveys.enums import QuestionKind
from surveys.exceptions import SurveyClosed
from surveys.models import Answer, Invitation, Question, Survey
from surveys.selectors import feedback_by_visit_and_host, survey_results
from surveys.services import (
    question_delete,
    survey_create,
    survey_delete,
    survey_send,
    survey_submit,
    surveys_send_due,
)
from tests.factories import ParticipantFactory, local

from .conftest import answers_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]


def test_survey_send_invites_each_visitor_once_in_their_language(survey, invitations, people, program):
    outsider = ParticipantFactory(program=program)  # another group: not at the visit

    assert sorted(invitations) == ["en@gov.example", "ru@gov.example"]
    assert sorted(m.to[0].split("<")[1].rstrip(">") for m in mail.outbox) == ["en@gov.example", "ru@gov.example"]
    russian = next(m for m in mail.outbox if "ru@gov.example" in m.to[0])
    assert russian.subject == "How was Astana Hub?"
    assert "Поделитесь, пожалуйста" in russian.body
    assert f"http://127.0.0.1:8000/s/{invitations['ru@gov.example'].token}/" in russian.body
    assert survey_send(survey=survey) == 0  # a second send invites nobody twice
    assert len(mail.outbox) == 2
    assert not Invitation.objects.filter(participant=outsider).exists()


def test_survey_submit_stores_answers_and_can_be_edited(survey, invitations):
    invitation = invitations["en@gov.example"]

    survey_submit(invitation=invitation, answers=answers_for(survey, rating="5", text="Great"))
    survey_submit(invitation=invitation, answers=answers_for(survey, rating="3", choice="Q&A"))

    answers = {a.question.kind: a for a in Answer.objects.filter(invitation=invitation).select_related("question")}
    assert answers["rating"].rating == 3
    assert answers["choice"].choice == "Q&A"
    assert "text" not in answers  # the optional text was cleared in the edit
    invitation.refresh_from_db()
    assert invitation.responded_at is not None


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"rating": "6"}, "Choose a rating from 1 to 5."),
        ({"rating": "0"}, "Choose a rating from 1 to 5."),
        ({"rating": "four"}, "Choose a rating from 1 to 5."),
        ({"choice": "Lunch"}, "Choose one of the offered answers."),
        ({"text": "x" * 4001}, "Please keep the answer under 4000 characters (it has 4001)."),
        ({"rating": ""}, "Please answer this question."),
    ],
)
def test_survey_submit_malformed_answer_names_the_question_and_stores_nothing(survey, invitations, overrides, message):
    invitation = invitations["en@gov.example"]

    with pytest.raises(ValidationError) as caught:
        survey_submit(invitation=invitation, answers=answers_for(survey, **overrides))

    assert message in str(caught.value.message_dict)
    assert Answer.objects.count() == 0
    invitation.refresh_from_db()
    assert invitation.responded_at is None


def test_survey_submit_after_close_refused_and_earlier_answers_kept(survey, invitations):
    invitation = invitations["en@gov.example"]
    survey_submit(invitation=invitation, answers=answers_for(survey, rating="5"))

    with pytest.raises(SurveyClosed):
        survey_submit(invitation=invitation, answers=answers_for(survey, rating="1"), now=survey.closes_at)

    assert Answer.objects.get(question__kind="rating").rating == 5


def test_survey_create_rejects_bad_definitions(program, visit):
    start = local(program, program.start_date, 9)
    with pytest.raises(ValidationError) as caught:
        survey_create(program=program, title="x", opens_at=start, closes_at=start - timedelta(hours=1))
    assert "closes_at" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        survey_create(
            program=program,
            title="x",
            opens_at=start,
            closes_at=start + timedelta(days=1),
            questions=[{"kind": QuestionKind.CHOICE, "text": "Pick", "choices": ["only one"]}],
        )
    assert "choices" in caught.value.message_dict


def test_surveys_send_due_after_the_visit_then_nudges_at_most_twice(
    survey, visit, people, django_capture_on_commit_callbacks
):
    survey.send_after_hours = 2
    survey.save()
    ends = visit.ends_at

    def beat(now):
        with django_capture_on_commit_callbacks(execute=True):
            return surveys_send_due(now=now)

    early = beat(ends + timedelta(hours=1))
    on_time = beat(ends + timedelta(hours=2))
    survey_submit(
        invitation=Invitation.objects.get(participant=people[0]),
        answers=answers_for(survey),
        now=ends + timedelta(hours=3),
    )
    nudges = [beat(ends + timedelta(hours=2, days=2 * n))["nudged"] for n in range(1, 5)]

    assert early == {"sent": 0, "nudged": 0}
    assert on_time == {"sent": 2, "nudged": 0}
    assert nudges == [1, 1, 0, 0]  # only the one who did not answer, and only twice
    late = Invitation.objects.get(participant=people[1])
    assert late.nudges == 2
    subjects = [m.subject for m in mail.outbox if people[1].email in m.to[0]]
    assert subjects == ["How was Astana Hub?", "Reminder: How was Astana Hub?", "Reminder: How was Astana Hub?"]
    assert Notification.objects.count() == 4


@pytest.mark.parametrize("respondents", [1, 2])
def test_survey_results_average_distribution_and_texts(survey, invitations, respondents, django_assert_num_queries):
    values = [("5", "Tour", "Very useful"), ("2", "Tour", "")][:respondents]
    for invitation, (rating, choice, text) in zip(invitations.values(), values, strict=False):
        survey_submit(invitation=invitation, answers=answers_for(survey, rating=rating, choice=choice, text=text))

    with django_assert_num_queries(3):
        results = survey_results(survey=survey)

    rating, choice, text = results["questions"]
    assert (results["invited"], results["responded"]) == (2, respondents)
    expected_average = {1: 5.0, 2: 3.5}[respondents]
    assert rating["average"] == expected_average
    assert sum(rating["distribution"].values()) == respondents
    assert choice["distribution"] == {"Talks": 0, "Tour": respondents, "Q&A": 0}
    assert text["answers"] == ["Very useful"]


def test_feedback_by_visit_and_host_averages_ratings(survey, invitations, visit, host):
    for invitation, rating in zip(invitations.values(), ["5", "3"], strict=True):
        survey_submit(invitation=invitation, answers=answers_for(survey, rating=rating))

    feedback = feedback_by_visit_and_host(program=survey.program)

    assert [(row["title"], row["average"], row["respondents"]) for row in feedback["visits"]] == [
        ("Astana Hub", 4.0, 2)
    ]
    assert [(row["name"], row["average"]) for row in feedback["hosts"]] == [(host.name, 4.0)]


def test_survey_dates_far_from_the_program_are_refused(program):
    from datetime import datetime

    from django.core.exceptions import ValidationError

    from surveys.services import survey_create

    tz = program.tzinfo
    with pytest.raises(ValidationError) as caught:
        survey_create(
            program=program,
            title="Typo in the year",
            opens_at=datetime(1165, 10, 25, 9, tzinfo=tz),
            closes_at=datetime(2026, 12, 20, 9, tzinfo=tz),
        )

    assert "opens_at" in caught.value.message_dict


def test_survey_invitation_text_is_plain_and_its_html_escaped(
    program, group, survey, django_capture_on_commit_callbacks
):
    from surveys.services import survey_send

    person = ParticipantFactory(
        program=program, group=group, language="en", first_name="Ta'lim", last_name="Smith & Sons", patronymic=""
    )

    with django_capture_on_commit_callbacks(execute=True):
        survey_send(survey=survey)

    (message,) = [m for m in mail.outbox if person.email in m.to[0]]
    assert "Dear Ta'lim Smith & Sons," in message.body
    assert not any(entity in message.body for entity in ("&amp;", "&#x27;"))
    assert "Ta&#x27;lim Smith &amp; Sons" in message.alternatives[0][0]


def test_anonymised_participant_gets_no_survey_invitation_or_nudge(
    program, survey, visit, people, django_capture_on_commit_callbacks
):
    from participants.privacy import participant_anonymise

    program_survey = survey_create(
        program=program, title="The whole program", opens_at=survey.opens_at, closes_at=survey.closes_at
    )
    with django_capture_on_commit_callbacks(execute=True):
        survey_send(survey=survey)
    gone = participant_anonymise(participant=people[1])
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        invited = survey_send(survey=program_survey)
        nudged = surveys_send_due(now=visit.ends_at + timedelta(days=3))["nudged"]

    assert invited == 1
    assert nudged == 2  # the other visitor, once per survey
    assert [m.to[0] for m in mail.outbox] == [f"{people[0].full_name} <ru@gov.example>"] * 3
    assert not program_survey.invitations.filter(participant=gone).exists()


def test_survey_delete_takes_its_questions_invitations_and_answers(survey, invitations):
    survey_submit(invitation=invitations["ru@gov.example"], answers=answers_for(survey))

    survey_delete(survey=survey)

    assert (Survey.objects.count(), Question.objects.count(), Invitation.objects.count(), Answer.objects.count()) == (
        0,
        0,
        0,
        0,
    )


def test_question_delete_leaves_the_other_questions(survey):
    first = survey.questions.first()

    question_delete(question=first)

    assert list(survey.questions.values_list("text", flat=True)) == ["Most useful part", "Anything else?"]
