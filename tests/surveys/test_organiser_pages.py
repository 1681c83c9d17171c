"""The organiser's survey pages: the list, the builder (survey and question forms, order,
deletion), invitations and reminders, results with charts, CSV/XLSX, and their query counts."""

import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from openpyxl import load_workbook

from surveys.enums import QuestionKind
from surveys.models import Answer, Invitation, Question, Survey
from surveys.services import question_create, survey_create, survey_send, survey_submit
from tests.factories import ParticipantFactory, ProgramFactory, local
from tests.web.conftest import make_organiser

from .conftest import answers_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]


@pytest.fixture
def organiser_client(program):
    client = Client(HTTP_HOST="localhost")
    client.force_login(make_organiser("aigerim", program))
    return client


def base(program, tail=""):
    return f"/organiser/programs/{program.slug}/surveys/{tail}"


def question_post(prefix, **fields):
    data = {"kind": "rating", "text": "How useful?", "choices": "", "required": "on", **fields}
    return {f"{prefix}-{name}": value for name, value in data.items() if value is not None}


def test_survey_list_shows_scope_times_counts_and_links(organiser_client, program, survey, invitations):
    survey_submit(invitation=invitations["ru@gov.example"], answers=answers_for(survey))
    survey_create(program=program, title="The whole program", opens_at=survey.opens_at, closes_at=survey.closes_at)

    page = organiser_client.get(base(program)).content.decode()

    row = re.search(rf'<tr id="survey-{survey.pk}">(.*?)</tr>', page, re.S).group(1)
    assert "How was Astana Hub?" in row
    assert "Visit: 07.12 · Astana Hub" in row
    assert '<td class="num" data-invited>2</td>' in row
    assert '<td class="num" data-answered>1</td>' in row
    for tail in ("", "invitations/", "results/"):
        assert f'href="{base(program, f"{survey.pk}/{tail}")}"' in row
    assert "The whole program" in page
    assert f'href="{base(program)}" aria-current="page">Surveys</a>' in page  # the program menu


def test_dashboard_links_the_surveys_and_their_results(organiser_client, program, survey):
    page = organiser_client.get(f"/organiser/programs/{program.slug}/").content.decode()

    assert f'href="{base(program)}"' in page
    assert f'href="{base(program, f"{survey.pk}/results/")}">How was Astana Hub?</a>' in page


def test_new_survey_is_created_and_opens_the_builder(organiser_client, program, visit):
    response = organiser_client.post(
        base(program, "new/"),
        {"title": "Week one", "visit": visit.pk, "opens_at": "2026-12-08T18:00", "closes_at": "2026-12-20T18:00"},
    )

    survey = Survey.objects.get(title="Week one")
    assert response.status_code == 302
    assert response["Location"] == base(program, f"{survey.pk}/")
    assert survey.visit == visit
    assert survey.opens_at == local(program, visit.starts_at.date(), 18).replace(day=8)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"closes_at": "2026-12-01T09:00"}, "The survey must close after it opens."),
        ({"title": "x" * 301}, "Ensure this value has at most 300 characters"),
        ({"opens_at": "tomorrow"}, "Enter a date and time such as"),
        ({"send_after_hours": "5"}, "Only a survey about a visit can be sent after it."),
        ({"visit": "999999"}, "Select a valid choice"),
    ],
)
def test_new_survey_refused_with_a_form_message_and_nothing_written(organiser_client, program, fields, message):
    data = {"title": "Week one", "visit": "", "opens_at": "2026-12-08T18:00", "closes_at": "2026-12-20T18:00"}

    response = organiser_client.post(base(program, "new/"), {**data, **fields})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Survey.objects.exists()


def test_new_survey_cannot_be_about_another_programs_visit(organiser_client, program):
    from tests.factories import SiteVisitFactory

    foreign = SiteVisitFactory(program=ProgramFactory())

    response = organiser_client.post(
        base(program, "new/"),
        {"title": "x", "visit": foreign.pk, "opens_at": "2026-12-08T18:00", "closes_at": "2026-12-20T18:00"},
    )

    assert response.status_code == 400
    assert not Survey.objects.exists()


