"""Translated content (issue 14): the demo in the reader's language, the fallbacks, the version
kept by bulk writes through the translated names, the API's languages, forms and e-mails."""

import re

import icalendar
import pytest
from django.test import override_settings
from django.utils import translation

from demo.data import load_demo
from internship_portal.translated import shown_language, translations_of
from participants.models import Participant
from programs.models import Program
from tests.factories import HostOrganisationFactory, ParticipantFactory, ProjectGroupFactory, local
from tests.notifications.smtp import SmtpSink
from visits.models import HostOrganisation, SiteVisit
from visits.services import host_create, visit_create, visit_update

pytestmark = pytest.mark.django_db


def _visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def demo():
    program, _ = load_demo()
    return program


def _first(program, language):
    return Participant.objects.filter(program=program, language=language).order_by("pk").first()


def test_a_russian_participant_of_the_demo_reads_their_itinerary_in_russian(demo, client):
    participant = _first(demo, "ru")

    page = _visible_text(client.get(f"/i/{participant.access_token}/").content.decode())

    assert "Церемония открытия" in page
    assert "Главный вход Академии" in page
    assert "Академия государственного управления при Президенте Республики Казахстан" in page
    assert "Развитие человеческого капитала в интересах достижения национальных целей" in page
    for english in (
        "Opening ceremony",
        "Main entrance",
        "Hotel lobby",
        "Academy of Public",
        "Lecture:",
        "the international",
    ):
        assert english not in page


def test_a_kazakh_participant_reads_kazakh_content(demo, client):
    participant = _first(demo, "ru")
    participant.language = "kk"
    Participant.objects.filter(pk=participant.pk).update(language="kk")

    page = _visible_text(client.get(f"/i/{participant.access_token}/").content.decode())

    assert "Ашылу салтанаты" in page
    assert "Академияның бас кіреберісі" in page
    assert "Церемония" not in page
    assert "Opening ceremony" not in page


def test_the_calendar_feed_is_in_the_participants_language(demo, client):
    participant = _first(demo, "ru")

    calendar = icalendar.Calendar.from_ical(client.get(f"/i/{participant.access_token}.ics").content)

    summaries = [str(event["SUMMARY"]) for event in calendar.walk("VEVENT")]
    assert summaries[0] == "Церемония открытия"
    assert "Место сбора: Главный вход Академии" in str(calendar.walk("VEVENT")[0]["DESCRIPTION"])


def test_a_missing_translation_falls_back_kazakh_to_russian_to_english(program, group):
    visit = visit_create(
        program=program,
        groups=[group],
        title="Opening ceremony",
        title_ru="Церемония открытия",
        meeting_point="Main entrance",
        starts_at=local(program, program.start_date, 10),
        ends_at=local(program, program.start_date, 11),
    )

    with translation.override("kk"):
        assert (visit.title, shown_language(visit, "title")) == ("Церемония открытия", "ru")
        assert (visit.meeting_point, shown_language(visit, "meeting_point")) == ("Main entrance", "en")
    with translation.override("ru"):
        assert visit.meeting_point == "Main entrance"
    with translation.override("en"):
        assert visit.title == "Opening ceremony"


def test_a_bulk_update_through_the_translated_name_writes_the_language_and_raises_the_version(program, group):
    visit = visit_create(
        program=program,
        groups=[group],
        title="Opening ceremony",
        starts_at=local(program, program.start_date, 10),
        ends_at=local(program, program.start_date, 11),
    )
    version = Program.objects.get(pk=program.pk).version

    with translation.override("ru"):
        SiteVisit.objects.filter(pk=visit.pk).update(title="Церемония открытия")

    assert Program.objects.get(pk=program.pk).version > version
    visit = SiteVisit.objects.get(pk=visit.pk)
    assert translations_of(visit, "title") == {"en": "Opening ceremony", "ru": "Церемония открытия", "kk": ""}


def test_a_new_russian_title_alone_is_a_change_the_calendar_sees(program, group):
    visit = visit_create(
        program=program,
        groups=[group],
        title="Opening ceremony",
        starts_at=local(program, program.start_date, 10),
        ends_at=local(program, program.start_date, 11),
    )

    visit_update(visit=visit, title_ru="Церемония открытия")

    assert SiteVisit.objects.get(pk=visit.pk).sequence == visit.sequence == 1


