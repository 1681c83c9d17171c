"""Messages about the schedule: the itinerary e-mail, net change notices, reminders, host briefings."""

import csv
import io
from datetime import date, datetime, timedelta

import icalendar
import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import translation

from notices.models import NoticeRelease, NotifiedItinerary
from notices.services import (
    change_notices_release,
    change_notices_release_quiet,
    evening_reminders_enqueue,
    host_briefings_enqueue,
    programs_with_changes_untold,
    schedule_send,
)
from notifications.enums import NotificationStatus
from notifications.models import Notification
from notifications.selectors import sendout_progress
from notifications.services import outbox_dispatch
from participants.privacy import participant_anonymise
from participants.services import participant_update
from programs.models import Program
from tests.factories import HostContactFactory, ParticipantFactory, local
from visits.enums import VisitStatus
from visits.services import host_update, visit_cancel, visit_create, visit_update

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


def test_schedule_email_text_and_subject_are_plain_and_the_html_is_escaped(program, plan, send, group):
    program.title = "Capital & <Digital> State"
    program.save()
    person = ParticipantFactory(
        program=program, group=group, language="en", first_name="Ta'lim", last_name="Smith & Sons", patronymic=""
    )

    send(schedule_send, program=program, participant_ids=[person.pk])

    (message,) = mails_to(person.email)
    assert message.subject == "Your itinerary: Capital & <Digital> State"
    assert "Dear Ta'lim Smith & Sons," in message.body
    assert "“Capital & <Digital> State” (times are local: Astana, UTC+5)." in message.body
    assert not any(entity in message.body for entity in ("&amp;", "&#x27;", "&lt;"))
    html = message.alternatives[0][0]
    assert "Ta&#x27;lim Smith &amp; Sons" in html
    assert "Capital &amp; &lt;Digital&gt; State" in html
    assert "<Digital>" not in html


def test_schedule_send_in_each_participants_language(program, plan, send):
    send(schedule_send, program=program)

    people = plan["people"]
    assert mails_to(people["en1"].email)[0].subject.startswith("Your itinerary:")
    assert mails_to(people["ru2"].email)[0].subject.startswith("Ваша программа:")
    assert mails_to(people["kk2"].email)[0].subject.startswith("Сіздің кестеңіз:")
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


# --- change notices -----------------------------------------------------------------------


def test_visit_edit_marks_program_pending(program, plan, send):
    send(change_notices_release, program=program)  # told up to now (the plan's own visits)
    assert program not in programs_with_changes_untold()

    visit_update(visit=plan["morning"], starts_at=local(program, DAY, 9), ends_at=local(program, DAY, 11))

    assert program in programs_with_changes_untold()


def test_change_notices_net_diff_only_to_affected_participants(program, plan, send):
    send(schedule_send, program=program)
    mail.outbox.clear()
    morning = plan["morning"]

    visit_update(visit=morning, starts_at=local(program, DAY, 9), ends_at=local(program, DAY, 11))
    visit_update(visit=morning, meeting_point="Main entrance")
    count = send(change_notices_release, program=program)

    people = plan["people"]
    assert count == 2  # group 1 only: the morning visit is theirs
    assert sorted(m.to[0].split("<")[1].rstrip(">") for m in mail.outbox) == sorted(
        [people["ru1"].email, people["en1"].email]
    )
    (english,) = mails_to(people["en1"].email)
    assert english.subject == f"Changes to your itinerary: {program.title}"
    assert "* Astana Hub" in english.body
    assert "was: Tue 8 Dec 10:00–12:00" in english.body
    assert "now: Tue 8 Dec 09:00–11:00" in english.body
    assert "Ministry of Digital Development" not in english.body.split("Your up-to-date")[0]
    (russian,) = mails_to(people["ru1"].email)
    assert "было:" in russian.body
    assert "стало:" in russian.body
    assert program not in programs_with_changes_untold()
    assert NoticeRelease.objects.get(program=program).released_version == Program.objects.get(pk=program.pk).version


