"""Previews and audiences of the send-outs: the e-mail a participant would get, rendered by the
outbox's own renderer and writing nothing; who a send-out reaches; send-outs named for people."""

from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from notices.models import NotifiedItinerary
from notices.selectors import change_notice_audience, schedule_audience, sendouts_of_program
from notices.services import (
    CHANGE_KIND,
    SCHEDULE_KIND,
    change_notice_preview,
    change_notices_release,
    recipients_label,
    schedule_preview,
    schedule_send,
    snapshot_text,
)
from notifications.enums import NotificationStatus
from notifications.models import Notification, SendOut
from notifications.registry import kind_name
from notifications.services import sendout_create
from tests.factories import ParticipantFactory, ProgramFactory, local
from visits.services import visit_create, visit_update

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]

DAY = date(2026, 12, 8)


@pytest.fixture
def visit(program, group, host):
    return visit_create(
        program=program, groups=[group], host=host, title="Astana Hub",
        starts_at=local(program, DAY, 10), ends_at=local(program, DAY, 12),
    )  # fmt: skip


@pytest.fixture
def people(program, group, visit):
    return [
        ParticipantFactory(program=program, group=group, first_name="Dana", last_name="Abenova", language="kk"),
        ParticipantFactory(program=program, group=group, first_name="Ivan", last_name="Petrov", language="ru"),
    ]


def test_schedule_preview_is_what_the_outbox_sends(people, program, django_capture_on_commit_callbacks):
    dana = people[0]
    preview = schedule_preview(participant=dana)

    with django_capture_on_commit_callbacks(execute=True):
        schedule_send(program=program, participant_ids=[dana.pk])

    (sent,) = mail.outbox
    assert (sent.subject, sent.body, sent.alternatives[0][0]) == (preview.subject, preview.text, preview.html)
    assert [name for name, *_ in sent.attachments] == [attachment.filename for attachment in preview.attachments]


def test_previews_write_nothing(people, program):
    schedule_preview(participant=people[0])
    change_notice_preview(participant=people[0])

    assert Notification.objects.count() == 0
    assert SendOut.objects.count() == 0
    assert NotifiedItinerary.objects.count() == 0


def test_change_notice_preview_only_for_someone_whose_plan_changed(people, program, visit, group, other_group):
    schedule_send(program=program)
    assert change_notice_preview(participant=people[0]) is None  # nothing changed yet

    visit_update(visit=visit, starts_at=local(program, DAY, 11), ends_at=local(program, DAY, 13))
    preview = change_notice_preview(participant=people[1])
    change_notices_release(program=program)

    notice = Notification.objects.get(kind=CHANGE_KIND, payload__participant_id=people[1].pk)
    assert preview is not None
    assert "Astana Hub" in preview.text
    assert "11:00" in preview.text
    assert notice.language == "ru"


def test_change_notice_audience_lists_those_with_changes(people, program, visit, group):
    late = ParticipantFactory(program=program, group=group)  # never sent their schedule
    schedule_send(program=program, participant_ids=[people[0].pk, people[1].pk])
    assert change_notice_audience(program=program).recipients == []

    visit_update(visit=visit, title="Astana Hub: the startups")

    audience = change_notice_audience(program=program)
    assert audience.recipients == [people[0], people[1]]
    assert late not in audience.recipients
    assert snapshot_text(audience.changes[people[0].pk][0]["new"]["title"]) == "Astana Hub: the startups"


def test_audience_everyone_not_yet_sent_and_chosen(people, program):
    stranger = ParticipantFactory(program=ProgramFactory())
    schedule_send(program=program, participant_ids=[people[0].pk])

    assert schedule_audience(program=program, who="all").recipients == people
    assert schedule_audience(program=program, who="unsent").recipients == [people[1]]
    chosen = schedule_audience(program=program, who="selected", participant_ids=[people[1].pk, stranger.pk])
    assert chosen.recipients == [people[1]]
    assert chosen.missing == [stranger.pk]


def test_audience_not_yet_sent_counts_a_failed_schedule_as_not_sent(people, program):
    schedule_send(program=program)
    Notification.objects.filter(payload__participant_id=people[0].pk).update(status=NotificationStatus.FAILED)

    assert schedule_audience(program=program, who="unsent").recipients == [people[0]]


@pytest.mark.parametrize(("who", "ids", "field"), [("selected", [], "participants"), ("nobody", [], "who")])
def test_audience_refuses_an_empty_choice_or_unknown_who(program, who, ids, field):
    with pytest.raises(ValidationError) as caught:
        schedule_audience(program=program, who=who, participant_ids=ids)

    assert field in caught.value.message_dict


def test_sendouts_are_named_for_people(people, program):
    everyone = schedule_send(program=program)
    one = schedule_send(program=program, participant_ids=[people[1].pk])
    survey = sendout_create(kind="surveys.invitation", program_id=program.pk, label="Feedback on day one")

    assert everyone.name == "Schedules"
    assert one.name == "Schedules: Ivan Viktorovich Petrov"
    assert kind_name(SCHEDULE_KIND) == "Schedules"
    # A kind whose app gave no name shows as itself, with its label.
    assert survey.name == f"{kind_name('surveys.invitation')}: Feedback on day one"


def test_recipients_label_names_three_then_counts():
    class Person:
        def __init__(self, name):
            self.full_name = name

    people = [Person(f"Person {n}") for n in range(5)]

    assert recipients_label(people[:2]) == "Person 0, Person 1"
    assert recipients_label(people) == "Person 0, Person 1, Person 2 +2"


def test_sendout_label_is_cut_to_fit(program):
    sendout = sendout_create(kind=SCHEDULE_KIND, program_id=program.pk, label="x" * 500)

    assert len(sendout.label) == 300
    assert sendout.label.endswith("…")


def test_sendouts_of_program_count_progress_and_leave_others_out(people, program):
    other = ProgramFactory()
    ParticipantFactory(program=other)
    schedule_send(program=other)
    sendout = schedule_send(program=program)
    Notification.objects.filter(sendout=sendout, payload__participant_id=people[0].pk).update(
        status=NotificationStatus.SENT
    )

    (row,) = sendouts_of_program(program=program)

    assert (row.pk, row.progress_total, row.progress_sent, row.progress_queued) == (sendout.pk, 2, 1, 1)
