"""The scheduling rules, on whichever database the run uses (SQLite and PostgreSQL)."""

import zoneinfo
from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from tests.conftest import ON_POSTGRES
from tests.factories import (
    ParticipantFactory,
    ProgramFactory,
    ProjectGroupFactory,
    local,
    mark_all_told,
    untold_program_ids,
)
from visits.enums import VisitStatus
from visits.exceptions import ScheduleConflict
from visits.models import HostOrganisation, SiteVisit, VisitGroup
from visits.services import (
    contact_create,
    contact_delete,
    contact_update,
    host_delete,
    host_update,
    visit_cancel,
    visit_create,
    visit_update,
)

pytestmark = pytest.mark.django_db

DAY = date(2026, 12, 8)


def book(program, groups, start_hour, end_hour, *, host=None, day=DAY, title="Visit", **extra):
    return visit_create(
        program=program,
        groups=groups,
        host=host,
        title=title,
        starts_at=local(program, day, start_hour),
        ends_at=local(program, day, end_hour),
        **extra,
    )


def test_visit_create_books_each_group_with_a_copy_of_the_time_range(program, group, other_group, host):
    visit = book(program, [group, other_group], 10, 12, host=host)

    rows = VisitGroup.objects.filter(visit=visit).order_by("group_id")
    assert [row.group_id for row in rows] == sorted([group.pk, other_group.pk])
    assert all(row.starts_at == visit.starts_at and row.ends_at == visit.ends_at for row in rows)
    assert all(not row.is_cancelled for row in rows)
    assert visit.starts_at.utcoffset() is not None


def test_visit_create_overlap_raises_conflict_naming_visit_and_group(program, group, host):
    first = book(program, [group], 10, 12, host=host, title="Nazarbayev University")

    with pytest.raises(ScheduleConflict) as caught:
        book(program, [group], 11, 13, host=host, title="Astana Hub")

    clashes = caught.value.clashes
    assert [(c.visit_id, c.group_id) for c in clashes] == [(first.pk, group.pk)]
    assert "Nazarbayev University" in str(caught.value)
    assert group.name in str(caught.value)
    assert SiteVisit.objects.filter(title="Astana Hub").count() == 0
    assert VisitGroup.objects.count() == 1


def test_visit_create_conflict_lists_every_clashing_group(program, group, other_group, host):
    book(program, [group], 10, 12, host=host, title="A")
    book(program, [other_group], 10, 12, host=host, title="B")

    with pytest.raises(ScheduleConflict) as caught:
        book(program, [group, other_group], 9, 11, host=host, title="C")

    assert {(c.visit_title, c.group_id) for c in caught.value.clashes} == {("A", group.pk), ("B", other_group.pk)}


def test_visit_create_back_to_back_visits_are_allowed(program, group, host):
    book(program, [group], 10, 12, host=host)
    second = book(program, [group], 12, 14, host=host)

    assert second.pk is not None
    assert VisitGroup.objects.filter(group=group).count() == 2


def test_visit_create_other_group_same_time_is_allowed(program, group, other_group, host):
    book(program, [group], 10, 12, host=host)
    book(program, [other_group], 10, 12, host=host)

    assert SiteVisit.objects.count() == 2


def test_visit_cancel_frees_the_slot(program, group, host):
    first = book(program, [group], 10, 12, host=host)

    visit_cancel(visit=first)
    replacement = book(program, [group], 10, 12, host=host, title="Replacement")

    first.refresh_from_db()
    assert first.status == VisitStatus.CANCELLED
    assert VisitGroup.objects.get(visit=first).is_cancelled is True
    assert replacement.pk is not None


def test_visit_update_uncancel_into_a_taken_slot_is_refused(program, group, host):
    first = book(program, [group], 10, 12, host=host)
    visit_cancel(visit=first)
    book(program, [group], 10, 12, host=host, title="Replacement")

    with pytest.raises(ScheduleConflict):
        visit_update(visit=first, status=VisitStatus.PLANNED)

    first.refresh_from_db()
    assert first.status == VisitStatus.CANCELLED


def test_visit_update_move_into_clash_writes_nothing(program, group, host):
    book(program, [group], 10, 12, host=host, title="Morning")
    afternoon = book(program, [group], 14, 16, host=host, title="Afternoon")

    with pytest.raises(ScheduleConflict):
        visit_update(visit=afternoon, starts_at=local(program, DAY, 11), ends_at=local(program, DAY, 13))

    afternoon.refresh_from_db()
    row = VisitGroup.objects.get(visit=afternoon)
    assert afternoon.starts_at == local(program, DAY, 14)
    assert row.starts_at == local(program, DAY, 14)
    assert afternoon.sequence == 0


def test_visit_update_keeps_booking_copies_in_step_and_bumps_sequence(program, group, other_group, host):
    visit = book(program, [group], 10, 12, host=host)

    visit_update(visit=visit, starts_at=local(program, DAY, 15), ends_at=local(program, DAY, 17), groups=[other_group])

    visit.refresh_from_db()
    rows = list(VisitGroup.objects.filter(visit=visit))
    assert [row.group_id for row in rows] == [other_group.pk]
    assert rows[0].starts_at == local(program, DAY, 15)
    assert rows[0].ends_at == local(program, DAY, 17)
    assert visit.sequence == 1