def test_change_notices_move_away_and_back_yields_nothing(program, plan, send):
    send(schedule_send, program=program)
    mail.outbox.clear()
    afternoon = plan["afternoon"]

    visit_update(visit=afternoon, starts_at=local(program, DAY, 16), ends_at=local(program, DAY, 18))
    visit_update(visit=afternoon, starts_at=local(program, DAY, 15), ends_at=local(program, DAY, 17))
    count = send(change_notices_release, program=program)

    assert count == 0
    assert mail.outbox == []


def test_change_notices_second_release_tells_only_what_changed_since_the_first(program, plan, send, group):
    send(schedule_send, program=program)
    visit_cancel(visit=plan["afternoon"])
    assert send(change_notices_release, program=program) == 4
    mail.outbox.clear()

    visit_update(visit=plan["morning"], groups=[group], location="Mangilik El 55/8")
    count = send(change_notices_release, program=program)

    assert count == 2
    body = mails_to(plan["people"]["en1"].email)[0].body
    assert "Mangilik El 55/8" in body
    assert "Ministry of Digital Development" not in body.split("Your up-to-date")[0]


def test_change_notices_participant_moved_to_another_group_is_told(program, plan, send, other_group):
    send(schedule_send, program=program)
    mail.outbox.clear()
    mover = plan["people"]["en1"]

    participant_update(participant=mover, group=other_group)
    count = send(change_notices_release, program=program)

    assert count == 1
    body = mails_to(mover.email)[0].body
    assert "removed: Tue 8 Dec 10:00–12:00" in body  # Astana Hub is not theirs any more


def test_change_notices_release_quiet_waits_for_the_quiet_period(program, plan, send):
    send(schedule_send, program=program)
    mail.outbox.clear()
    visit_cancel(visit=plan["morning"])
    edited_at = Program.objects.get(pk=program.pk).version_changed_at

    with override_settings(CHANGE_NOTICE_QUIET_MINUTES=15):
        too_early = send(change_notices_release_quiet, now=edited_at + timedelta(minutes=14))
        assert mail.outbox == []
        on_time = send(change_notices_release_quiet, now=edited_at + timedelta(minutes=15, seconds=1))

    assert (too_early, on_time) == (0, 2)
    body = mails_to(plan["people"]["ru1"].email)[0].body
    assert "* Astana Hub" in body
    with translation.override("ru"):
        cancelled = str(VisitStatus.CANCELLED.label)
    assert cancelled in body.split("стало:")[1]
    assert not programs_with_changes_untold().exists()


def test_change_notices_participants_never_sent_a_schedule_get_nothing(program, plan, send):
    visit_cancel(visit=plan["morning"])

    assert send(change_notices_release, program=program) == 0
    assert mail.outbox == []


# --- evening reminders ----------------------------------------------------------------------


def test_evening_reminders_once_per_participant_in_the_program_evening(program, plan, send):
    evening = datetime(2026, 12, 7, 18, 5, tzinfo=program.tzinfo)

    before = send(evening_reminders_enqueue, now=evening - timedelta(hours=1))
    first = send(evening_reminders_enqueue, now=evening)
    again = send(evening_reminders_enqueue, now=evening + timedelta(minutes=30))

    assert (before, first, again) == (0, 4, 0)
    (english,) = mails_to(plan["people"]["en1"].email)
    assert english.subject == "Tomorrow, Tuesday 8 December: your plan"
    assert "10:00–12:00  Astana Hub" in english.body
    (other,) = mails_to(plan["people"]["ru2"].email)
    assert "Astana Hub" not in other.body
    assert "Ministry of Digital Development" in other.body


def test_evening_reminders_nothing_when_tomorrow_is_free(program, plan, send):
    assert send(evening_reminders_enqueue, now=datetime(2026, 12, 8, 19, 0, tzinfo=program.tzinfo)) == 0
    assert mail.outbox == []


# --- host briefings ----------------------------------------------------------------------------


