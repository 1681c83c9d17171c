"""Surveys and their questions in the admin, written through surveys.services."""

import pytest

from surveys.models import Question, Survey

from .pages import form_values

pytestmark = pytest.mark.django_db


def test_admin_add_survey_with_questions(side_a, organiser_client):
    url = "/admin/surveys/survey/add/"
    data = form_values(
        organiser_client.get(url),
        program=str(side_a.program.pk),
        title="Closing survey",
        opens_at_0="2026-12-15",
        opens_at_1="09:00:00",
        closes_at_0="2026-12-20",
        closes_at_1="18:00:00",
        **{
            "questions-TOTAL_FORMS": "2",
            "questions-0-position": "0",
            "questions-0-kind": "rating",
            "questions-0-text": "Overall",
            "questions-0-choices": "[]",
            "questions-0-required": "on",
            "questions-1-position": "1",
            "questions-1-kind": "choice",
            "questions-1-text": "Most useful part",
            "questions-1-choices": '["Talks", "Tour"]',
        },
    )

    response = organiser_client.post(url, data)

    assert response.status_code == 302
    survey = Survey.objects.get(title="Closing survey")
    assert list(survey.questions.values_list("text", "choices")) == [
        ("Overall", []),
        ("Most useful part", ["Talks", "Tour"]),
    ]


def test_admin_choice_question_with_one_choice_is_a_row_error(side_a, organiser_client):
    url = f"/admin/surveys/survey/{side_a.survey.pk}/change/"
    page = form_values(organiser_client.get(url))
    data = {
        **page,
        "questions-TOTAL_FORMS": "2",
        "questions-1-position": "1",
        "questions-1-kind": "choice",
        "questions-1-text": "Most useful part",
        "questions-1-choices": '["Talks"]',
    }

    response = organiser_client.post(url, data)

    assert response.status_code == 200
    assert "choices" in response.context["inline_admin_formsets"][0].formset.forms[1].errors
    assert side_a.survey.questions.count() == 1


def test_admin_survey_of_another_program_cannot_be_chosen(side_a, side_b, organiser_client):
    url = "/admin/surveys/survey/add/"

    form = organiser_client.get(url).context["adminform"].form

    assert list(form.fields["visit"].queryset) == [side_a.visit]


def test_admin_delete_survey_and_question(side_a, organiser_client):
    question = side_a.survey.questions.get()
    url = f"/admin/surveys/survey/{side_a.survey.pk}/change/"
    data = {**form_values(organiser_client.get(url)), "questions-0-DELETE": "on"}

    removed_question = organiser_client.post(url, data)
    removed_survey = organiser_client.post(f"/admin/surveys/survey/{side_a.survey.pk}/delete/", {"post": "yes"})

    assert (removed_question.status_code, removed_survey.status_code) == (302, 302)
    assert not Question.objects.filter(pk=question.pk).exists()
    assert not Survey.objects.filter(pk=side_a.survey.pk).exists()


def test_admin_invitation_page_does_not_show_the_secret_link(side_a, organiser_client):
    invitation = side_a.survey.invitations.first()

    page = organiser_client.get(f"/admin/surveys/invitation/{invitation.pk}/change/")

    assert page.status_code == 200
    assert invitation.token not in page.content.decode()