def test_builder_adds_one_question_of_each_kind(organiser_client, program, survey):
    url = base(program, f"{survey.pk}/questions/")
    Question.objects.filter(survey=survey).delete()

    for fields in (
        {"kind": "rating", "text": "Overall"},
        {"kind": "choice", "text": "Best part", "choices": "Talks\r\n\r\n  Tour  \r\nQ&A"},
        {"kind": "multiple", "text": "Topics", "choices": "AI\nRoads", "required": None},
        {"kind": "text", "text": "Anything else?", "required": None},
    ):
        assert organiser_client.post(url, question_post("new", **fields)).status_code == 302

    assert list(survey.questions.values_list("kind", "text", "choices", "required", "position")) == [
        ("rating", "Overall", [], True, 0),
        ("choice", "Best part", ["Talks", "Tour", "Q&A"], True, 1),
        ("multiple", "Topics", ["AI", "Roads"], False, 2),
        ("text", "Anything else?", [], False, 3),
    ]
    page = organiser_client.get(base(program, f"{survey.pk}/")).content.decode()
    assert page.index("1. Overall") < page.index("2. Best part") < page.index("4. Anything else?")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kind": "choice", "choices": ""}, "A choice question needs at least two different choices."),
        ({"kind": "multiple", "choices": "Only one"}, "A choice question needs at least two different choices."),
        ({"kind": "choice", "choices": "Same\nSame"}, "A choice question needs at least two different choices."),
        ({"kind": "slider"}, "Select a valid choice. slider is not one of the available choices."),
        ({"kind": None}, "This field is required."),
        ({"text": "x" * 100_000}, "Ensure this value has at most 500 characters"),
        ({"text": ""}, "This field is required."),
        ({"kind": "choice", "choices": "\n".join(str(n) for n in range(60))}, "At most 50 choices."),
        ({"kind": "choice", "choices": "x" * 20_000}, "Ensure this value has at most"),
        ({"kind": "choice", "choices": "ok\n" + "y" * 300}, "Keep each choice under 200 characters."),
    ],
)
def test_builder_refuses_bad_questions_with_form_messages(organiser_client, program, survey, fields, message):
    before = Question.objects.count()

    response = organiser_client.post(base(program, f"{survey.pk}/questions/"), question_post("new", **fields))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert Question.objects.count() == before


def test_builder_edits_a_question_and_keeps_the_kind_of_an_answered_one(organiser_client, program, survey, invitations):
    survey_submit(invitation=invitations["en@gov.example"], answers=answers_for(survey, choice="Tour"))
    choice = survey.questions.get(kind=QuestionKind.CHOICE)
    url = base(program, f"{survey.pk}/questions/{choice.pk}/")

    # A hand-made post that tries to change the kind: the disabled field keeps the stored one.
    saved = organiser_client.post(
        url, question_post(f"q{choice.pk}", kind="text", text="Best part?", choices="Tour\nTalks")
    )
    refused = organiser_client.post(url, question_post(f"q{choice.pk}", kind="choice", text="x", choices="Talks\nQ&A"))

    choice.refresh_from_db()
    assert saved.status_code == 302
    assert (choice.kind, choice.text, choice.choices) == ("choice", "Best part?", ["Tour", "Talks"])
    assert refused.status_code == 400
    assert "Answers already picked these choices, so they must stay: “Tour”." in refused.content.decode()
    builder = organiser_client.get(base(program, f"{survey.pk}/")).content.decode()
    assert "Fixed: the question has answers." in builder


def test_builder_moves_questions_up_and_down(organiser_client, program, survey):
    rating, choice, text = survey.questions.order_by("position")

    organiser_client.post(base(program, f"{survey.pk}/questions/{text.pk}/move/"), {"direction": "up"})
    organiser_client.post(base(program, f"{survey.pk}/questions/{rating.pk}/move/"), {"direction": "down"})
    bad = organiser_client.post(base(program, f"{survey.pk}/questions/{rating.pk}/move/"), {"direction": "sideways"})

    assert list(survey.questions.order_by("position").values_list("pk", flat=True)) == [text.pk, rating.pk, choice.pk]
    assert bad.status_code == 302
    assert "Move the question up or down." in organiser_client.get(bad["Location"]).content.decode()


def test_builder_deletes_a_question_with_answers_only_when_confirmed(organiser_client, program, survey, invitations):
    survey_submit(invitation=invitations["en@gov.example"], answers=answers_for(survey))
    rating = survey.questions.get(kind=QuestionKind.RATING)
    url = base(program, f"{survey.pk}/questions/{rating.pk}/delete/")

    unconfirmed = organiser_client.post(url)
    kept = Question.objects.filter(pk=rating.pk).exists()
    organiser_client.post(url, {"confirm": "yes"})

    assert "This question has 1 answer." in organiser_client.get(unconfirmed["Location"]).content.decode()
    assert kept
    assert not Question.objects.filter(pk=rating.pk).exists()
    assert not Answer.objects.filter(question_id=rating.pk).exists()


