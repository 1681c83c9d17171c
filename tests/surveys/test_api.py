"""The API of this issue: send itineraries, notify changes, surveys CRUD, send and results."""

import pytest
from django.core import mail

from notifications.models import Notification
from surveys.models import Answer, Survey
from surveys.services import survey_submit
from tests.api.conftest import make_api  # noqa: F401 - the fixture, for these tests
from tests.factories import ParticipantFactory
from visits.services import visit_cancel

from .conftest import answers_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]


@pytest.fixture
def api(make_api):  # noqa: F811 - uses the imported fixture
    return make_api()


def base(program):
    return f"/api/v1/programs/{program.slug}"


def test_send_itineraries_all_or_listed_202_with_count(api, program, people, visit):
    everyone = api.post(f"{base(program)}/send-itineraries/", {}, format="json")
    listed = api.post(f"{base(program)}/send-itineraries/", {"participants": [people[0].pk]}, format="json")

    assert (everyone.status_code, everyone.json()["queued"]) == (202, 2)
    assert (listed.status_code, listed.json()["queued"]) == (202, 1)
    assert Notification.objects.count() == 3


def test_send_itineraries_foreign_participant_400_names_it(api, program, people):
    stranger = ParticipantFactory()

    response = api.post(f"{base(program)}/send-itineraries/", {"participants": [stranger.pk]}, format="json")

    assert response.status_code == 400
    assert str(stranger.pk) in response.json()["errors"]["participants"][0]
    assert Notification.objects.count() == 0


def test_notify_changes_202_with_count_of_affected(api, program, people, visit, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        api.post(f"{base(program)}/send-itineraries/", {}, format="json")
    visit_cancel(visit=visit)

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"{base(program)}/notify-changes/", format="json")

    assert (response.status_code, response.json()) == (202, {"queued": 2})
    assert len(mail.outbox) == 4


def test_read_token_cannot_send(make_api, program, people):  # noqa: F811
    reader = make_api(scopes=("read",))

    assert reader.post(f"{base(program)}/send-itineraries/", {}, format="json").status_code == 403
    assert Notification.objects.count() == 0


def test_surveys_crud_send_and_results(api, program, visit, people, django_capture_on_commit_callbacks):
    created = api.post(
        f"{base(program)}/surveys/",
        {
            "title": "Feedback",
            "visit": visit.pk,
            "opens_at": "2026-01-01T00:00:00+05:00",
            "closes_at": "2036-01-01T00:00:00+05:00",
            "questions": [
                {"kind": "rating", "text": "Overall"},
                {"kind": "choice", "text": "Best", "choices": ["A", "B"]},
            ],
        },
        format="json",
    )
    survey_id = created.json()["id"]
    added = api.post(
        f"{base(program)}/surveys/{survey_id}/questions/",
        {"kind": "text", "text": "More?", "required": False},
        format="json",
    )
    renamed = api.patch(f"{base(program)}/surveys/{survey_id}/", {"title": "Astana Hub feedback"}, format="json")
    with django_capture_on_commit_callbacks(execute=True):
        sent = api.post(f"{base(program)}/surveys/{survey_id}/send/", format="json")
    survey = Survey.objects.get(pk=survey_id)
    invitation = survey.invitations.first()
    survey_submit(invitation=invitation, answers=answers_for(survey, rating="4", choice="B", text="Fine"))
    results = api.get(f"{base(program)}/surveys/{survey_id}/results/")

    assert created.status_code == 201
    assert [q["kind"] for q in created.json()["questions"]] == ["rating", "choice"]
    assert added.status_code == 201
    assert renamed.json()["title"] == "Astana Hub feedback"
    assert (sent.status_code, sent.json()) == (202, {"queued": 2})
    assert len(mail.outbox) == 2
    body = results.json()
    assert (body["invited"], body["responded"]) == (2, 1)
    rating, choice, text = body["questions"]
    assert rating["average"] == 4.0
    assert rating["distribution"] == {"1": 0, "2": 0, "3": 0, "4": 1, "5": 0}
    assert choice["distribution"] == {"A": 0, "B": 1}
    assert text["answers"] == ["Fine"]


