"""A participant whose language is Kazakh gets every participant-facing e-mail in Kazakh:
the schedule, the evening reminder, the change notice and the survey invitation (and its nudge),
each multipart text + HTML with absolute links built from SITE_URL."""

from datetime import date, datetime, timedelta

import pytest
from django.core import mail
from django.template import Context, Template
from django.test import override_settings
from django.utils import timezone, translation

from notices.services import change_notices_release, evening_reminders_enqueue, schedule_send
from surveys.enums import QuestionKind
from surveys.models import Invitation
from surveys.services import survey_create, survey_send, surveys_send_due
from tests.factories import ParticipantFactory, local
from visits.services import visit_cancel, visit_create, visit_update

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]

SITE = "https://portal.academy.example.kz"
DAY = date(2026, 12, 8)  # a Tuesday ("сейсенбі")

# Phrases only the Russian templates use: none may leak into a Kazakh e-mail.
RUSSIAN_ONLY = (
    "Уважаемый",
    "Ваша программа",
    "Направляем",
    "Место сбора",
    "место сбора",
    "Открыть мою программу",
    "Календарь для телефона",
    "Изменения в",
    "было:",
    "стало:",
    "Завтра",
    "Ваш план",
    "Поделитесь",
    "Напоминание",
    "Опрос открыт",
)


