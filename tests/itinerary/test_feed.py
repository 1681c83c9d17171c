"""The calendar feed `/i/<token>.ics` and its QR code: what a calendar app subscribes to."""

import xml.etree.ElementTree as ET

import icalendar
import pytest

from visits.services import visit_cancel, visit_update

from .conftest import schedule

pytestmark = pytest.mark.django_db


def feed(client, participant, **headers):
    return client.get(f"/i/{participant.access_token}.ics", headers=headers)


def test_feed_parses_with_one_event_per_visit_timezone_and_cancelled_status(client, program, group, participant):
    opening = schedule(program, [group], 0, 10, 12, title="Opening ceremony")
    dropped = schedule(program, [group], 1, 14, 16, title="Baiterek holding")
    visit_cancel(visit=dropped)

    response = feed(client, participant)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    events = {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}
    assert set(events) == {"Opening ceremony", "Baiterek holding"}
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Asia/Almaty"]
    assert str(events["Baiterek holding"]["STATUS"]) == "CANCELLED"
    assert str(events["Opening ceremony"]["STATUS"]) != "CANCELLED"
    start = events["Opening ceremony"].decoded("DTSTART")
    assert (start.hour, start.minute, str(start.tzinfo)) == (10, 0, "Asia/Almaty")
    assert start == opening.starts_at
    assert str(events["Opening ceremony"]["URL"]) == f"http://testserver/i/{participant.access_token}/"


def test_feed_answers_304_when_unchanged_and_200_after_a_change(client, program, group, participant):
    visit = schedule(program, [group], 0, 10, 12, title="Opening ceremony")
    first = feed(client, participant)
    etag = first["ETag"]

    again = feed(client, participant, if_none_match=etag)

    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag

    visit_update(visit=visit, title="Opening ceremony, moved to the Assembly hall")
    changed = feed(client, participant, if_none_match=etag)

    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert b"Assembly hall" in changed.content


def test_feed_other_etag_gets_the_full_calendar(client, program, group, participant):
    schedule(program, [group], 0, 10, 12)

    response = feed(client, participant, if_none_match='"something-else"')

    assert response.status_code == 200
    assert b"BEGIN:VCALENDAR" in response.content


def test_feed_headers_are_private_and_revalidated(client, participant):
    response = feed(client, participant)

    assert "private" in response["Cache-Control"]
    assert "no-cache" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Content-Disposition"].startswith("inline;")


def test_feed_download_link_is_an_attachment(client, program, participant):
    response = client.get(f"/i/{participant.access_token}.ics", {"download": "1"})

    assert response["Content-Disposition"] == f'attachment; filename="{program.slug}.ics"'


def test_feed_without_visits_is_still_a_calendar(client, participant):
    calendar = icalendar.Calendar.from_ical(feed(client, participant).content)

    assert calendar.walk("VEVENT") == []


def test_qr_code_is_an_svg(client, participant):
    response = client.get(f"/i/{participant.access_token}/qr.svg")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    root = ET.fromstring(response.content)  # noqa: S314 - our own output, parsed to prove it is well-formed
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.find("{http://www.w3.org/2000/svg}path") is not None
    assert response["Referrer-Policy"] == "same-origin"


def test_qr_code_changes_with_the_token(client, participant):
    from participants.services import participant_rotate_token

    before = client.get(f"/i/{participant.access_token}/qr.svg").content
    participant_rotate_token(participant=participant)

    after = client.get(f"/i/{participant.access_token}/qr.svg").content

    assert before != after


@pytest.mark.parametrize(
    ("language", "meeting_label", "host_label"),
    [
        ("en", "Meeting point: Hotel lobby", "Host: "),
        ("ru", "Место сбора: Hotel lobby", "Принимающая сторона: "),
        ("kk", "Жиналу орны: Hotel lobby", "Қабылдаушы тарап: "),
    ],
)
def test_feed_labels_are_in_the_participants_language(
    client, program, group, participant, language, meeting_label, host_label
):
    participant.language = language
    participant.save()
    visit = schedule(program, [group], 0, 10, 12, title="Opening ceremony", meeting_point="Hotel lobby")

    response = feed(client, participant)

    (event,) = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    description = str(event["DESCRIPTION"]).splitlines()
    assert description[:2] == [meeting_label, host_label + visit.host.name]


def test_feed_is_cached_per_language(client, program, group, participant, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ics"}}
    schedule(program, [group], 0, 10, 12, title="Opening ceremony", meeting_point="Hotel lobby")
    english = feed(client, participant).content
    participant.language = "ru"
    participant.save(update_fields=["language"])

    russian = feed(client, participant).content

    assert b"Meeting point" in english
    assert "Место сбора: Hotel lobby" in icalendar.Calendar.from_ical(russian).walk("VEVENT")[0]["DESCRIPTION"]