def test_visit_update_without_calendar_change_keeps_sequence(program, group, host):
    visit = book(program, [group], 10, 12, host=host)

    visit_update(visit=visit, capacity=40)

    visit.refresh_from_db()
    assert visit.capacity == 40
    assert visit.sequence == 0


def test_visit_update_moving_itself_within_its_own_slot_is_not_a_clash(program, group, host):
    visit = book(program, [group], 10, 12, host=host)

    visit_update(visit=visit, starts_at=local(program, DAY, 11), ends_at=local(program, DAY, 13))

    visit.refresh_from_db()
    assert visit.starts_at == local(program, DAY, 11)


# --- bad input -----------------------------------------------------------------------


def test_visit_create_naive_datetime_names_the_field(program, group):
    with pytest.raises(ValidationError) as caught:
        visit_create(
            program=program,
            groups=[group],
            title="X",
            starts_at=datetime(2026, 12, 8, 10),
            ends_at=local(program, DAY, 12),
        )

    assert "starts_at" in caught.value.message_dict
    assert SiteVisit.objects.count() == 0


def test_visit_create_end_before_start_names_ends_at(program, group):
    with pytest.raises(ValidationError) as caught:
        book(program, [group], 12, 10)

    assert "ends_at" in caught.value.message_dict
    assert "after it starts" in caught.value.message_dict["ends_at"][0]
    assert SiteVisit.objects.count() == 0


def test_visit_create_outside_program_dates_is_refused(program, group):
    with pytest.raises(ValidationError) as caught:
        book(program, [group], 10, 12, day=program.end_date + timedelta(days=1))

    assert "starts_at" in caught.value.message_dict
    assert SiteVisit.objects.count() == 0


def test_visit_create_running_past_the_last_day_is_refused(program, group):
    with pytest.raises(ValidationError) as caught:
        visit_create(
            program=program,
            groups=[group],
            title="Night train",
            starts_at=local(program, program.end_date, 22),
            ends_at=local(program, program.end_date + timedelta(days=1), 2),
        )

    assert "ends_at" in caught.value.message_dict


def test_visit_create_group_of_another_program_is_refused(program, group):
    foreign = ProjectGroupFactory(program=ProgramFactory(), name="Foreign group")

    with pytest.raises(ValidationError) as caught:
        book(program, [group, foreign], 10, 12)

    assert "groups" in caught.value.message_dict
    assert "Foreign group" in caught.value.message_dict["groups"][0]
    assert SiteVisit.objects.count() == 0
    assert VisitGroup.objects.count() == 0


def test_visit_create_over_capacity_is_refused(program, group):
    ParticipantFactory.create_batch(3, program=program, group=group)

    with pytest.raises(ValidationError) as caught:
        book(program, [group], 10, 12, capacity=2)

    assert "capacity" in caught.value.message_dict
    assert SiteVisit.objects.count() == 0


def test_visit_create_within_capacity_is_accepted(program, group):
    ParticipantFactory.create_batch(3, program=program, group=group)

    visit = book(program, [group], 10, 12, capacity=3)

    assert visit.capacity == 3


def test_program_unknown_timezone_names_the_field():
    from programs.services import program_create

    with pytest.raises(ValidationError) as caught:
        program_create(
            slug="mars",
            title="Mars",
            host_institution="Academy",
            city="Astana",
            timezone="Mars/Olympus_Mons",
            start_date=date(2026, 12, 1),
            end_date=date(2026, 12, 5),
        )

    assert "timezone" in caught.value.message_dict


# --- time zones ----------------------------------------------------------------------


def test_visit_crossing_local_midnight_is_within_program(program, group):
    visit = visit_create(
        program=program,
        groups=[group],
        title="Night flight briefing",
        starts_at=local(program, DAY, 23),
        ends_at=local(program, DAY + timedelta(days=1), 1),
    )

    assert program.local_date(visit.starts_at) == DAY
    assert program.local_date(visit.ends_at) == DAY + timedelta(days=1)


def test_overlap_is_detected_across_time_zones(program, group):
    # 10:00–12:00 in Astana is 06:00–08:00 in Berlin (winter, UTC+1) — the same instants.
    book(program, [group], 10, 12)
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")

    with pytest.raises(ScheduleConflict):
        visit_create(
            program=program,
            groups=[group],
            title="Same instant, other zone",
            starts_at=datetime(2026, 12, 8, 7, 0, tzinfo=berlin),
            ends_at=datetime(2026, 12, 8, 7, 30, tzinfo=berlin),
        )