def test_another_programs_survey_and_question_answer_404(organiser_client, program, survey):
    other = ProgramFactory()
    foreign = survey_create(
        program=other,
        title="Theirs",
        opens_at=local(other, other.start_date, 9),
        closes_at=local(other, other.end_date, 9),
        questions=[{"kind": "text", "text": "Theirs?"}],
    )
    question = foreign.questions.get()
    own_question = survey.questions.first()

    responses = [
        organiser_client.get(base(program, f"{foreign.pk}/")),
        organiser_client.get(f"/organiser/programs/{other.slug}/surveys/{foreign.pk}/"),
        organiser_client.post(base(program, f"{survey.pk}/questions/{question.pk}/"), question_post(f"q{question.pk}")),
        organiser_client.post(base(program, f"{survey.pk}/questions/{question.pk}/move/"), {"direction": "up"}),
        organiser_client.post(base(program, f"{survey.pk}/questions/{question.pk}/delete/")),
        organiser_client.post(base(program, f"{foreign.pk}/questions/{own_question.pk}/delete/")),
        organiser_client.post(base(program, f"{foreign.pk}/send/")),
        organiser_client.post(base(program, f"{foreign.pk}/nudge/")),
        organiser_client.get(base(program, f"{foreign.pk}/results.xlsx")),
    ]

    assert [r.status_code for r in responses] == [404] * len(responses)
    question.refresh_from_db()
    assert question.text == "Theirs?"
    assert Question.objects.filter(pk=own_question.pk).exists()


def test_invitations_page_sends_shows_who_answered_and_nudges(
    organiser_client, program, survey, people, django_capture_on_commit_callbacks
):
    url = base(program, f"{survey.pk}/invitations/")
    before = organiser_client.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        sent = organiser_client.post(base(program, f"{survey.pk}/send/"))
    survey_submit(invitation=Invitation.objects.get(participant=people[0]), answers=answers_for(survey))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        organiser_client.post(base(program, f"{survey.pk}/nudge/"))
    page = organiser_client.get(url).content.decode()

    assert "Send the invitation to 2 people" in before
    assert sent["Location"] == url
    assert [m.to[0].split("<")[1].rstrip(">") for m in mail.outbox] == [people[1].email]
    assert "Survey reminder: How was Astana Hub?: 1 reminder queued." in page
    assert f'<tr data-participant="{people[0].pk}" data-state="answered">' in page
    assert f'<tr data-participant="{people[1].pk}" data-state="nudged">' in page
    assert '<span class="stats__number" data-answered>1</span>' in page
    assert '<span class="stats__number" data-not-invited>0</span>' in page


def test_send_after_the_survey_closed_says_so(organiser_client, program, survey):
    Survey.objects.filter(pk=survey.pk).update(
        opens_at=survey.opens_at - timedelta(days=40), closes_at=survey.opens_at - timedelta(days=20)
    )

    response = organiser_client.post(base(program, f"{survey.pk}/send/"), follow=True)

    assert "The survey closed on" in response.content.decode()
    assert not Invitation.objects.exists()


def test_send_and_nudge_say_how_many_were_queued_and_come_back_to_the_invitations(
    organiser_client, program, survey, people, django_capture_on_commit_callbacks
):
    url = base(program, f"{survey.pk}/invitations/")

    with django_capture_on_commit_callbacks(execute=True):
        sent = organiser_client.post(base(program, f"{survey.pk}/send/"), follow=True)
    with django_capture_on_commit_callbacks(execute=True):
        nudged = organiser_client.post(base(program, f"{survey.pk}/nudge/"), follow=True)

    assert sent.redirect_chain == [(url, 302)]
    assert "Survey invitation: How was Astana Hub?: 2 invitations queued." in sent.content.decode()
    assert nudged.redirect_chain == [(url, 302)]
    assert "Survey reminder: How was Astana Hub?: 2 reminders queued." in nudged.content.decode()


