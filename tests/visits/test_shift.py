"""Moving many visits at once (visits_shift), duplicating one, and the board's undo."""

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError

from notices.services import change_notices_release, schedule_send
from tests.factories import ParticipantFactory, ProgramFactory, ProjectGroupFactory, local
from visits.enums import VisitStatus
from visits.exceptions import ScheduleConflict, UndoRefused
from visits.models import BoardAction, SiteVisit, VisitGroup
from visits.selectors import board_last_action
from visits.services import (
    board_undo,
    board_visit_duplicate,
    board_visit_move,
    board_visits_shift,
    visit_cancel,
    visit_create,
    visit_duplicate,
    visit_update,
    visits_shift,
)

pytestmark = pytest.mark.django_db

DAY = date(2026, 12, 8)


def book(program, groups, start, end, *, title="Visit", day=DAY, host=None, **extra):
    return visit_create(
        program=program, groups=groups, host=host, title=title,
        starts_at=local(program, day, *start), ends_at=local(program, day, *end), **extra,
    )  # fmt: skip


def times(visit):
    fresh = SiteVisit.objects.get(pk=visit.pk)
    tz = fresh.program.tzinfo
    return f"{fresh.starts_at.astimezone(tz):%H:%M}–{fresh.ends_at.astimezone(tz):%H:%M}"


@pytest.fixture
def day_plan(program, group, other_group, host):
    """Group 1: 09–10 and 10–11 back to back; group 2: 10–12; both: 14–15; the next day untouched."""
    return {
        "early": book(program, [group], (9,), (10,), title="Early", host=host),
        "late": book(program, [group], (10,), (11,), title="Late"),
        "other": book(program, [other_group], (10,), (12,), title="Other"),
        "joint": book(program, [group, other_group], (14,), (15,), title="Joint"),
        "tomorrow": book(program, [group], (9,), (10,), title="Tomorrow", day=DAY + timedelta(days=1)),
    }


def test_visits_shift_moves_every_visit_of_the_day_and_only_that_day(program, day_plan):
    moved = visits_shift(program=program, date=DAY, minutes=30)

    assert [visit.title for visit in moved] == ["Early", "Late", "Other", "Joint"]
    assert times(day_plan["early"]) == "09:30–10:30"
    assert times(day_plan["late"]) == "10:30–11:30"  # back to back with the one before: no clash
    assert times(day_plan["other"]) == "10:30–12:30"
    assert times(day_plan["joint"]) == "14:30–15:30"
    assert times(day_plan["tomorrow"]) == "09:00–10:00"
    for visit in moved:  # the bookings' copies follow
        assert set(VisitGroup.objects.filter(visit=visit).values_list("starts_at", flat=True)) == {visit.starts_at}


def test_visits_shift_bumps_each_moved_visits_sequence_once(program, day_plan):
    visits_shift(program=program, date=DAY, minutes=-15)

    sequences = dict(SiteVisit.objects.values_list("title", "sequence"))
    assert sequences == {"Early": 1, "Late": 1, "Other": 1, "Joint": 1, "Tomorrow": 0}


def test_visits_shift_raises_the_programs_version_and_writes_the_audit_trail(program, day_plan):
    version = type(program).objects.get(pk=program.pk).version

    visits_shift(program=program, date=DAY, minutes=30)

    assert type(program).objects.get(pk=program.pk).version > version
    latest = day_plan["joint"].history.order_by("-history_date", "-history_id").first()
    assert latest.history_type == "~"
    assert latest.history_groups == "Group 1: Digital state, Group 2: Demography"
    assert latest.starts_at == local(program, DAY, 14, 30)


def test_visits_shift_with_a_clash_moves_nothing_and_names_every_clash(program, group, other_group, day_plan):
    blocker_1 = book(program, [group], (11, 30), (12,), title="Lunch")
    blocker_2 = book(program, [other_group], (12, 30), (13,), title="Press")
    before = {visit.pk: times(visit) for visit in SiteVisit.objects.all()}

    with pytest.raises(ScheduleConflict) as caught:
        visits_shift(program=program, date=DAY, minutes=60, visits=[day_plan["late"], day_plan["other"]])

    clashes = {(clash.visit_id, clash.group_id, clash.moved_title) for clash in caught.value.clashes}
    assert clashes == {(blocker_1.pk, group.pk, "Late"), (blocker_2.pk, other_group.pk, "Other")}
    assert "“Late” would meet “Lunch”" in caught.value.message
    assert "“Other” would meet “Press”" in caught.value.message
    assert {visit.pk: times(visit) for visit in SiteVisit.objects.all()} == before
    assert SiteVisit.objects.filter(sequence__gt=0).count() == 0


