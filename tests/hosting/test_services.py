"""Asking hosts to confirm, their answers, proposals, a changed visit asked again, reminders."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from hosting.services import (
    host_answer,
    host_confirmation_request,
    host_proposal_accept,
    host_proposal_refuse,
    host_requests_remind,
    host_visits_request,
)
from partners.models import WebhookDelivery
from partners.services import api_client_create, webhook_create
from tests.factories import local
from visits.exceptions import ScheduleConflict
from visits.services import contact_update, visit_cancel, visit_create, visit_update, visits_shift

from .conftest import DAY, mails_to

pytestmark = pytest.mark.django_db


def test_request_marks_the_visit_and_sends_the_contact_one_email_with_the_link(scene, send):
    first = send(host_confirmation_request, program=scene.program, visits=[scene.hub_visit])
    again = send(host_confirmation_request, program=scene.program, visits=[scene.hub_visit])

    scene.hub_visit.refresh_from_db()
    assert (first, again) == (1, 0)
    assert scene.hub_visit.host_status == "requested"
    assert scene.hub_visit.host_requested_at is not None
    [message] = mails_to("dana@hub.example")
    assert f"/h/{scene.hub_contact.access_token}/" in message.body
    assert "Astana Hub tour" in message.body
    assert "Please confirm" in message.subject  # the contact reads English


def test_request_is_in_the_contacts_language(scene, send):
    send(host_confirmation_request, program=scene.program, visits=[scene.ministry_visit])

    [message] = mails_to("desk@gov.example")
    assert "Пожалуйста, подтвердите" in message.subject


def test_all_of_a_hosts_visits_go_in_one_email(scene, send):
    second = visit_create(
        program=scene.program, groups=[scene.other_group], host=scene.hub, title="Hub demo day",
        starts_at=local(scene.program, DAY, 17), ends_at=local(scene.program, DAY, 18),
    )  # fmt: skip

    queued = send(host_visits_request, program=scene.program, host=scene.hub)

    assert queued == 1
    [message] = mails_to("dana@hub.example")
    assert "Astana Hub tour" in message.body
    assert "Hub demo day" in message.body
    second.refresh_from_db()
    assert second.host_status == "requested"


def test_request_refused_without_a_contact_email_and_nothing_is_written(scene, send):
    contact_update(contact=scene.hub_contact, email="")

    with pytest.raises(ValidationError) as caught:
        send(host_confirmation_request, program=scene.program, visits=[scene.hub_visit])

    assert "host" in caught.value.message_dict
    scene.hub_visit.refresh_from_db()
    assert scene.hub_visit.host_status == ""
    assert not mail.outbox


def test_request_of_a_cancelled_visit_is_refused(scene):
    visit_cancel(visit=scene.hub_visit)

    with pytest.raises(ValidationError):
        host_confirmation_request(program=scene.program, visits=[scene.hub_visit])


def test_decline_needs_a_reason(scene):
    with pytest.raises(ValidationError) as caught:
        host_answer(contact=scene.hub_contact, visit=scene.hub_visit, answer="declined", note="  ")

    assert "host_note" in caught.value.message_dict


def test_another_hosts_contact_cannot_answer_this_visit(scene):
    with pytest.raises(ValidationError):
        host_answer(contact=scene.ministry_contact, visit=scene.hub_visit, answer="confirmed")

    scene.hub_visit.refresh_from_db()
    assert scene.hub_visit.host_status == ""


def test_proposal_must_lie_within_the_program(scene):
    tz = scene.program.tzinfo
    outside = timezone.datetime(2027, 1, 10, 10, tzinfo=tz)

    with pytest.raises(ValidationError) as caught:
        host_answer(
            contact=scene.hub_contact, visit=scene.hub_visit, answer="proposed",
            proposed_starts_at=outside, proposed_ends_at=outside + timedelta(hours=2),
        )  # fmt: skip

    assert "host_proposed_starts_at" in caught.value.message_dict


def test_accepting_a_proposal_moves_the_visit_and_confirms_it(scene):
    new_start = local(scene.program, DAY + timedelta(days=1), 9)
    host_answer(
        contact=scene.hub_contact, visit=scene.hub_visit, answer="proposed", note="Mornings suit us",
        proposed_starts_at=new_start, proposed_ends_at=new_start + timedelta(hours=2),
    )  # fmt: skip

    host_proposal_accept(visit=scene.hub_visit)

    scene.hub_visit.refresh_from_db()
    assert scene.hub_visit.starts_at == new_start
    assert scene.hub_visit.host_status == "confirmed"
    assert scene.hub_visit.host_proposed_starts_at is None


def test_accepting_a_proposal_that_clashes_is_refused_with_its_reason(scene):
    # The hub's group is already somewhere else at the proposed time.
    visit_create(
        program=scene.program, groups=[scene.group], host=scene.ministry, title="Evening lecture",
        starts_at=local(scene.program, DAY, 17), ends_at=local(scene.program, DAY, 19),
    )  # fmt: skip
    start = local(scene.program, DAY, 17, 30)
    host_answer(
        contact=scene.hub_contact, visit=scene.hub_visit, answer="proposed",
        proposed_starts_at=start, proposed_ends_at=start + timedelta(hours=1),
    )  # fmt: skip

    with pytest.raises(ScheduleConflict) as caught:
        host_proposal_accept(visit=scene.hub_visit)

    assert "Evening lecture" in caught.value.message
    scene.hub_visit.refresh_from_db()
    assert scene.hub_visit.host_status == "proposed"
    assert scene.hub_visit.starts_at == local(scene.program, DAY, 10)


def test_refusing_a_proposal_asks_the_host_again_at_the_planned_time(scene, send):
    start = local(scene.program, DAY, 15)
    host_answer(
        contact=scene.hub_contact, visit=scene.hub_visit, answer="proposed",
        proposed_starts_at=start, proposed_ends_at=start + timedelta(hours=1),
    )  # fmt: skip

    queued = send(host_proposal_refuse, visit=scene.hub_visit)

    scene.hub_visit.refresh_from_db()
    assert queued == 1
    assert scene.hub_visit.host_status == "requested"
    assert scene.hub_visit.starts_at == local(scene.program, DAY, 10)
    [message] = mails_to("dana@hub.example")
    assert "cannot move" in message.body


def test_a_confirmed_visit_that_moves_goes_back_to_requested_and_the_host_gets_one_email(scene, send):
    host_answer(contact=scene.hub_contact, visit=scene.hub_visit, answer="confirmed")

    send(
        visit_update,
        visit=scene.hub_visit,
        starts_at=local(scene.program, DAY, 11),
        ends_at=local(scene.program, DAY, 13),
    )
    send(visit_update, visit=scene.hub_visit, meeting_point="Gate 2")  # not the time or the groups

    scene.hub_visit.refresh_from_db()
    assert scene.hub_visit.host_status == "requested"
    [message] = mails_to("dana@hub.example")
    assert "has changed" in message.subject
    assert "11:00" in message.body


def test_a_confirmed_visit_moved_by_a_day_shift_goes_back_to_requested_and_the_host_gets_one_email(scene, send):
    host_answer(contact=scene.hub_contact, visit=scene.hub_visit, answer="confirmed")

    send(visits_shift, program=scene.program, date=DAY, minutes=30, visits=[scene.hub_visit])

    scene.hub_visit.refresh_from_db()
    assert scene.hub_visit.host_status == "requested"
    assert scene.hub_visit.host_answered_at is None
    [message] = mails_to("dana@hub.example")
    assert "has changed" in message.subject
    assert "10:30" in message.body


def test_a_confirmed_visit_with_other_groups_is_asked_again(scene, send):
    host_answer(contact=scene.hub_contact, visit=scene.hub_visit, answer="confirmed")

    send(visit_update, visit=scene.hub_visit, groups=[scene.group, scene.other_group])

    scene.hub_visit.refresh_from_db()
    assert scene.hub_visit.host_status == "requested"
    assert len(mails_to("dana@hub.example")) == 1


def test_an_unconfirmed_visit_that_moves_tells_the_host_nothing(scene, send):
    send(
        visit_update,
        visit=scene.hub_visit,
        starts_at=local(scene.program, DAY, 11),
        ends_at=local(scene.program, DAY, 13),
    )

    scene.hub_visit.refresh_from_db()
    assert scene.hub_visit.host_status == ""
    assert not mail.outbox


@override_settings(HOST_CONFIRMATION_REMIND_AFTER_HOURS=24)
def test_unanswered_requests_are_reminded_once_after_the_configured_time(scene, send):
    asked = local(scene.program, DAY - timedelta(days=5), 9)
    send(host_confirmation_request, program=scene.program, visits=[scene.hub_visit], now=asked)
    mail.outbox.clear()

    too_early = send(host_requests_remind, now=asked + timedelta(hours=23))
    due = send(host_requests_remind, now=asked + timedelta(hours=25))
    again = send(host_requests_remind, now=asked + timedelta(hours=50))

    assert (too_early, due, again) == (0, 1, 0)
    [message] = mails_to("dana@hub.example")
    assert "Reminder" in message.subject


def test_answered_requests_are_not_reminded(scene, send):
    asked = local(scene.program, DAY - timedelta(days=5), 9)
    send(host_confirmation_request, program=scene.program, visits=[scene.hub_visit], now=asked)
    host_answer(contact=scene.hub_contact, visit=scene.hub_visit, answer="confirmed")
    mail.outbox.clear()

    assert send(host_requests_remind, now=asked + timedelta(days=3)) == 0


@pytest.mark.parametrize(
    ("answer", "event"),
    [("confirmed", "visit.host_confirmed"), ("declined", "visit.host_declined"), ("proposed", "visit.host_proposed")],
)
def test_each_answer_emits_its_webhook_with_the_visit(scene, answer, event, django_capture_on_commit_callbacks):
    client, _token = api_client_create(name="HR system", scopes=["read"])
    webhook_create(client=client, url="https://hr.example/hooks", events=[event])
    start = local(scene.program, DAY, 15)

    with django_capture_on_commit_callbacks(execute=False):
        host_answer(
            contact=scene.hub_contact, visit=scene.hub_visit, answer=answer, note="Closed for audit",
            proposed_starts_at=start, proposed_ends_at=start + timedelta(hours=1),
        )  # fmt: skip

    [delivery] = WebhookDelivery.objects.filter(event=event)
    assert delivery.payload["id"] == scene.hub_visit.pk
    assert delivery.payload["host_status"] == answer


def test_the_same_answer_again_a_replayed_form_changes_nothing_and_emits_nothing(
    scene, django_capture_on_commit_callbacks
):
    client, _token = api_client_create(name="HR system", scopes=["read"])
    webhook_create(client=client, url="https://hr.example/hooks", events=["visit.host_declined"])
    with django_capture_on_commit_callbacks(execute=False):
        first = host_answer(contact=scene.hub_contact, visit=scene.hub_visit, answer="declined", note="Closed")
        answered_at, history = first.host_answered_at, scene.hub_visit.history.count()
        again = host_answer(contact=scene.hub_contact, visit=scene.hub_visit, answer="declined", note=" Closed ")

    assert WebhookDelivery.objects.filter(event="visit.host_declined").count() == 1
    assert again.host_answered_at == answered_at
    assert scene.hub_visit.history.count() == history
