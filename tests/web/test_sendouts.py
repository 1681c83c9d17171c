"""The organiser's send-outs: who gets what, a preview as one recipient gets it, a confirmation
before anything is queued, sending to one, a selection or those not yet sent, and progress."""

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notices.services import SCHEDULE_KIND, schedule_send
from notifications.enums import NotificationStatus
from notifications.models import Notification, SendOut
from tests.factories import ParticipantFactory, ProgramFactory, ProjectGroupFactory, local
from visits.services import visit_create, visit_update

from .conftest import url

pytestmark = pytest.mark.django_db

DAY = date(2026, 12, 8)


@pytest.fixture
def people(program, group, host):
    visit_create(
        program=program, groups=[group], host=host, title="Hub tour",
        starts_at=local(program, DAY, 10), ends_at=local(program, DAY, 12),
    )  # fmt: skip
    return [
        ParticipantFactory(program=program, group=group, first_name="Aigerim", last_name="Sultanova", language="kk"),
        ParticipantFactory(program=program, group=group, first_name="Boris", last_name="Ivanov", language="ru"),
        ParticipantFactory(program=program, group=group, first_name="Clare", last_name="Wood", language="en"),
    ]


def confirm(client, program, headers=None, **data):
    """The confirmation page's POST, with the count it showed."""
    page = client.get(url(program, "send/schedules/"), data)
    expected = re.search(r'name="expected" value="(\d+)"', page.content.decode()).group(1)
    return client.post(url(program, "send/schedules/"), {**data, "expected": expected}, headers=headers)


def test_confirmation_says_how_many_and_queues_nothing(client, program, people):
    response = client.get(url(program, "send/schedules/"), {"who": "all"})

    body = response.content.decode()
    assert response.status_code == 200
    assert "Schedules to 3 participants." in body
    assert "Send 3 schedules now" in body
    assert Notification.objects.count() == 0
    assert SendOut.objects.count() == 0


def test_preview_is_the_email_the_participant_then_receives(
    client, program, people, mailoutbox, django_capture_on_commit_callbacks, celery_eager
):
    boris = people[1]
    page = client.get(url(program, "send/schedules/"), {"who": "selected", "participants": boris.pk})
    preview = page.context["preview"]

    with django_capture_on_commit_callbacks(execute=True):
        response = confirm(client, program, who="selected", participants=boris.pk)

    assert response.status_code == 302
    assert len(mailoutbox) == 1
    sent = mailoutbox[0]
    assert sent.to == [f"{boris.full_name} <{boris.email}>"]
    assert sent.subject == preview.subject
    assert sent.body == preview.text
    assert sent.alternatives[0][0] == preview.html
    assert page.context["preview_person"] == boris


def test_preview_in_the_participants_language(client, program, people):
    aigerim = people[0]

    def subject(person):
        page = client.get(url(program, "send/schedules/"), {"who": "all", "preview": person.pk})
        return page.context["preview"].subject

    subjects = {person.language: subject(person) for person in people}
    # Each in its own language (the organiser's page stays in English).
    assert len(set(subjects.values())) == 3
    assert re.search("[а-яё]", subjects["ru"], re.IGNORECASE)
    assert re.search("[әіңғүұқөһ]", subjects["kk"], re.IGNORECASE)
    assert not re.search("[а-яё]", subjects["en"], re.IGNORECASE)
    body = client.get(url(program, "send/schedules/"), {"who": "all", "preview": aigerim.pk}).content.decode()
    assert "Қазақ" in body or "Kazakh" in body  # the language shown beside the preview


def test_preview_of_someone_not_among_the_recipients_is_404(client, program, people):
    response = client.get(
        url(program, "send/schedules/"), {"who": "selected", "participants": people[0].pk, "preview": people[1].pk}
    )

    assert response.status_code == 404


def test_send_to_everyone_queues_one_email_each_and_shows_progress(
    client, program, people, mailoutbox, django_capture_on_commit_callbacks, settings
):
    with django_capture_on_commit_callbacks(execute=True):
        response = confirm(client, program, who="all")

    sendout = SendOut.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url(program, f"send/{sendout.pk}/")
    assert sendout.name == "Schedules"
    page = client.get(response["Location"]).content.decode()
    assert "Schedules queued for 3 participants" in page
    progress = re.search(r"(\d+) of (\d+) sent, (\d+) waiting, (\d+) failed", page)
    sent, total, waiting, failed = map(int, progress.groups())
    assert (total, sent + waiting, failed) == (3, 3, 0)
    if settings.CELERY_TASK_ALWAYS_EAGER:
        assert len(mailoutbox) == 3


