"""Shaped reads: soft warnings, itineraries, visitor lists."""

from datetime import date, timedelta

import pytest

from itinerary.selectors import participant_itinerary
from participants.models import Participant
from tests.factories import HostOrganisationFactory, ParticipantFactory, ProjectGroupFactory, local
from visits.selectors import visit_visitors, visits_of_program, visits_warnings
from visits.services import visit_cancel, visit_create

pytestmark = pytest.mark.django_db

DAY = date(2026, 12, 8)


def book(program, groups, start, end, *, host=None, title="Visit", day=DAY):
    return visit_create(
        program=program,
        groups=groups,
        host=host,
        title=title,
        starts_at=local(program, day, *start),
        ends_at=local(program, day, *end),
    )


def warnings_of(program):
    visits = list(visits_of_program(program=program))
    found = visits_warnings(visits=visits)
    return {visit.title: [w.code for w in found[visit.pk]] for visit in visits}


def test_warnings_tight_connection_between_different_hosts(program, group):
    book(program, [group], (10, 0), (12, 0), host=HostOrganisationFactory(name="AIFC"), title="A")
    book(program, [group], (12, 20), (14, 0), host=HostOrganisationFactory(name="Baiterek"), title="B")

    found = warnings_of(program)

    assert found == {"A": ["tight_connection"], "B": ["tight_connection"]}


def test_warnings_message_names_group_minutes_and_other_host(program, group):
    book(program, [group], (10, 0), (12, 0), host=HostOrganisationFactory(name="AIFC"), title="A")
    b = book(program, [group], (12, 20), (14, 0), host=HostOrganisationFactory(name="Baiterek"), title="B")

    message = visits_warnings(visits=[v for v in visits_of_program(program=program) if v.pk == b.pk])[b.pk][0].message

    assert group.name in message
    assert "20 minutes" in message
    assert "AIFC" in message


def test_warnings_same_host_or_enough_time_is_fine(program, group, other_group, host):
    book(program, [group], (10, 0), (12, 0), host=host, title="A")
    book(program, [group], (12, 10), (13, 0), host=host, title="Same host")
    book(program, [other_group], (10, 0), (12, 0), host=HostOrganisationFactory(), title="C")
    book(program, [other_group], (12, 30), (14, 0), host=HostOrganisationFactory(), title="Half an hour")

    assert warnings_of(program) == {"A": [], "Same host": [], "C": [], "Half an hour": []}


def test_warnings_cancelled_neighbour_does_not_count(program, group):
    a = book(program, [group], (10, 0), (12, 0), host=HostOrganisationFactory(), title="A")
    book(program, [group], (12, 5), (13, 0), host=HostOrganisationFactory(), title="B")

    visit_cancel(visit=a)

    assert warnings_of(program) == {"A": [], "B": []}


def test_warnings_outside_working_hours_in_local_time(program, group, host):
    book(program, [group], (7, 0), (9, 0), host=host, title="Early")
    book(program, [group], (19, 0), (21, 0), host=host, title="Late")
    book(program, [group], (8, 0), (20, 0), host=host, title="Full day", day=DAY + timedelta(days=1))

    assert warnings_of(program) == {
        "Early": ["outside_working_hours"],
        "Late": ["outside_working_hours"],
        "Full day": [],
    }


@pytest.mark.parametrize("visit_count", [1, 6])
def test_warnings_query_count_is_fixed(program, django_assert_num_queries, visit_count):
    groups = ProjectGroupFactory.create_batch(3, program=program)
    for index in range(visit_count):
        book(program, groups, (8 + index, 0), (8 + index, 45), host=HostOrganisationFactory(), title=f"V{index}")
    visits = list(visits_of_program(program=program))

    with django_assert_num_queries(1):
        visits_warnings(visits=visits)


def test_itinerary_groups_visits_by_local_day_in_order(program, group, other_group, host):
    participant = ParticipantFactory(program=program, group=group)
    late = book(program, [group], (23, 0), (23, 30), host=host, title="Late briefing")
    early = book(program, [group], (9, 0), (10, 0), host=host, title="Morning")
    book(program, [other_group], (11, 0), (12, 0), host=host, title="Not mine")
    next_day = book(program, [group], (9, 0), (10, 0), host=host, title="Next day", day=DAY + timedelta(days=1))
    visit_cancel(visit=early)

    itinerary = participant_itinerary(participant=participant)

    assert [day.date for day in itinerary.days] == [DAY, DAY + timedelta(days=1)]
    assert [[item.visit.pk for item in day.items] for day in itinerary.days] == [[early.pk, late.pk], [next_day.pk]]
    assert itinerary.days[0].items[0].is_cancelled
    assert itinerary.days[0].items[1].starts_at.hour == 23
    assert str(itinerary.days[0].items[1].starts_at.tzinfo) == "Asia/Almaty"


def test_itinerary_etag_changes_when_a_visit_moves(program, group, host):
    participant = ParticipantFactory(program=program, group=group)
    visit = book(program, [group], (9, 0), (10, 0), host=host)
    before = participant_itinerary(participant=participant).etag

    from visits.services import visit_update

    visit_update(visit=visit, starts_at=local(program, DAY, 11), ends_at=local(program, DAY, 12))
    participant = Participant.objects.select_related("program").get(pk=participant.pk)  # as a request loads it

    assert participant_itinerary(participant=participant).etag != before
    assert participant_itinerary(participant=participant).etag == participant_itinerary(participant=participant).etag


def test_itinerary_without_group_is_empty(program):
    participant = ParticipantFactory(program=program, group=None)

    assert participant_itinerary(participant=participant).days == []


@pytest.mark.parametrize("visit_count", [1, 8])
def test_itinerary_query_count_is_fixed(program, group, host, django_assert_num_queries, visit_count):
    participant = ParticipantFactory(program=program, group=group)
    for index in range(visit_count):
        book(program, [group], (8 + index, 0), (8 + index, 30), host=host, title=f"V{index}")

    with django_assert_num_queries(1):
        itinerary = participant_itinerary(participant=participant)
        [item.visit.host.name for item in itinerary.items]


def test_visit_visitors_lists_the_participants_of_its_groups(program, group, other_group, host):
    mine = ParticipantFactory.create_batch(2, program=program, group=group)
    ParticipantFactory(program=program, group=other_group)
    visit = book(program, [group], (9, 0), (10, 0), host=host)

    assert {p.pk for p in visit_visitors(visit=visit)} == {p.pk for p in mine}