def test_visits_shift_of_some_visits_checks_them_against_those_not_moved(program, day_plan):
    # Moving "Early" alone by an hour lands it on "Late", which stays.
    with pytest.raises(ScheduleConflict) as caught:
        visits_shift(program=program, date=DAY, minutes=60, visits=[day_plan["early"]])

    assert [clash.visit_id for clash in caught.value.clashes] == [day_plan["late"].pk]


def test_visits_shift_by_group_moves_the_visits_booking_it(program, other_group, day_plan):
    moved = visits_shift(program=program, date=DAY, minutes=30, groups=[other_group])

    assert sorted(visit.title for visit in moved) == ["Joint", "Other"]
    assert times(day_plan["early"]) == "09:00–10:00"
    assert times(day_plan["other"]) == "10:30–12:30"


def test_visits_shift_leaves_cancelled_visits_where_they_are(program, group):
    cancelled = visit_cancel(visit=book(program, [group], (9,), (10,), title="Off"))
    book(program, [group], (10,), (11,), title="On")

    moved = visits_shift(program=program, date=DAY, minutes=-60)

    assert [visit.title for visit in moved] == ["On"]
    assert times(cancelled) == "09:00–10:00"


def test_visits_shift_out_of_the_program_names_minutes_and_writes_nothing(program, group):
    last = book(program, [group], (22,), (23, 30), title="Late dinner", day=program.end_date)

    with pytest.raises(ValidationError) as caught:
        visits_shift(program=program, date=program.end_date, minutes=60)

    assert "Late dinner" in str(caught.value.message_dict["minutes"])
    assert times(last) == "22:00–23:30"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"minutes": 0}, "minutes"),
        ({"minutes": 1.5}, "minutes"),
        ({"minutes": True}, "minutes"),
        ({"minutes": "30"}, "minutes"),
        ({"minutes": 100_000}, "minutes"),
        ({"minutes": 30, "date": date(2027, 5, 1)}, "date"),
        ({"minutes": 30, "groups": []}, "groups"),
        ({"minutes": 30, "visits": []}, "visits"),
    ],
)
def test_visits_shift_bad_input_names_the_field(program, day_plan, kwargs, field):
    kwargs = {"date": DAY, **kwargs}
    with pytest.raises(ValidationError) as caught:
        visits_shift(program=program, **kwargs)

    assert field in caught.value.message_dict
    assert SiteVisit.objects.filter(sequence__gt=0).count() == 0


def test_visits_shift_refuses_groups_and_visits_of_another_program(program, day_plan):
    elsewhere = ProgramFactory()
    foreign_group = ProjectGroupFactory(program=elsewhere)
    foreign_visit = book(elsewhere, [foreign_group], (9,), (10,))

    with pytest.raises(ValidationError) as by_group:
        visits_shift(program=program, date=DAY, minutes=30, groups=[foreign_group])
    with pytest.raises(ValidationError) as by_visit:
        visits_shift(program=program, date=DAY, minutes=30, visits=[foreign_visit])

    assert "groups" in by_group.value.message_dict
    assert "visits" in by_visit.value.message_dict


def test_visits_shift_refuses_a_visit_of_another_day(program, day_plan):
    with pytest.raises(ValidationError) as caught:
        visits_shift(program=program, date=DAY, minutes=30, visits=[day_plan["tomorrow"]])

    assert str(day_plan["tomorrow"].pk) in str(caught.value.message_dict["visits"])


def test_visits_shift_sends_one_change_notice_per_affected_participant(
    program, group, other_group, day_plan, django_capture_on_commit_callbacks, celery_eager
):
    ParticipantFactory.create_batch(2, program=program, group=group)
    ParticipantFactory(program=program, group=other_group)
    with django_capture_on_commit_callbacks(execute=True):
        schedule_send(program=program)
    mail.outbox.clear()

    visits_shift(program=program, date=DAY, minutes=30)
    with django_capture_on_commit_callbacks(execute=True):
        count = change_notices_release(program=program)

    assert count == 3
    assert len(mail.outbox) == 3
    assert len({message.to[0] for message in mail.outbox}) == 3


def test_visits_shift_sends_a_webhook_per_moved_visit(program, day_plan, monkeypatch):
    import visits.services as services

    sent = []
    monkeypatch.setattr(services, "webhooks_subscribed", lambda **kwargs: [object()])
    monkeypatch.setattr(services, "visit_event_emit", lambda *, visit, event: sent.append((visit.title, event)))

    visits_shift(program=program, date=DAY, minutes=30, groups=[day_plan["other"].groups.get()])

    assert sorted(sent) == [("Joint", "updated"), ("Other", "updated")]


# --- duplicate ----------------------------------------------------------------------------