def test_post_without_the_confirmed_count_queues_nothing(client, program, people):
    response = client.post(url(program, "send/schedules/"), {"who": "all"})

    assert response.status_code == 409
    assert "The list of recipients changed since you looked" in response.content.decode()
    assert Notification.objects.count() == 0


def test_send_buttons_of_old_are_gone_from_the_dashboard(client, program, people):
    body = client.get(url(program)).content.decode()

    assert f'action="{url(program, "send/schedules/")}"' not in body
    assert f'href="{url(program, "send/")}"' in body


def test_not_yet_sent_leaves_out_those_sent_and_counts_failed_as_not_sent(client, program, people):
    aigerim, boris, clare = people
    schedule_send(program=program, participant_ids=[aigerim.pk, boris.pk])
    Notification.objects.filter(payload__participant_id=boris.pk).update(status=NotificationStatus.FAILED)

    page = client.get(url(program, "send/schedules/"), {"who": "unsent"})

    recipients = page.context["audience"].recipients
    assert recipients == sorted([boris, clare], key=lambda p: p.last_name)
    assert "Schedules to 2 participants." in page.content.decode()


def test_send_to_one_participant_names_the_sendout_after_them(client, program, people):
    response = confirm(client, program, who="selected", participants=people[2].pk)

    sendout = SendOut.objects.get()
    assert response.status_code == 302
    assert sendout.name == f"Schedules: {people[2].full_name}"
    assert list(Notification.objects.values_list("recipient_email", flat=True)) == [people[2].email]


def test_another_programs_participant_is_404_and_nothing_written(client, program, people):
    stranger = ParticipantFactory(program=ProgramFactory())

    page = client.get(url(program, "send/schedules/"), {"who": "selected", "participants": stranger.pk})
    post = client.post(
        url(program, "send/schedules/"), {"who": "selected", "participants": [people[0].pk, stranger.pk], "expected": 2}
    )

    assert page.status_code == 404
    assert post.status_code == 404
    assert SendOut.objects.count() == 0


@pytest.mark.parametrize("junk", ["abc", "-1", "99999999999", "1.5"])
def test_junk_participant_ids_are_404(client, program, people, junk):
    response = client.get(url(program, "send/schedules/"), {"who": "selected", "participants": junk})

    assert response.status_code == 404


def test_empty_selection_is_a_message_on_the_participant_list(client, program, people):
    response = client.post(url(program, "send/schedules/"), {"who": "selected", "step": "choose"}, follow=True)

    assert response.redirect_chain[-1][0] == url(program, "participants/")
    assert "Select at least one participant." in response.content.decode()
    assert SendOut.objects.count() == 0


def test_unknown_audience_is_a_message(client, program, people):
    response = client.get(url(program, "send/schedules/"), {"who": "everybody-ever"}, follow=True)

    assert "Choose who gets the schedules." in response.content.decode()


def test_ticks_on_the_participant_list_lead_to_their_confirmation(client, program, people):
    chosen = [people[0].pk, people[2].pk]

    response = client.post(
        url(program, "send/schedules/"), {"who": "selected", "step": "choose", "participants": chosen, "group": ""}
    )
    page = client.get(response["Location"])

    assert response.status_code == 302
    assert set(page.context["audience"].recipients) == {people[0], people[2]}
    assert "Schedules to 2 participants." in page.content.decode()


def test_participant_list_has_the_send_buttons(client, program, people):
    body = client.get(url(program, "participants/")).content.decode()

    assert "Send schedules to the selected…" in body
    assert f'href="{url(program, "send/schedules/")}?who=unsent"' in body


