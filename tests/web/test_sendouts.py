"""The dashboard's send-out buttons: schedules and change notices, with progress."""

import re
from datetime import date

import pytest

from tests.factories import ParticipantFactory, local

from .conftest import url

pytestmark = pytest.mark.django_db

DAY = date(2026, 12, 8)


def test_send_schedules_queues_one_email_per_participant_and_shows_progress(
    client, program, group, host, mailoutbox, django_capture_on_commit_callbacks, settings
):
    from visits.services import visit_create

    ParticipantFactory.create_batch(3, program=program, group=group)
    visit_create(
        program=program, groups=[group], host=host, title="Hub tour",
        starts_at=local(program, DAY, 10), ends_at=local(program, DAY, 12),
    )  # fmt: skip

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(program, "send/schedules/"))

    assert response.status_code == 302
    assert "Schedules queued for 3 participants" in client.get(url(program)).content.decode()
    progress = re.search(r"(\d+) of (\d+) sent, (\d+) waiting, (\d+) failed", client.get(url(program)).content.decode())
    sent, total, waiting, failed = map(int, progress.groups())
    assert (total, sent + waiting, failed) == (3, 3, 0)
    if settings.CELERY_TASK_ALWAYS_EAGER:  # in-process tasks: sent already
        assert sent == 3
        assert len(mailoutbox) == 3


def test_notify_participants_with_nothing_changed_says_so(client, program, group):
    response = client.post(url(program, "send/changes/"), follow=True)

    assert "No participant&#x27;s itinerary changed" in response.content.decode()


def test_send_buttons_need_post(client, program):
    assert client.get(url(program, "send/schedules/")).status_code == 405


@pytest.mark.parametrize(("count", "message"), [(1, "for 1 participant;"), (2, "for 2 participants;")])
def test_send_schedules_message_counts_participants_in_english(client, program, group, count, message):
    ParticipantFactory.create_batch(count, program=program, group=group)

    response = client.post(url(program, "send/schedules/"), follow=True)

    assert f"Schedules queued {message} progress below." in response.content.decode()


@pytest.mark.parametrize(("count", "words"), [(1, "1 участнику"), (2, "2 участникам"), (5, "5 участникам")])
def test_send_schedules_message_counts_participants_in_russian(client, program, group, count, words):
    ParticipantFactory.create_batch(count, program=program, group=group)

    response = client.post(url(program, "send/schedules/"), follow=True, HTTP_ACCEPT_LANGUAGE="ru")

    assert f"Расписания отправляются {words}; ход отправки — ниже." in response.content.decode()