def test_two_hosts_without_a_kazakh_name_do_not_clash():
    host_create(name="Astana Hub", name_kk="")
    host_create(name="Nazarbayev University", name_ru="Назарбаев Университет", name_kk="")

    assert HostOrganisation.objects.filter(name_kk__isnull=True).count() == 2


# --- the API ------------------------------------------------------------------------


def _visit(program, group):
    return visit_create(
        program=program,
        groups=[group],
        title="Opening ceremony",
        title_ru="Церемония открытия",
        starts_at=local(program, program.start_date, 10),
        ends_at=local(program, program.start_date, 11),
    )


def test_the_api_reads_the_language_asked_for_with_every_translation_beside(program, group, api):
    visit = _visit(program, group)
    url = f"/api/v1/programs/{program.slug}/visits/{visit.pk}/"

    russian = api.get(url, HTTP_ACCEPT_LANGUAGE="ru").json()
    kazakh = api.get(url + "?lang=kk", HTTP_ACCEPT_LANGUAGE="ru").json()
    english = api.get(url).json()

    assert russian["title"] == "Церемония открытия"
    assert kazakh["title"] == "Церемония открытия"  # kk falls back to ru
    assert english["title"] == "Opening ceremony"
    assert english["title_i18n"] == {"en": "Opening ceremony", "ru": "Церемония открытия", "kk": ""}
    assert api.get(url + "?lang=de").status_code == 400


def test_the_api_writes_the_plain_name_in_the_requests_language_and_merges_i18n(program, group, api):
    visit = _visit(program, group)
    url = f"/api/v1/programs/{program.slug}/visits/{visit.pk}/"

    first = api.patch(url + "?lang=kk", {"title": "Ашылу салтанаты"}, format="json")
    second = api.patch(url, {"meeting_point_i18n": {"ru": "Главный вход", "kk": "Бас кіреберіс"}}, format="json")

    assert first.status_code == 200, first.json()
    assert first.json()["title"] == "Ашылу салтанаты"
    assert second.status_code == 200, second.json()
    assert second.json()["title_i18n"] == {
        "en": "Opening ceremony",
        "ru": "Церемония открытия",
        "kk": "Ашылу салтанаты",
    }
    assert second.json()["meeting_point_i18n"] == {"en": "", "ru": "Главный вход", "kk": "Бас кіреберіс"}
    refused = api.patch(url, {"title_i18n": {"de": "Eröffnung"}}, format="json")
    assert refused.status_code == 400
    assert "title_i18n" in refused.json()["errors"]