def test_change_notice_confirmation_previews_what_changed_for_one(client, program, people, group):
    schedule_send(program=program)
    visit = program.visits.get()
    visit_update(visit=visit, starts_at=local(program, DAY, 11), ends_at=local(program, DAY, 13))

    page = client.get(url(program, "send/changes/"), {"preview": people[2].pk})

    body = page.content.decode()
    assert "A change notice to 3 participants whose itineraries changed." in body
    assert page.context["preview_person"] == people[2]
    assert "Hub tour" in page.context["preview"].text
    assert SendOut.objects.count() == 1  # only the schedules: the preview queued nothing

    response = client.post(url(program, "send/changes/"), follow=True)

    assert "Change notices queued for 3 participants." in response.content.decode()
    assert SendOut.objects.filter(kind="visits.change_notice").get().name == "Change notice"


def test_change_notice_with_nothing_changed_says_so(client, program, group):
    page = client.get(url(program, "send/changes/"))
    response = client.post(url(program, "send/changes/"), follow=True)

    assert "A change notice to 0 participants" in page.content.decode()
    assert "No participant&#x27;s itinerary changed" in response.content.decode()


def test_progress_json_counts_the_sendouts_messages(client, program, people):
    sendout = schedule_send(program=program)
    Notification.objects.filter(payload__participant_id=people[0].pk).update(status=NotificationStatus.SENT)
    Notification.objects.filter(payload__participant_id=people[1].pk).update(status=NotificationStatus.FAILED)

    data = client.get(url(program, f"send/{sendout.pk}/progress.json")).json()

    assert {key: data[key] for key in ("total", "sent", "failed", "queued", "done")} == {
        "total": 3, "sent": 1, "failed": 1, "queued": 1, "done": False,
    }  # fmt: skip
    assert data["name"] == "Schedules"
    assert data["text"] == "1 of 3 sent, 1 waiting, 1 failed"


def test_another_programs_sendout_is_404(client, program, people):
    other = ProgramFactory()
    ParticipantFactory(program=other, group=ProjectGroupFactory(program=other))
    sendout = schedule_send(program=other)

    assert client.get(url(program, f"send/{sendout.pk}/")).status_code == 404
    assert client.get(url(program, f"send/{sendout.pk}/progress.json")).status_code == 404


def test_sendout_page_lists_each_message_with_its_state(client, program, people):
    sendout = schedule_send(program=program)
    Notification.objects.filter(payload__participant_id=people[1].pk).update(
        status=NotificationStatus.FAILED, last_error="SMTPRecipientsRefused: mailbox unknown"
    )

    body = client.get(url(program, f"send/{sendout.pk}/")).content.decode()

    assert people[0].full_name in body
    assert "SMTPRecipientsRefused: mailbox unknown" in body
    assert "data-progress-url" in body  # still running: the page follows it


def _queries(client, path, **data) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path, data).status_code == 200
    return len(captured)


def test_sendout_pages_query_counts_do_not_grow_with_the_data(client, program, group, host):
    counts = []
    for size in (1, 4):
        ParticipantFactory.create_batch(size, program=program, group=group)
        for _ in range(size):
            schedule_send(program=program)
        latest = SendOut.objects.filter(program=program).first()
        counts.append(
            (
                _queries(client, url(program, "send/")),
                _queries(client, url(program, f"send/{latest.pk}/")),
                _queries(client, url(program, "send/schedules/"), who="all"),
                _queries(client, url(program, "send/changes/")),
            )
        )

    assert counts[0] == counts[1]


def test_send_needs_an_organiser_of_the_program(program, people):
    from django.test import Client

    from .conftest import make_organiser

    other = Client(HTTP_HOST="localhost")
    other.force_login(make_organiser("stranger", ProgramFactory()))

    assert other.get(url(program, "send/")).status_code == 404
    assert other.post(url(program, "send/schedules/"), {"who": "all", "expected": 3}).status_code == 404
    assert SendOut.objects.count() == 0


@pytest.mark.parametrize(("count", "message"), [(1, "for 1 participant;"), (2, "for 2 participants;")])
def test_send_schedules_message_counts_participants_in_english(client, program, group, count, message):
    ParticipantFactory.create_batch(count, program=program, group=group)

    response = confirm(client, program, who="all")
    page = client.get(response["Location"])

    assert f"Schedules queued {message} progress below." in page.content.decode()


@pytest.mark.parametrize(("count", "words"), [(1, "1 участнику"), (2, "2 участникам"), (5, "5 участникам")])
def test_send_schedules_message_counts_participants_in_russian(client, program, group, count, words):
    ParticipantFactory.create_batch(count, program=program, group=group)

    response = confirm(client, program, headers={"accept-language": "ru"}, who="all")
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="ru")

    assert f"Расписания отправляются {words}; ход отправки — ниже." in page.content.decode()