def test_host_briefings_days_ahead_with_csv_and_again_when_the_list_changes(program, plan, send, host, group):
    HostContactFactory(host=host, email="security@host.example", name="Security desk")
    host_update(host=host, visitor_list_days_ahead=3)
    visit_update(visit=plan["afternoon"], groups=[group])  # one host, two visits, group 1 only in both
    four_days_before = datetime(2026, 12, 4, 9, 0, tzinfo=program.tzinfo)

    early = send(host_briefings_enqueue, now=four_days_before)
    due = send(host_briefings_enqueue, now=four_days_before + timedelta(days=1))
    unchanged = send(host_briefings_enqueue, now=four_days_before + timedelta(days=1, hours=1))
    newcomer = ParticipantFactory(program=program, group=group, first_name="Ivan", last_name="Petrov", patronymic="")
    changed = send(host_briefings_enqueue, now=four_days_before + timedelta(days=2))

    assert (early, due, unchanged, changed) == (0, 2, 0, 2)
    first, *_ = mails_to("security@host.example")
    assert first.subject.startswith("Список посетителей: Astana Hub")
    _name, content, mimetype = first.attachments[0]
    assert mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(content.lstrip("\ufeff"))))
    assert rows[0] == ["Фамилия", "Имя", "Отчество", "Должность", "Организация", "Группа"]
    assert sorted(row[0] for row in rows[1:]) == sorted(
        [plan["people"]["ru1"].last_name, plan["people"]["en1"].last_name]
    )
    latest = mails_to("security@host.example")[-1]
    assert latest.subject.startswith("Обновлённый список посетителей")
    assert newcomer.full_name in latest.body


@pytest.mark.parametrize(
    ("language", "subject", "greeting", "title"),
    [
        ("kk", "Келушілер тізімі: Астана Хаб", "Құрметті Қауіпсіздік қызметі!", "Астана Хаб"),
        ("ru", "Список посетителей: Астана Хаб (рус.)", "Уважаемый(ая) Служба безопасности!", "Астана Хаб (рус.)"),
    ],
)
def test_host_briefing_is_in_the_contacts_language_whatever_language_sends_it(
    program, plan, send, host, group, language, subject, greeting, title
):
    HostContactFactory(host=host, email="security@host.example", name=greeting.split(" ", 1)[1].rstrip("!"),
                       language=language)  # fmt: skip
    host_update(host=host, visitor_list_days_ahead=3)
    visit_update(
        visit=plan["morning"], title_kk="Астана Хаб", title_ru="Астана Хаб (рус.)", location_kk="Мәңгілік Ел, 55/8"
    )
    program.title_kk, program.title_ru = "Адами капитал", "Человеческий капитал"
    program.save()

    with translation.override("en"):  # the beat's worker speaks English
        send(host_briefings_enqueue, now=datetime(2026, 12, 5, 9, 0, tzinfo=program.tzinfo))

    briefing = next(m for m in mails_to("security@host.example") if "Hub" not in m.subject and title in m.subject)
    assert briefing.subject.startswith(subject)
    assert briefing.body.startswith(greeting)
    assert ("«Адами капитал»" if language == "kk" else "«Человеческий капитал»") in briefing.body
    html = briefing.alternatives[0][0]
    assert title in html
    assert "Astana Hub" not in briefing.body
    if language == "kk":
        assert "8 желтоқсан" in briefing.body
        assert "Мәңгілік Ел, 55/8" in briefing.body
        assert "Ministry" not in briefing.body


# --- anonymised participants ----------------------------------------------------------------------


def assert_nothing_to(person, messages):
    """No message reaches the anonymised person, under their old address or their placeholder."""
    person.refresh_from_db()
    for message in messages:
        assert not any(person.email in to or "invalid.invalid" in to for to in message.to), message.to
        assert person.full_name not in message.body


def test_anonymised_participant_gets_no_schedule_change_notice_or_reminder(program, plan, send):
    send(schedule_send, program=program)
    gone = plan["people"]["en1"]
    participant_anonymise(participant=gone)
    mail.outbox.clear()

    schedule = send(schedule_send, program=program)
    visit_update(visit=plan["morning"], meeting_point="Main entrance")
    notices = send(change_notices_release, program=program)
    reminders = send(evening_reminders_enqueue, now=datetime(2026, 12, 7, 18, 5, tzinfo=program.tzinfo))

    assert schedule.queued_count == 3
    assert notices == 1  # ru1, the other member of the group
    assert reminders == 3
    assert len(mail.outbox) == 7
    assert_nothing_to(gone, mail.outbox)
    assert not Notification.objects.filter(recipient_email=gone.email).exists()  # nothing queued to the placeholder