def test_send_and_nudge_say_how_many_in_russian(
    organiser_client, program, survey, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sent = organiser_client.post(base(program, f"{survey.pk}/send/"), follow=True, HTTP_ACCEPT_LANGUAGE="ru")
    with django_capture_on_commit_callbacks(execute=True):
        nudged = organiser_client.post(base(program, f"{survey.pk}/nudge/"), follow=True, HTTP_ACCEPT_LANGUAGE="ru")

    assert ": 2 приглашения в очереди." in sent.content.decode()
    assert ": 2 напоминания в очереди." in nudged.content.decode()


def test_nudge_after_the_survey_closed_says_so_and_reminds_nobody(organiser_client, program, survey, invitations):
    Survey.objects.filter(pk=survey.pk).update(
        opens_at=survey.opens_at - timedelta(days=40), closes_at=survey.opens_at - timedelta(days=20)
    )
    mail.outbox.clear()

    response = organiser_client.post(base(program, f"{survey.pk}/nudge/"), follow=True)

    assert response.redirect_chain == [(base(program, f"{survey.pk}/invitations/"), 302)]
    assert "The survey closed on" in response.content.decode()
    assert "queued" not in response.content.decode()
    assert mail.outbox == []
    assert set(Invitation.objects.values_list("nudges", flat=True)) == {0}


def test_send_and_nudge_answer_only_a_post(organiser_client, program, survey):
    assert organiser_client.get(base(program, f"{survey.pk}/send/")).status_code == 405
    assert organiser_client.get(base(program, f"{survey.pk}/nudge/")).status_code == 405
    assert not Invitation.objects.exists()


def test_results_page_draws_a_chart_per_question_and_compares_visits(organiser_client, program, survey, invitations):
    multiple = question_create(survey=survey, kind="multiple", text="Topics", choices=["AI", "Roads", "Schools"])
    for invitation, rating, ticked in zip(invitations.values(), ["5", "3"], [["AI", "Roads"], ["AI"]], strict=True):
        answers = {**answers_for(survey, rating=rating, text="Good"), str(multiple.pk): ticked}
        survey_submit(invitation=invitation, answers=answers)

    page = organiser_client.get(base(program, f"{survey.pk}/results/")).content.decode()

    chart = re.search(rf'<svg class="chart" id="chart-{multiple.pk}".*?</svg>', page, re.S).group(0)
    bars = re.findall(r'data-label="([^"]+)" data-value="(\d+)"', chart)
    lengths = [float(w) for w in re.findall(r'class="chart__bar" [^>]*width="([\d.]+)"', chart)]
    assert bars == [("AI", "2"), ("Roads", "1"), ("Schools", "0")]
    assert lengths == [576, 288, 0]
    assert f'<desc id="chart-{multiple.pk}-desc">AI: 2; Roads: 1; Schools: 0</desc>' in chart
    assert "<strong data-average>4.0</strong>" in page
    assert "<li>Good</li>" in page
    visits = re.search(r'<svg class="chart" id="chart-visits".*?</svg>', page, re.S).group(0)
    assert 'data-label="07.12 · Astana Hub" data-value="4.00"' in visits
    assert "chart__bar--highlight" in visits


def test_results_xlsx_has_the_responses_and_a_summary(organiser_client, program, survey, invitations):
    typed = '=HYPERLINK("http://evil.example")'
    survey_submit(invitation=invitations["ru@gov.example"], answers=answers_for(survey, rating="5", text=typed))

    response = organiser_client.get(base(program, f"{survey.pk}/results.xlsx"))
    workbook = load_workbook(io.BytesIO(response.content))

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    responses, summary = workbook.worksheets
    rows = [[cell.value for cell in row] for row in responses.iter_rows()]
    assert rows[0] == ["participant", "group", "responded_at", "Overall", "Most useful part", "Anything else?"]
    assert rows[1][3:] == [5, "Tour", typed]
    assert responses.cell(row=2, column=6).data_type == "s"  # text, not a formula
    summary_rows = [[cell.value for cell in row] for row in summary.iter_rows()]
    assert ["Overall", "Answers", 1] in summary_rows
    assert [None, "Average", 5] in summary_rows  # an empty cell reads back as None
    assert [None, "Tour", 1] in summary_rows


def _grow(program, survey, count):
    """`count` more surveys, participants and answers: the pages must not query more."""
    group = survey.visit.bookings.first().group
    for n in range(count):
        person = ParticipantFactory(program=program, group=group, email=f"more{n}@gov.example")
        extra = survey_create(
            program=program,
            title=f"Extra {n}",
            opens_at=survey.opens_at,
            closes_at=survey.closes_at,
            questions=[{"kind": "rating", "text": "Overall"}, {"kind": "multiple", "text": "T", "choices": ["a", "b"]}],
        )
        question_create(survey=survey, kind="multiple", text=f"Extra {n}", choices=["x", "y"], required=False)
        survey_send(survey=extra)
        del person
    survey_send(survey=survey)
    for invitation in survey.invitations.all():
        survey_submit(invitation=invitation, answers=answers_for(survey))


@pytest.mark.parametrize("size", [1, 4])
@pytest.mark.parametrize(
    ("tail", "queries"),
    [("", 6), ("{id}/", 9), ("{id}/invitations/", 8), ("{id}/results/", 11), ("{id}/results.xlsx", 12)],
)
def test_survey_pages_query_counts_are_flat(
    organiser_client, program, survey, people, size, tail, queries, django_assert_num_queries
):
    _grow(program, survey, size)

    with django_assert_num_queries(queries):
        response = organiser_client.get(base(program, tail.format(id=survey.pk)))

    assert response.status_code == 200


def test_survey_pages_speak_russian_and_the_form_kazakh(organiser_client, program, survey, invitations):
    from django.utils import translation

    question_create(survey=survey, kind="multiple", text="Topics", choices=["AI", "Roads"], required=False)
    person = invitations["en@gov.example"].participant
    person.language = "kk"
    person.save()

    listing = organiser_client.get(base(program), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    builder = organiser_client.get(base(program, f"{survey.pk}/"), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    form = Client(HTTP_HOST="localhost").get(f"/s/{invitations['en@gov.example'].token}/").content.decode()
    translation.activate("en")

    assert "Новый опрос" in listing
    assert "Добавить вопрос" in builder
    assert "Несколько вариантов" in builder
    assert "Сәйкес келетіндердің бәрін белгілеңіз." in form


def test_survey_settings_change_and_a_bad_date_shows_on_the_builder(organiser_client, program, survey):
    url = base(program, f"{survey.pk}/")
    data = {"title": "Astana Hub, two weeks on", "visit": survey.visit_id, "intro": "Five minutes."}
    times = {"opens_at": "2026-12-08T18:00", "closes_at": "2026-12-20T18:00"}

    saved = organiser_client.post(url, {**data, **times})
    refused = organiser_client.post(url, {**data, **times, "title": "Never saved", "closes_at": "2026-12-08T17:00"})

    survey.refresh_from_db()
    assert saved.status_code == 302
    assert (survey.title, survey.intro) == ("Astana Hub, two weeks on", "Five minutes.")
    assert refused.status_code == 400
    assert "The survey must close after it opens." in refused.content.decode()
    assert "1. Overall" in refused.content.decode()  # the questions stay on the page
    assert survey.title == "Astana Hub, two weeks on"


def test_after_invitations_the_survey_keeps_its_visit_whatever_is_posted(
    organiser_client, program, survey, invitations
):
    response = organiser_client.post(
        base(program, f"{survey.pk}/"),
        {"title": "Renamed", "visit": "", "opens_at": "2026-12-08T18:00", "closes_at": "2026-12-20T18:00"},
    )

    survey.refresh_from_db()
    assert response.status_code == 302
    assert survey.title == "Renamed"
    assert survey.visit_id is not None


@pytest.mark.parametrize(
    ("order", "status"),
    [("{c},{t},{r}", 204), ("{c},{t}", 400), ("{c},{t},{r},{r}", 400), ("a,b,c", 400), ("", 400), ("9" * 5000, 400)],
)
def test_builder_drag_and_drop_sends_the_whole_order(organiser_client, program, survey, order, status):
    rating, choice, text = survey.questions.order_by("position")
    before = list(survey.questions.order_by("position").values_list("pk", flat=True))

    response = organiser_client.post(
        base(program, f"{survey.pk}/questions/order/"), {"order": order.format(r=rating.pk, c=choice.pk, t=text.pk)}
    )

    after = list(survey.questions.order_by("position").values_list("pk", flat=True))
    assert response.status_code == status
    if status == 204:
        assert after == [choice.pk, text.pk, rating.pk]
    else:
        assert response.content.decode() == "Give every question of the survey once."
        assert after == before


@pytest.mark.parametrize("forged", ["²", "99999999999999999999999"])
def test_new_survey_page_with_a_visit_that_is_no_id_opens_without_it(organiser_client, program, forged):
    response = organiser_client.get(base(program, f"new/?visit={forged}"))

    assert response.status_code == 200
    assert response.context["form"].initial.get("visit") is None
