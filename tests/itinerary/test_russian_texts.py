"""What a Russian participant reads, end to end: the personal page, the schedule e-mail and
the .ics feed carry no English label among those translated (meeting point, host, the names
of weekdays and months)."""

import icalendar
import pytest
from django.core import mail

from notices.services import schedule_send

from .conftest import schedule

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]

ENGLISH = (
    "Meeting point", "Host:", "Monday", "Tuesday", "Wednesday", "December", "Dec ", "Tue ",
)  # fmt: skip
NOMINATIVE = ("Декабрь", "декабрь")


@pytest.fixture
def russian(program, group, participant):
    participant.language = "ru"
    participant.email = "antonov@gov.example"
    participant.save()
    program.city_ru = "Астана"
    program.save()
    schedule(program, [group], 1, 10, 12, title="Astana Hub", meeting_point="Hotel lobby")  # Tuesday 8 December
    return participant


def test_russian_page_email_and_feed_have_no_english_labels(
    client, program, russian, django_capture_on_commit_callbacks
):
    page = client.get(f"/i/{russian.access_token}/").content.decode()
    feed = client.get(f"/i/{russian.access_token}.ics").content
    with django_capture_on_commit_callbacks(execute=True):
        schedule_send(program=program)
    (message,) = mail.outbox
    attachment = message.attachments[0][1]
    descriptions = [
        str(event["DESCRIPTION"])
        for body in (feed, attachment)
        for event in icalendar.Calendar.from_ical(body).walk("VEVENT")
    ]

    assert "Вторник, 8 декабря" in page
    assert "Место сбора" in page
    assert "Вторник, 8 декабря 2026" in message.body
    assert "Место сбора: Hotel lobby" in message.body
    # The program's city and offset, as the personal page says it (its zone is named for Almaty).
    assert "(время местное: Астана, UTC+5)" in message.body
    assert "Asia/Almaty" not in message.body + message.alternatives[0][0]
    assert all(text.startswith("Место сбора: Hotel lobby\nПринимающая сторона: ") for text in descriptions)
    texts = [page, message.subject, message.body, message.alternatives[0][0], *descriptions]
    for text in texts:
        for label in ENGLISH + NOMINATIVE:
            assert label not in text, label