def test_the_api_creates_a_group_in_three_languages(program, api):
    response = api.post(
        f"/api/v1/programs/{program.slug}/groups/?lang=ru",
        {"name": "Группа 9", "name_i18n": {"en": "Group 9", "kk": "9-топ"}},
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert response.json()["name"] == "Группа 9"
    assert response.json()["name_i18n"] == {"en": "Group 9", "ru": "Группа 9", "kk": "9-топ"}
    missing = api.post(f"/api/v1/programs/{program.slug}/groups/", {"name_i18n": {"en": "G"}}, format="json")
    assert missing.status_code == 400
    assert "name" in missing.json()["errors"]


def test_the_schema_shows_the_i18n_objects(api):
    schema = api.get("/api/schema/?format=json").json()

    visit = schema["components"]["schemas"]["VisitOutput"]["properties"]["title_i18n"]
    assert set(visit["properties"]) == {"en", "ru", "kk"}
    assert "title_i18n" in schema["components"]["schemas"]["VisitInputRequest"]["properties"]


def test_the_itinerary_json_is_in_the_participants_language_unless_another_is_asked(program, group, api):
    _visit(program, group)
    participant = ParticipantFactory(program=program, group=group, language="ru")
    url = f"/api/v1/programs/{program.slug}/participants/{participant.pk}/itinerary/"

    russian = api.get(url).json()
    english = api.get(url + "?lang=en").json()

    assert russian["days"][0]["items"][0]["title"] == "Церемония открытия"
    assert english["days"][0]["items"][0]["title"] == "Opening ceremony"


# --- forms, lists and e-mails --------------------------------------------------------


def test_the_organiser_enters_the_three_languages_side_by_side_and_sees_the_missing_ones(
    program, group, organiser_client
):
    visit = _visit(program, group)
    url = f"/organiser/programs/{program.slug}/visits/{visit.pk}/"

    page = organiser_client.get(url).content.decode()

    for language in ("en", "ru", "kk"):
        assert f'name="title_{language}"' in page
    assert re.search(r'translation--missing">\s*<label[^>]*for="id_title_kk"', page)
    assert '<label for="id_title_en">' in page


def test_the_admin_shows_a_hosts_name_in_three_languages(admin_client):
    host = HostOrganisationFactory(name="Astana Hub", name_ru="Astana Hub", name_kk="")

    page = admin_client.get(f"/admin/visits/hostorganisation/{host.pk}/change/").content.decode()

    assert 'name="name_en"' in page
    assert 'name="name_kk"' in page
    assert 'name="name"' not in page


def test_the_translated_filter_marks_a_text_shown_in_another_language(program, group):
    from django.template import Context, Template

    visit = _visit(program, group)
    template = Template('{{ visit|translated:"title" }}')

    with translation.override("kk"):
        kazakh = template.render(Context({"visit": visit}))
    with translation.override("ru"):
        russian = template.render(Context({"visit": visit}))

    assert "Церемония открытия" in kazakh
    assert '<abbr class="fallback" lang="ru"' in kazakh
    assert 'class="fallback"' not in russian


@pytest.mark.parametrize(
    ("language", "subject", "title"),
    [
        ("ru", "Ваша программа", "Церемония открытия"),
        ("kk", "Сіздің кестеңіз", "Ашылу салтанаты"),
        ("en", "Your itinerary", "Opening"),
    ],
)
def test_the_schedule_email_is_in_the_participants_language(
    program, language, subject, title, django_capture_on_commit_callbacks, celery_eager
):
    from notices.services import schedule_send

    group = ProjectGroupFactory(program=program)
    visit_create(
        program=program,
        groups=[group],
        title="Opening ceremony",
        title_ru="Церемония открытия",
        title_kk="Ашылу салтанаты",
        starts_at=local(program, program.start_date, 10),
        ends_at=local(program, program.start_date, 11),
    )
    participant = ParticipantFactory(program=program, group=group, language=language)

    with (
        SmtpSink() as sink,
        override_settings(**sink.settings()),
    ):
        with django_capture_on_commit_callbacks(execute=True):
            schedule_send(program=program)
        (message,) = sink.by_recipient(participant.email)

    text = message.get_body(("plain",)).get_content()
    assert subject in message["Subject"]
    assert title in text


@pytest.mark.parametrize("page", ["board", "itinerary", "api"])
def test_every_language_costs_the_same_queries(demo, organiser_client, api, page):
    """Translated texts are columns of the rows already read: no language adds a query."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    participant = _first(demo, "ru")
    demo.organisers.add(organiser_client.organiser)
    urls = {
        "board": f"/organiser/programs/{demo.slug}/board/",
        "itinerary": f"/i/{participant.access_token}/",
        "api": f"/api/v1/programs/{demo.slug}/visits/",
    }
    client = api if page == "api" else organiser_client
    counts = {}
    client.get(urls[page])  # the token's and the session's first use, outside the counts
    for language in ("en", "ru", "kk"):
        cache.clear()  # each language built afresh, as after a change
        with CaptureQueriesContext(connection) as queries:
            response = client.get(urls[page], HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200
        counts[language] = len(queries)

    assert counts["ru"] == counts["en"] == counts["kk"]


def test_a_choice_answered_in_russian_counts_with_the_same_choice_in_english(program, group):
    from datetime import timedelta

    from django.utils import timezone

    from surveys.models import Invitation
    from surveys.selectors import survey_results
    from surveys.services import survey_create, survey_submit

    now = timezone.now()
    survey = survey_create(
        program=program,
        title="Feedback",
        title_ru="Отзыв",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=1),
        questions=[
            {
                "kind": "choice",
                "text": "Useful?",
                "text_ru": "Полезно?",
                "choices": ["Yes", "No"],
                "choices_ru": ["Да", "Нет"],
            }
        ],
    )
    question = survey.questions.get()
    people = ParticipantFactory.create_batch(2, program=program, group=group)
    for person, answer in zip(people, ("Да", "Yes"), strict=True):
        invitation = Invitation.objects.create(survey=survey, participant=person)
        survey_submit(invitation=invitation, answers={str(question.pk): answer}, now=now)

    with translation.override("ru"):
        results = survey_results(survey=survey)

    assert results["questions"][0]["distribution"] == {"Да": 2, "Нет": 0}