def test_visit_duplicate_copies_the_visit_at_a_new_start(program, group, other_group, host):
    original = book(program, [group], (10,), (11, 30), title="Astana Hub", host=host, agenda="Pitches", capacity=40)
    visit_update(visit=original, status=VisitStatus.CONFIRMED)

    copy = visit_duplicate(visit=original, starts_at=local(program, DAY + timedelta(days=1), 15))

    assert copy.pk != original.pk
    assert (copy.title, copy.host_id, copy.agenda, copy.capacity) == ("Astana Hub", host.pk, "Pitches", 40)
    assert copy.status == VisitStatus.PLANNED
    assert copy.ends_at - copy.starts_at == timedelta(minutes=90)
    assert list(copy.bookings.values_list("group_id", flat=True)) == [group.pk]


def test_visit_duplicate_for_other_groups_and_refused_on_a_clash(program, group, other_group):
    original = book(program, [group], (10,), (11,), title="Lecture")
    busy = book(program, [other_group], (15,), (16,), title="Busy")

    copy = visit_duplicate(visit=original, starts_at=local(program, DAY, 12), groups=[other_group])
    with pytest.raises(ScheduleConflict) as caught:
        visit_duplicate(visit=original, starts_at=local(program, DAY, 15, 30), groups=[other_group])

    assert list(copy.bookings.values_list("group_id", flat=True)) == [other_group.pk]
    assert [clash.visit_id for clash in caught.value.clashes] == [busy.pk]
    assert SiteVisit.objects.count() == 3


def test_visit_duplicate_needs_a_time(program, group):
    original = book(program, [group], (10,), (11,))
    with pytest.raises(ValidationError) as caught:
        visit_duplicate(visit=original, starts_at="tomorrow")
    assert "starts_at" in caught.value.message_dict


# --- undo -----------------------------------------------------------------------------------


@pytest.fixture
def organiser(db):
    return get_user_model().objects.create_user("aigerim")


def test_board_undo_of_a_move_puts_the_visit_back(program, group, other_group, organiser):
    visit = book(program, [group], (10,), (11,), title="Lecture")
    board_visit_move(
        program=program, user=organiser, visit=visit, starts_at=local(program, DAY, 13),
        ends_at=local(program, DAY, 14, 30), groups=[other_group],
    )  # fmt: skip
    assert times(visit) == "13:00–14:30"

    message = board_undo(program=program, user=organiser)

    assert message == "Undone: the move of “Lecture”."
    assert times(visit) == "10:00–11:00"
    assert list(VisitGroup.objects.filter(visit=visit).values_list("group_id", flat=True)) == [group.pk]
    assert board_last_action(program=program, user=organiser) is None


def test_board_undo_of_a_shift_moves_them_all_back(program, day_plan, organiser):
    board_visits_shift(program=program, user=organiser, date=DAY, minutes=45)

    board_undo(program=program, user=organiser)

    assert times(day_plan["early"]) == "09:00–10:00"
    assert times(day_plan["joint"]) == "14:00–15:00"


def test_board_undo_of_a_duplicate_removes_the_copy(program, group, organiser):
    original = book(program, [group], (10,), (11,), title="Lecture")
    board_visit_duplicate(program=program, user=organiser, visit=original, starts_at=local(program, DAY, 15))
    assert SiteVisit.objects.count() == 2

    board_undo(program=program, user=organiser)

    assert list(SiteVisit.objects.values_list("pk", flat=True)) == [original.pk]


def test_board_undo_refused_when_the_visit_changed_since(program, group, organiser):
    visit = book(program, [group], (10,), (11,), title="Lecture")
    board_visit_move(
        program=program, user=organiser, visit=visit,
        starts_at=local(program, DAY, 12), ends_at=local(program, DAY, 13),
    )  # fmt: skip
    visit_update(visit=visit, title="Lecture, moved hall")

    with pytest.raises(UndoRefused) as caught:
        board_undo(program=program, user=organiser)

    assert "“Lecture, moved hall” changed since" in caught.value.message
    assert times(visit) == "12:00–13:00"
    assert BoardAction.objects.count() == 1


def test_board_undo_with_nothing_to_undo_says_so(program, organiser):
    with pytest.raises(UndoRefused) as caught:
        board_undo(program=program, user=organiser)
    assert caught.value.message == "There is nothing to undo."


def test_board_undo_is_per_organiser(program, group, organiser):
    other = get_user_model().objects.create_user("dana")
    visit = book(program, [group], (10,), (11,))
    board_visit_move(
        program=program, user=organiser, visit=visit,
        starts_at=local(program, DAY, 12), ends_at=local(program, DAY, 13),
    )  # fmt: skip

    with pytest.raises(UndoRefused):
        board_undo(program=program, user=other)
    assert times(visit) == "12:00–13:00"