def test_message_queued_before_anonymisation_is_not_sent(program, plan, send):
    gone = plan["people"]["ru1"]
    schedule_send(program=program)  # queued; not sent yet (the worker is busy)
    participant_anonymise(participant=gone)

    outbox_dispatch(everything_waiting=True)

    assert len(mail.outbox) == 3
    assert_nothing_to(gone, mail.outbox)
    assert not mails_to("ru1@gov.example")
    row = Notification.objects.get(payload__participant_id=gone.pk)
    assert row.status == NotificationStatus.FAILED
    assert row.recipient_email != "ru1@gov.example"  # the outbox forgets the address too


def test_host_briefing_leaves_out_anonymised_participants(program, plan, send, host, group):
    HostContactFactory(host=host, email="security@host.example", name="Security desk")
    host_update(host=host, visitor_list_days_ahead=3)
    gone = plan["people"]["en1"]
    participant_anonymise(participant=gone)
    gone.refresh_from_db()

    send(host_briefings_enqueue, now=datetime(2026, 12, 5, 9, 0, tzinfo=program.tzinfo))

    briefing = mails_to("security@host.example")[0]
    _name, content, _mimetype = briefing.attachments[0]
    names = [" ".join(row[:3]).strip() for row in csv.reader(io.StringIO(content.lstrip("\ufeff")))][1:]
    kept = plan["people"]["ru1"]
    assert " ".join([kept.last_name, kept.first_name, kept.patronymic]).strip() in names
    assert len(names) == 1  # the anonymised participant is not on the list
    assert f"Participant {gone.pk}" not in briefing.body


def test_schedule_ics_attachment_labels_are_in_the_participants_language(program, plan, send, host):
    send(schedule_send, program=program)

    labels = {}
    for key in ("ru1", "en1"):
        (message,) = mails_to(plan["people"][key].email)
        calendar = icalendar.Calendar.from_ical(message.attachments[0][1])
        morning = next(e for e in calendar.walk("VEVENT") if str(e["SUMMARY"]) == "Astana Hub")
        labels[key] = str(morning["DESCRIPTION"]).splitlines()[:2]
    assert labels["ru1"] == ["Место сбора: Hotel lobby", f"Принимающая сторона: {host.name}"]
    assert labels["en1"] == ["Meeting point: Hotel lobby", f"Host: {host.name}"]


def test_russian_emails_write_dates_in_the_genitive_and_lower_case(program, plan, send):
    ru1 = plan["people"]["ru1"]
    send(schedule_send, program=program)
    (schedule,) = mails_to(ru1.email)
    mail.outbox.clear()
    visit_update(visit=plan["morning"], starts_at=local(program, DAY, 9), ends_at=local(program, DAY, 11))
    send(change_notices_release, program=program)
    (notice,) = mails_to(ru1.email)
    mail.outbox.clear()
    send(evening_reminders_enqueue, now=datetime(2026, 12, 7, 18, 5, tzinfo=program.tzinfo))
    (reminder,) = mails_to(ru1.email)

    assert "\nВторник, 8 декабря 2026\n" in schedule.body
    assert "Вторник, 8 декабря 2026</h3>" in schedule.alternatives[0][0]
    assert "было: вт, 8 декабря 10:00–12:00" in notice.body
    assert "стало: вт, 8 декабря 09:00–11:00" in notice.body
    assert reminder.subject == "Завтра, вторник, 8 декабря: ваш план"
    assert "Ваш план на завтра, вторник, 8 декабря" in reminder.body
    for message in (schedule, notice, reminder):
        for text in (message.subject, message.body, message.alternatives[0][0]):
            assert "Декабрь" not in text
            assert "Вт 8" not in text


def test_kazakh_emails_write_dates_day_first_in_lower_case(program, plan, send):
    kk2 = plan["people"]["kk2"]
    send(schedule_send, program=program)
    (schedule,) = mails_to(kk2.email)

    assert "\n2026 жылғы 8 желтоқсан, сейсенбі\n" in schedule.body
    assert "Желтоқсан" not in schedule.body