def test_schedule_kind_is_the_one_the_api_sends(program, people):
    sendout = schedule_send(program=program, participant_ids=[people[0].pk])

    assert sendout.kind == SCHEDULE_KIND
    assert sendout.label == people[0].full_name


def test_preview_html_is_sandboxed_and_escaped_into_the_page(client, program, group):
    ParticipantFactory(program=program, group=group, first_name='<img src=x onerror="alert(1)">', language="en")

    body = client.get(url(program, "send/schedules/"), {"who": "all"}).content.decode()

    frame = re.search(r"<iframe[^>]*>", body).group(0)
    assert " sandbox " in frame
    assert "<img" not in frame  # the whole message is one attribute value
    assert 'onerror="alert' not in body


def test_participants_without_an_email_are_counted_and_skipped(client, program, people, mailoutbox):
    from participants.models import Participant

    Participant.objects.filter(pk=people[0].pk).update(email="")  # an address erased by hand in the database

    page = client.get(url(program, "send/schedules/"), {"who": "all"})
    confirm(client, program, who="all")

    body = page.content.decode()
    assert "Schedules to 2 participants. 1 has no e-mail address and gets nothing." in body
    assert set(Notification.objects.values_list("payload__participant_id", flat=True)) == {people[1].pk, people[2].pk}


def _preview_form(body: str) -> str:
    return re.search(r'<form method="get" class="inline-form" action="[^"]*">.*?</form>', body, re.S).group(0)


def test_both_confirmations_offer_every_recipient_to_preview_as(client, program, people):
    aigerim, boris, clare = people
    schedules = client.get(url(program, "send/schedules/"), {"who": "selected", "participants": [aigerim.pk, clare.pk],
                                                             "preview": clare.pk}).content.decode()  # fmt: skip
    schedule_send(program=program)
    visit = program.visits.get()
    visit_update(visit=visit, starts_at=local(program, DAY, 11), ends_at=local(program, DAY, 13))
    changes = client.get(url(program, "send/changes/"), {"preview": boris.pk}).content.decode()

    def option(person, selected=False):
        chosen = " selected" if selected else ""
        return f'<option value="{person.pk}"{chosen}>{person.last_name}, {person.first_name} · '

    form = _preview_form(schedules)
    assert f'action="{url(program, "send/schedules/")}"' in form
    assert '<input type="hidden" name="who" value="selected">' in form
    assert form.count('<input type="hidden" name="participants"') == 2
    assert '<label for="preview-as">Preview as</label>' in form
    assert option(aigerim) in form
    assert option(clare, selected=True) in form
    assert option(boris) not in form
    assert form.count("<option ") == 2
    assert '<button type="submit" class="button button--quiet">Show</button>' in form
    form = _preview_form(changes)
    assert f'action="{url(program, "send/changes/")}"' in form
    assert 'type="hidden"' not in form
    assert '<label for="preview-as">Preview as</label>' in form
    assert (option(aigerim) in form, option(boris, selected=True) in form, option(clare) in form) == (True,) * 3
    assert '<button type="submit" class="button button--quiet">Show</button>' in form


def test_a_participant_whose_id_is_beyond_32_bits_is_sent_theirs(
    client, program, group, people, mailoutbox, django_capture_on_commit_callbacks, celery_eager
):
    """Ids are 64-bit (BigAutoField): a long-lived database passes 2**31 and its people stay reachable."""
    late = ParticipantFactory(pk=2**31 + 7, program=program, group=group, first_name="Dana", last_name="Late")

    with django_capture_on_commit_callbacks(execute=True):
        response = confirm(client, program, who="selected", participants=late.pk)

    assert response.status_code == 302
    assert [message.to for message in mailoutbox] == [[f"{late.full_name} <{late.email}>"]]


@pytest.mark.parametrize("value", ["²", "-1", "0", str(2**63), "1e3"])
def test_a_participant_chosen_by_no_id_is_a_page_that_does_not_exist(client, program, people, value):
    response = client.get(url(program, "send/schedules/"), {"who": "selected", "participants": value})

    assert response.status_code == 404
    assert Notification.objects.count() == 0
