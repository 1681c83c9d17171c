"""The survey form behind /s/<token>/ and the organiser's results pages."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.test import Client

from surveys.models import Answer
from surveys.services import invitation_rotate_token, survey_submit, survey_update
from tests.web.conftest import make_organiser

from .conftest import answers_for, form_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]


@pytest.fixture
def browser():
    return Client(HTTP_HOST="localhost")


def test_survey_form_shows_questions_in_the_participants_language(browser, survey, invitations):
    response = browser.get(f"/s/{invitations['en@gov.example'].token}/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "How was Astana Hub?" in page
    assert "Most useful part" in page
    assert 'value="Tour"' in page


def test_survey_form_post_saves_and_shows_thanks_and_previous_answers(browser, survey, invitations):
    link = f"/s/{invitations['en@gov.example'].token}/"

    response = browser.post(link, form_data(survey, rating="5", text="Very useful"))
    page = browser.get(response["Location"]).content.decode()

    assert response.status_code == 302
    assert "your answers are saved" in page
    assert "Very useful" in page  # editable: the form shows what was sent
    assert Answer.objects.filter(invitation=invitations["en@gov.example"]).count() == 3


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"rating": "9"}, "Choose a rating from 1 to 5."),
        ({"choice": "Lunch"}, "Choose one of the offered answers."),
        ({"text": "x" * 5000}, "Please keep the answer under 4000 characters"),
        ({"text": "Fine\x00"}, "Null characters are not allowed."),  # PostgreSQL cannot store a NUL
    ],
)
def test_survey_form_malformed_answer_message_and_nothing_stored(browser, survey, invitations, overrides, message):
    response = browser.post(f"/s/{invitations['en@gov.example'].token}/", form_data(survey, **overrides))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert "nothing was saved yet" in response.content.decode()
    assert Answer.objects.count() == 0


def test_survey_form_closed_survey_says_so_and_refuses_answers(browser, survey, invitations):
    invitation = invitations["en@gov.example"]
    survey_submit(invitation=invitation, answers=answers_for(survey, rating="4"))
    survey_update(
        survey=survey, opens_at=survey.opens_at - timedelta(days=10), closes_at=survey.opens_at - timedelta(days=1)
    )

    shown = browser.get(f"/s/{invitation.token}/")
    posted = browser.post(f"/s/{invitation.token}/", form_data(survey, rating="1"))

    assert shown.status_code == 200
    assert "The survey closed on" in shown.content.decode()
    assert "<form" not in shown.content.decode()
    assert posted.status_code == 403
    assert "The survey closed on" in posted.content.decode()
    assert Answer.objects.get(question__kind="rating").rating == 4


def test_survey_form_unknown_or_rotated_token_is_404_and_stores_nothing(browser, survey, invitations):
    invitation = invitations["en@gov.example"]
    old_token = invitation.token
    invitation_rotate_token(invitation=invitation)

    old = browser.post(f"/s/{old_token}/", form_data(survey))
    unknown = browser.get("/s/not-a-real-token/")
    new = browser.get(f"/s/{invitation.token}/")

    assert old.status_code == 404
    assert "This survey link is not valid" in old.content.decode()
    assert unknown.status_code == 404
    assert new.status_code == 200
    assert Answer.objects.count() == 0


@pytest.mark.parametrize("respondents", [1, 2])
def test_survey_results_page_shows_counts_average_and_bars(
    survey, invitations, program, respondents, django_assert_max_num_queries
):
    for invitation, rating in list(zip(invitations.values(), ["5", "3"], strict=True))[:respondents]:
        survey_submit(invitation=invitation, answers=answers_for(survey, rating=rating, text="Good"))
    client = Client(HTTP_HOST="localhost")
    client.force_login(make_organiser("aigerim", program))

    with django_assert_max_num_queries(12):
        response = client.get(f"/organiser/programs/{program.slug}/surveys/{survey.pk}/results/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "<strong data-invited>2</strong>" in page
    assert f"<strong data-responded>{respondents}</strong>" in page
    assert f"<strong data-average>{ {1: '5.0', 2: '4.0'}[respondents] }</strong>" in page
    rating = survey.questions.get(kind="rating")
    widths = dict(
        re.findall(r'<g class="chart__row" data-label="(\d)".*?class="chart__bar" [^>]*width="([\d.]+)"', page)
    )
    assert (widths["5"], widths["3"]) == {1: ("576", "0"), 2: ("576", "576")}[respondents]  # the longest bar spans
    assert f'id="chart-{rating.pk}" role="img"' in page
    assert {1: "<p>1 answer · ", 2: "<p>2 answers · "}[respondents] in page


def test_survey_results_csv_export(survey, invitations, program):
    survey_submit(invitation=invitations["ru@gov.example"], answers=answers_for(survey, rating="5", text="Отлично"))
    client = Client(HTTP_HOST="localhost")
    client.force_login(make_organiser("aigerim", program))

    response = client.get(f"/organiser/programs/{program.slug}/surveys/{survey.pk}/results.csv")

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert response["Content-Type"].startswith("text/csv")
    assert rows[0] == ["participant", "group", "responded_at", "Overall", "Most useful part", "Anything else?"]
    assert rows[1][0] == invitations["ru@gov.example"].participant.full_name
    assert rows[1][3:] == ["5", "Tour", "Отлично"]


def test_survey_results_only_for_the_programs_organisers(survey, program):
    from tests.factories import ProgramFactory

    stranger = Client(HTTP_HOST="localhost")
    stranger.force_login(make_organiser("other", ProgramFactory()))

    assert (
        Client(HTTP_HOST="localhost")
        .get(f"/organiser/programs/{program.slug}/surveys/{survey.pk}/results/")
        .status_code
        == 302
    )
    assert stranger.get(f"/organiser/programs/{program.slug}/surveys/{survey.pk}/results/").status_code == 404
    assert stranger.get(f"/organiser/programs/{program.slug}/surveys/{survey.pk}/results.csv").status_code == 404


def test_program_feedback_page_per_visit_and_host(survey, invitations, program, host):
    survey_submit(invitation=invitations["ru@gov.example"], answers=answers_for(survey, rating="4"))
    client = Client(HTTP_HOST="localhost")
    client.force_login(make_organiser("aigerim", program))

    page = client.get(f"/organiser/programs/{program.slug}/feedback/").content.decode()

    assert "Astana Hub" in page
    assert host.name in page
    assert '<td class="num" data-average>4.0</td>' in page
    assert '<rect class="chart__bar" x="0" y="20" width="460.8"' in page  # 4 of 5: four fifths of 576


@pytest.mark.parametrize("typed", ['=HYPERLINK("http://evil.example")', "+7 700 100", "@SUM(A1)", "-1+2"])
def test_survey_results_csv_neutralises_answers_a_spreadsheet_would_run(survey, invitations, program, typed):
    survey_submit(invitation=invitations["ru@gov.example"], answers=answers_for(survey, rating="5", text=typed))
    client = Client(HTTP_HOST="localhost")
    client.force_login(make_organiser("aigerim", program))

    response = client.get(f"/organiser/programs/{program.slug}/surveys/{survey.pk}/results.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))

    assert rows[1][5] == "'" + typed