@pytest.fixture(autouse=True)
def site_url():
    with override_settings(SITE_URL=SITE):
        yield


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    def run(func, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return func(**kwargs)

    return run


@pytest.fixture
def kazakh(program, group):
    program.city_kk = "Астана"  # the program's city as the organiser wrote it in Kazakh
    program.save()
    return ParticipantFactory(
        program=program, group=group, language="kk", first_name="Айгүл", last_name="Сәрсенова", patronymic=""
    )


@pytest.fixture
def visits(program, group, host):
    morning = visit_create(
        program=program,
        groups=[group],
        host=host,
        title="Astana Hub",
        starts_at=local(program, DAY, 10),
        ends_at=local(program, DAY, 12),
        meeting_point="Hotel lobby",
    )
    afternoon = visit_create(
        program=program,
        groups=[group],
        host=host,
        title="Ministry of Digital Development",
        starts_at=local(program, DAY, 15),
        ends_at=local(program, DAY, 17),
    )
    return {"morning": morning, "afternoon": afternoon}


def only_mail_to(participant):
    messages = [message for message in mail.outbox if any(participant.email in to for to in message.to)]
    assert len(messages) == 1, [message.subject for message in messages]
    return messages[0]


def html_of(message):
    ((content, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    return content


def assert_no_russian(*texts):
    for text in texts:
        leaked = [phrase for phrase in RUSSIAN_ONLY if phrase in text]
        assert leaked == []


def test_schedule_in_kazakh_with_absolute_links_and_ics(program, kazakh, visits, send):
    send(schedule_send, program=program)

    message = only_mail_to(kazakh)
    html = html_of(message)
    assert message.subject == f"Сіздің кестеңіз: {program.title}"
    assert message.body.startswith("Құрметті Айгүл Сәрсенова!\n")
    assert f"«{program.title}» бағдарламасы бойынша кестеңізді жолдаймыз (уақыт жергілікті: Астана, UTC+5)." in (
        message.body
    )
    assert "2026 жылғы 8 желтоқсан, сейсенбі" in message.body
    assert "10:00–12:00  Astana Hub" in message.body
    assert "Жиналу орны: Hotel lobby" in message.body
    assert f"Жеке бетіңіз (әрдайым өзекті): {SITE}/i/{kazakh.access_token}/" in message.body
    assert f"Телефонға арналған күнтізбе: {SITE}/i/{kazakh.access_token}.ics" in message.body
    assert '<html lang="kk">' in html
    assert f'<a href="{SITE}/i/{kazakh.access_token}/"' in html
    assert "Менің кестемді ашу</a>" in html
    assert "Жиналу орны: Hotel lobby" in html
    assert [(name, mimetype) for name, _content, mimetype in message.attachments] == [
        ("itinerary.ics", "text/calendar")
    ]
    assert_no_russian(message.subject, message.body, html)


def test_schedule_in_kazakh_with_no_visits_says_so(program, kazakh, send):
    send(schedule_send, program=program)

    message = only_mail_to(kazakh)
    assert "Тобыңызға әлі бірде-бір сапар жоспарланбаған." in message.body
    assert "Тобыңызға әлі бірде-бір сапар жоспарланбаған." in html_of(message)


def test_evening_reminder_in_kazakh(program, kazakh, visits, send):
    send(evening_reminders_enqueue, now=datetime(2026, 12, 7, 18, 5, tzinfo=program.tzinfo))

    message = only_mail_to(kazakh)
    html = html_of(message)
    assert message.subject == "Ертең, 8 желтоқсан, сейсенбі: сіздің жоспарыңыз"
    assert "Ертеңгі жоспарыңыз, 8 желтоқсан, сейсенбі (уақыт: Астана, UTC+5):" in message.body
    morning = visits["morning"]
    assert f"10:00–12:00  Astana Hub, {morning.effective_location}; жиналу орны: Hotel lobby" in message.body
    assert "15:00–17:00  Ministry of Digital Development" in message.body
    assert message.body.rstrip().endswith(f"Сіздің кестеңіз: {SITE}/i/{kazakh.access_token}/")
    assert f'<a href="{SITE}/i/{kazakh.access_token}/">Менің кестемді ашу</a>' in html
    assert "<strong>8 желтоқсан, сейсенбі</strong>" in html
    assert_no_russian(message.subject, message.body, html)


def test_change_notice_in_kazakh_old_and_new_with_status(program, kazakh, visits, send):
    send(schedule_send, program=program)
    mail.outbox.clear()

    visit_update(visit=visits["morning"], starts_at=local(program, DAY, 9), ends_at=local(program, DAY, 11))
    visit_cancel(visit=visits["afternoon"])
    assert send(change_notices_release, program=program) == 1

    message = only_mail_to(kazakh)
    html = html_of(message)
    assert message.subject == f"Кестеңіздегі өзгерістер: {program.title}"
    assert f"Соңғы хатымыздан бері «{program.title}» бағдарламасы бойынша кестеңіз өзгерді:" in message.body
    # Short weekday names are the Kazakh ones ("Сс", Tuesday), not Django's "Сб".
    assert "бұрын: Сс 8 Жел 10:00–12:00" in message.body
    assert "қазір: Сс 8 Жел 09:00–11:00" in message.body
    assert "қазір: Сс 8 Жел 15:00–17:00, " in message.body
    assert ", Болдырылмады" in message.body  # the cancelled visit's status, in Kazakh
    assert f"Өзекті кесте: {SITE}/i/{kazakh.access_token}/" in message.body
    assert "Қоса берілген itinerary.ics файлы күнтізбеңіздегі оқиғаларды жаңартады." in message.body
    assert "қазір: Сс 8 Жел 09:00–11:00" in html
    assert f'<a href="{SITE}/i/{kazakh.access_token}/"' in html
    assert [name for name, _content, _mimetype in message.attachments] == ["itinerary.ics"]
    assert_no_russian(message.subject, message.body, html)


@pytest.fixture
def survey(program, visits, kazakh):
    return survey_create(
        program=program,
        visit=visits["morning"],
        title="Astana Hub: пікіріңіз",
        opens_at=local(program, program.start_date, 9),
        closes_at=local(program, program.end_date, 20),
        questions=[{"kind": QuestionKind.RATING, "text": "Жалпы баға"}],
    )


def test_survey_invitation_in_kazakh_with_absolute_link(survey, kazakh, send):
    send(survey_send, survey=survey, now=local(survey.program, DAY, 13))

    message = only_mail_to(kazakh)
    html = html_of(message)
    token = Invitation.objects.get(participant=kazakh).token
    assert message.subject == "Astana Hub: пікіріңіз"
    assert "«Astana Hub» сапары туралы әсерлеріңізбен бөлісуіңізді сұраймыз: бұл бір минутыңызды ғана алады." in (
        message.body
    )
    assert f"\n{SITE}/s/{token}/\n" in message.body
    assert "Сауалнаманың жабылу мерзімі: 2026 жылғы 16 желтоқсан, сағат 20:00." in message.body
    assert f'<a href="{SITE}/s/{token}/"' in html
    assert "Сауалнаманың жабылу мерзімі: 2026 жылғы 16 желтоқсан, сағат 20:00." in html
    assert "Біз сіздің жауаптарыңызды" not in message.body  # not a nudge
    assert_no_russian(message.subject, message.body, html)


def test_survey_nudge_in_kazakh(survey, kazakh, visits, django_capture_on_commit_callbacks):
    survey.send_after_hours = 2
    survey.save()
    ends = visits["morning"].ends_at

    for now in (ends + timedelta(hours=2), ends + timedelta(hours=2, days=2)):
        with django_capture_on_commit_callbacks(execute=True):
            surveys_send_due(now=now)

    invitation, nudge = sorted(
        (m for m in mail.outbox if kazakh.email in m.to[0]), key=lambda m: m.subject.startswith("Еске салу")
    )
    assert invitation.subject == "Astana Hub: пікіріңіз"
    assert nudge.subject == "Еске салу: Astana Hub: пікіріңіз"
    assert "Біз сіздің жауаптарыңызды әлі алған жоқпыз. «Astana Hub» сапары туралы" in nudge.body
    assert "Біз сіздің жауаптарыңызды әлі алған жоқпыз." in html_of(nudge)
    assert_no_russian(nudge.subject, nudge.body, html_of(nudge))


def test_kazakh_weekday_names_are_the_corrected_ones():
    # The overrides in locale/kk keep Django's misspelt or ambiguous names out of dates.
    week = [timezone.make_aware(datetime(2026, 12, 7 + offset, 12)) for offset in range(7)]
    with translation.override("kk"):
        rendered = [Template('{{ d|date:"D l" }}').render(Context({"d": day})) for day in week]

    assert rendered == [
        "Дс Дүйсенбі",
        "Сс Сейсенбі",
        "Ср Сәрсенбі",
        "Бс Бейсенбі",
        "Жм Жұма",
        "Сб Сенбі",
        "Жс Жексенбі",
    ]