def test_dst_zone_program_keeps_wall_time_across_the_switch():
    # Europe/Berlin leaves summer time on 2026-10-25 at 03:00 local.
    program = ProgramFactory(timezone="Europe/Berlin", start_date=date(2026, 10, 23), end_date=date(2026, 10, 27))
    group = ProjectGroupFactory(program=program)

    before = book(program, [group], 10, 11, day=date(2026, 10, 24), title="Before")
    after = book(program, [group], 10, 11, day=date(2026, 10, 26), title="After")

    before.refresh_from_db()
    after.refresh_from_db()
    # Stored in UTC: 08:00Z in summer time, 09:00Z after the switch...
    assert (before.starts_at.hour, after.starts_at.hour) == (8, 9)
    assert after.starts_at - before.starts_at == timedelta(days=2, hours=1)
    # ...and both read back as 10:00 on the wall.
    assert before.starts_at.astimezone(program.tzinfo).hour == after.starts_at.astimezone(program.tzinfo).hour == 10


def test_asia_almaty_has_no_dst_through_the_year():
    program = ProgramFactory(timezone="Asia/Almaty", start_date=date(2026, 1, 1), end_date=date(2026, 12, 31))
    winter = local(program, date(2026, 1, 15), 10)
    summer = local(program, date(2026, 7, 15), 10)

    assert winter.utcoffset() == summer.utcoffset() == timedelta(hours=5)


# --- the database's own guard -------------------------------------------------------


@pytest.mark.postgres
def test_postgres_exclusion_constraint_refuses_a_raw_double_booking(program, group, host):
    first = book(program, [group], 10, 12, host=host)
    second = SiteVisit.objects.create(
        program=program, title="Bypassing the service", starts_at=first.starts_at, ends_at=first.ends_at
    )

    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        VisitGroup.objects.create(visit=second, group=group, starts_at=second.starts_at, ends_at=second.ends_at)

    assert caught.value.__cause__.pgcode == "23P01"


@pytest.mark.postgres
def test_postgres_exclusion_constraint_ignores_cancelled_rows(program, group, host):
    first = book(program, [group], 10, 12, host=host)
    visit_cancel(visit=first)
    second = SiteVisit.objects.create(program=program, title="Raw", starts_at=first.starts_at, ends_at=first.ends_at)

    VisitGroup.objects.create(visit=second, group=group, starts_at=second.starts_at, ends_at=second.ends_at)

    assert VisitGroup.objects.filter(group=group).count() == 2


def test_the_constraint_exists_only_where_the_database_can_hold_it(db):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, VisitGroup._meta.db_table)

    assert ("booking_no_group_double_booking" in constraints) is ON_POSTGRES


def slot(program, start_hour, end_hour):
    return {"starts_at": local(program, DAY, start_hour), "ends_at": local(program, DAY, end_hour)}


def test_host_update_address_marks_pending_changes_for_programs_visiting_it(program, group, host):
    other = ProgramFactory()
    visit = visit_create(program=program, groups=[group], host=host, title="Astana Hub", **slot(program, 10, 12))
    visit_create(
        program=other,
        groups=[ProjectGroupFactory(program=other)],
        host=host,
        title="Own hall visit",
        location="Own hall",
        **slot(other, 10, 12),
    )
    mark_all_told()

    host_update(host=host, address="1 Mangilik El Ave, Astana")

    assert program.pk in untold_program_ids()
    assert SiteVisit.objects.get(pk=visit.pk).sequence == 1
    # The other program's visit meets in its own hall: its calendar event does not change.
    assert SiteVisit.objects.get(title="Own hall visit").sequence == 0


def test_host_update_name_marks_every_program_with_upcoming_visits_there(program, group, host):
    other = ProgramFactory()
    visit_create(program=program, groups=[group], host=host, title="Astana Hub", **slot(program, 10, 12))
    visit_create(
        program=other,
        groups=[ProjectGroupFactory(program=other)],
        host=host,
        title="Own hall visit",
        location="Own hall",
        **slot(other, 10, 12),
    )
    mark_all_told()

    host_update(host=host, name="Astana Hub International Technopark")

    assert untold_program_ids() == {program.pk, other.pk}


def test_host_update_of_other_details_changes_no_calendar(program, group, host):
    visit = visit_create(program=program, groups=[group], host=host, title="Astana Hub", **slot(program, 10, 12))

    host_update(host=host, visitor_list_days_ahead=5)

    # The program's version rises (the host's pages show the field), but no calendar event changes.
    assert SiteVisit.objects.get(pk=visit.pk).sequence == 0


def test_host_delete_with_visits_is_refused_naming_them(program, group, host):
    visit_create(program=program, groups=[group], host=host, title="Astana Hub tour", **slot(program, 10, 12))

    with pytest.raises(ValidationError) as caught:
        host_delete(host=host)

    assert "Astana Hub tour" in " ".join(caught.value.messages)
    assert HostOrganisation.objects.filter(pk=host.pk).exists()


def test_contact_services_add_change_and_remove_a_host_contact(host):
    contact = contact_create(host=host, name="Asel Nurpeisova", email="asel@host.example")
    contact_update(contact=contact, role="Director of External Relations")
    assert host.contacts.get().role == "Director of External Relations"

    contact_delete(contact=contact)

    assert not host.contacts.exists()
