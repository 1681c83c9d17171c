"""The iCalendar feed, read back with the icalendar library as a calendar app would."""

from datetime import date, timedelta

import icalendar
import pytest

from itinerary.calendar import itinerary_to_ical, visit_uid
from itinerary.selectors import participant_itinerary
from tests.factories import HostOrganisationFactory, ParticipantFactory, local
from visits.services import visit_cancel, visit_create, visit_update

pytestmark = pytest.mark.django_db
DAY = date(2026, 12, 8)
URL = "https://portal.example/i/token/"


def feed(participant):
    return icalendar.Calendar.from_ical(
        itinerary_to_ical(itinerary=participant_itinerary(participant=participant), personal_url=URL, language="en")
    )


def events(calendar):
    return {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}


@pytest.fixture
def setup(program, group):
    participant = ParticipantFactory(program=program, group=group)
    host = HostOrganisationFactory(name="Astana Hub", address="55/8 Mangilik El Ave, Astana")
    visit = visit_create(
        program=program,
        groups=[group],
        host=host,
        title="Astana Hub: GovTech",
        agenda="Tax preferences; acceleration programmes.",
        meeting_point="Hotel lobby",
        starts_at=local(program, DAY, 11, 30),
        ends_at=local(program, DAY, 13, 30),
    )
    other = visit_create(
        program=program,
        groups=[group],
        host=host,
        title="Second",
        starts_at=local(program, DAY + timedelta(days=1), 9),
        ends_at=local(program, DAY + timedelta(days=1), 10),
    )
    return participant, visit, other


def test_feed_has_one_event_per_visit_in_the_program_zone(setup):
    participant, visit, _other = setup

    calendar = feed(participant)

    found = events(calendar)
    assert set(found) == {"Astana Hub: GovTech", "Second"}
    event = found["Astana Hub: GovTech"]
    assert event["UID"] == visit_uid(visit.pk)
    assert event.decoded("DTSTART") == local(participant.program, DAY, 11, 30)
    assert event["DTSTART"].params["TZID"] == "Asia/Almaty"
    assert str(event["LOCATION"]) == "55/8 Mangilik El Ave, Astana"
    assert "Hotel lobby" in str(event["DESCRIPTION"])
    assert "Tax preferences" in str(event["DESCRIPTION"])
    assert str(event["URL"]) == URL
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Asia/Almaty"]


def test_feed_uid_is_stable_and_sequence_grows_on_change(setup):
    participant, visit, _other = setup
    before = events(feed(participant))["Astana Hub: GovTech"]

    visit_update(
        visit=visit, starts_at=local(participant.program, DAY, 14), ends_at=local(participant.program, DAY, 15)
    )
    after = events(feed(participant))["Astana Hub: GovTech"]

    assert after["UID"] == before["UID"]
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1
    assert after.decoded("DTSTART").hour == 14


def test_feed_marks_cancelled_visits(setup):
    participant, visit, _other = setup

    visit_cancel(visit=visit)

    event = events(feed(participant))["Astana Hub: GovTech"]
    assert str(event["STATUS"]) == "CANCELLED"
    assert int(event["SEQUENCE"]) == 1