def test_survey_create_bad_input_400_and_nothing_written(api, program):
    response = api.post(
        f"{base(program)}/surveys/",
        {
            "title": "Bad",
            "opens_at": "2026-12-01T00:00:00+05:00",
            "closes_at": "2026-12-10T00:00:00+05:00",
            "questions": [{"kind": "choice", "text": "Pick", "choices": ["only"]}],
        },
        format="json",
    )

    assert response.status_code == 400
    assert "choices" in response.json()["errors"]
    assert Survey.objects.count() == 0
    assert Answer.objects.count() == 0


def survey_body(**extra):
    return {
        "title": "Feedback",
        "opens_at": "2026-12-01T00:00:00+05:00",
        "closes_at": "2026-12-20T00:00:00+05:00",
        **extra,
    }


def test_survey_naive_time_answers_400_naming_the_field(api, program):
    response = api.post(f"{base(program)}/surveys/", survey_body(opens_at="2026-12-01T00:00:00"), format="json")

    assert response.status_code == 400
    assert "offset" in response.json()["errors"]["opens_at"][0]
    assert not Survey.objects.exists()


def test_survey_times_are_the_same_moment_shown_in_the_programs_zone(api, program):
    program.timezone = "Europe/Moscow"
    program.save()

    response = api.post(f"{base(program)}/surveys/", survey_body(opens_at="2026-11-30T19:00:00Z"), format="json")

    assert response.status_code == 201
    assert response.json()["opens_at"] == "2026-11-30T22:00:00+03:00"
    assert response.json()["sent_at"] is None
    assert Survey.objects.get().opens_at.isoformat() == "2026-11-30T19:00:00+00:00"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (survey_body(colour="red"), "colour"),
        (survey_body(questions=[{"kind": "rating", "text": "Overall", "weight": 2}]), "questions"),
    ],
)
def test_survey_unknown_fields_answer_400_naming_them(api, program, body, field):
    response = api.post(f"{base(program)}/surveys/", body, format="json")

    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert "Unknown field" in response.json()["detail"]
    assert not Survey.objects.exists()


def test_question_unknown_field_answers_400(api, program, survey):
    response = api.patch(
        f"{base(program)}/surveys/{survey.pk}/questions/{survey.questions.first().pk}/",
        {"text": "Overall impression", "colour": "red"},
        format="json",
    )

    assert response.status_code == 400
    assert "colour" in response.json()["errors"]
    assert survey.questions.first().text == "Overall"


def test_send_itineraries_unknown_field_answers_400(api, program, people):
    response = api.post(f"{base(program)}/send-itineraries/", {"participant": [people[0].pk]}, format="json")

    assert response.status_code == 400
    assert "participant" in response.json()["errors"]
    assert Notification.objects.count() == 0


def test_delete_survey_and_question_204_and_gone(api, program, survey):
    question = survey.questions.first()

    removed_question = api.delete(f"{base(program)}/surveys/{survey.pk}/questions/{question.pk}/")
    removed_survey = api.delete(f"{base(program)}/surveys/{survey.pk}/")

    assert (removed_question.status_code, removed_survey.status_code) == (204, 204)
    assert not Survey.objects.filter(pk=survey.pk).exists()


def test_api_multiple_choice_question_and_its_results(api, program, survey, invitations):
    url = f"{base(program)}/surveys/{survey.pk}/questions/"

    created = api.post(url, {"kind": "multiple", "text": "Topics", "choices": ["AI", "Roads"]}, format="json")
    refused = api.post(url, {"kind": "multiple", "text": "Topics", "choices": "AI"}, format="json")
    question_id = created.json()["id"]
    survey_submit(
        invitation=invitations["en@gov.example"], answers={**answers_for(survey), str(question_id): ["Roads", "AI"]}
    )
    results = api.get(f"{base(program)}/surveys/{survey.pk}/results/").json()

    assert created.status_code == 201
    assert refused.status_code == 400
    topics = next(q for q in results["questions"] if q["id"] == question_id)
    assert topics["distribution"] == {"AI": 1, "Roads": 1}


def test_api_question_with_answers_keeps_its_kind_400_naming_the_field(api, program, survey, invitations):
    survey_submit(invitation=invitations["en@gov.example"], answers=answers_for(survey))
    rating = survey.questions.get(kind="rating")

    response = api.patch(f"{base(program)}/surveys/{survey.pk}/questions/{rating.pk}/", {"kind": "text"}, format="json")

    assert response.status_code == 400
    assert "its kind cannot change" in str(response.json())
    rating.refresh_from_db()
    assert rating.kind == "rating"
