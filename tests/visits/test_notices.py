"""Messages about the schedule: the itinerary e-mail, net change notices, reminders, host briefings."""

from datetime import date

import icalendar
import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from notifications.models import Notification
from notifications.selectors import sendout_progress
from tests.factories import ParticipantFactory, local
from visits.models import NotifiedItinerary
from visits.notices import (
    schedule_send,
)
from visits.services import visit_create

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]

DAY = date(2026, 12, 8)


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Run a service and the e-mails it queues (on commit), returning its result."""

    def run(func, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return func(**kwargs)

    return run


@pytest.fixture
def plan(program, group, other_group, host):
    """Two groups, two participants each (one Russian, one English speaker), two visits."""
    people = {
        "ru1": ParticipantFactory(program=program, group=group, language="ru", email="ru1@gov.example"),
        "en1": ParticipantFactory(program=program, group=group, language="en", email="en1@gov.example"),
        "ru2": ParticipantFactory(program=program, group=other_group, language="ru", email="ru2@gov.example"),
        "kk2": ParticipantFactory(program=program, group=other_group, language="kk", email="kk2@gov.example"),
    }
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
        groups=[group, other_group],
        host=host,
        title="Ministry of Digital Development",
        starts_at=local(program, DAY, 15),
        ends_at=local(program, DAY, 17),
    )
    return {"people": people, "morning": morning, "afternoon": afternoon}


def mails_to(address):
    return [message for message in mail.outbox if any(address in to for to in message.to)]


# --- the schedule -----------------------------------------------------------------------


def test_schedule_send_one_email_per_participant_with_itinerary_link_and_ics(program, plan, send):
    sendout = send(schedule_send, program=program)

    assert sendout.queued_count == 4
    assert sendout_progress(sendout=sendout) == {"queued": 0, "sent": 4, "failed": 0, "total": 4}
    assert sorted(address for message in mail.outbox for address in message.to) == sorted(
        f"{p.full_name} <{p.email}>" for p in plan["people"].values()
    )
    ru1 = plan["people"]["ru1"]
    (message,) = mails_to(ru1.email)
    assert message.subject == f"Ваша программа: {program.title}"
    assert "Astana Hub" in message.body
    assert "Ministry of Digital Development" in message.body
    assert "10:00–12:00" in message.body
    assert "Место сбора: Hotel lobby" in message.body
    assert f"http://127.0.0.1:8000/i/{ru1.access_token}/" in message.body
    html = message.alternatives[0][0] if hasattr(message.alternatives[0], "__getitem__") else ""
    assert f'href="http://127.0.0.1:8000/i/{ru1.access_token}/"' in html
    (name, content, mimetype) = message.attachments[0]
    assert (name, mimetype) == ("itinerary.ics", "text/calendar")
    calendar = icalendar.Calendar.from_ical(content)
    assert sorted(str(event["SUMMARY"]) for event in calendar.walk("VEVENT")) == [
        "Astana Hub",
        "Ministry of Digital Development",
    ]


def test_schedule_send_in_each_participants_language(program, plan, send):
    send(schedule_send, program=program)

    people = plan["people"]
    assert mails_to(people["en1"].email)[0].subject.startswith("Your itinerary:")
    assert mails_to(people["ru2"].email)[0].subject.startswith("Ваша программа:")
    # Kazakh falls back to Russian until Kazakh templates exist.
    assert mails_to(people["kk2"].email)[0].subject.startswith("Ваша программа:")
    assert "Only the Ministry" not in mails_to(people["ru2"].email)[0].body
    assert "Astana Hub" not in mails_to(people["ru2"].email)[0].body  # not their group's visit


def test_schedule_send_to_listed_participants_only(program, plan, send):
    chosen = plan["people"]["en1"]

    sendout = send(schedule_send, program=program, participant_ids=[chosen.pk])

    assert sendout.queued_count == 1
    assert [message.to for message in mail.outbox] == [[f"{chosen.full_name} <{chosen.email}>"]]


def test_schedule_send_unknown_participant_refused_and_nothing_written(program, plan, send):
    stranger = ParticipantFactory()  # another program's

    with pytest.raises(ValidationError) as caught:
        send(schedule_send, program=program, participant_ids=[plan["people"]["en1"].pk, stranger.pk])

    assert str(stranger.pk) in str(caught.value.message_dict["participants"])
    assert Notification.objects.count() == 0
    assert NotifiedItinerary.objects.count() == 0
    assert mail.outbox == []
