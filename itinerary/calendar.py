"""Itineraries as iCalendar (RFC 5545), built with the icalendar library.

One VEVENT per visit, with a UID that survives edits, SEQUENCE from the
visit's counter, STATUS:CANCELLED for cancelled visits, and times in the
program's zone with its VTIMEZONE, so that a phone subscribed to the feed
updates events in place instead of duplicating them.
"""

import functools
from datetime import date, timedelta
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from visits.enums import VisitStatus

from .selectors import Itinerary

PRODID = "-//Internship Portal//Itinerary//EN"
ICAL_STATUS = {
    VisitStatus.PLANNED: "TENTATIVE",
    VisitStatus.CONFIRMED: "CONFIRMED",
    VisitStatus.CANCELLED: "CANCELLED",
}


def visit_uid(visit_id: int) -> str:
    """A UID stable for the visit's whole life, unique to this portal."""
    domain = urlsplit(settings.SITE_URL).hostname or "internship-portal"
    return f"visit-{visit_id}@{domain}"


def _description(visit) -> str:
    lines = []
    if visit.meeting_point:
        lines.append(f"{_('Meeting point')}: {visit.meeting_point}")
    if visit.host_id:
        lines.append(f"{_('Host')}: {visit.host.name}")
    if visit.agenda:
        lines += ["", visit.agenda]
    return "\n".join(lines)


def itinerary_to_ical(*, itinerary: Itinerary, personal_url: str, language: str) -> bytes:
    """The participant's itinerary as a calendar that calendar apps accept, its labels
    ("Meeting point", "Host") in `language`."""
    with translation.override(language):
        return _itinerary_to_ical(itinerary=itinerary, personal_url=personal_url)


def _itinerary_to_ical(*, itinerary: Itinerary, personal_url: str) -> bytes:
    program = itinerary.program
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"{program.title} — {itinerary.participant.full_name}")
    calendar.add("x-wr-timezone", program.timezone)
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    for item in itinerary.items:
        visit = item.visit
        event = icalendar.Event()
        event.add("uid", visit_uid(visit.pk))
        event.add("sequence", visit.sequence)
        event.add("dtstamp", visit.updated_at)
        event.add("last-modified", visit.updated_at)
        event.add("dtstart", item.starts_at)
        event.add("dtend", item.ends_at)
        event.add("summary", visit.title)
        location = visit.effective_location
        if location:
            event.add("location", location)
        description = _description(visit)
        if description:
            event.add("description", description)
        event.add("url", personal_url)
        event.add("status", ICAL_STATUS[visit.status])
        if visit.host_id and visit.host.latitude is not None and visit.host.longitude is not None:
            event.add("geo", (float(visit.host.latitude), float(visit.host.longitude)))
        calendar.add_component(event)
    if itinerary.items:
        first = itinerary.items[0].starts_at.date()
        last = itinerary.items[-1].ends_at.date() + timedelta(days=1)
        # The zone's rules around the program, not since 1970: a short VTIMEZONE.
        position = len(calendar.timezones)  # before the events that use them
        for tzid in sorted(calendar.get_missing_tzids()):
            vtimezone = _vtimezone(tzid, first - timedelta(days=366), last + timedelta(days=366))
            if vtimezone is not None:
                calendar.subcomponents.insert(position, vtimezone)
                position += 1
    return calendar.to_ical()


@functools.lru_cache(maxsize=256)
def _vtimezone(tzid: str, first_date: date, last_date: date) -> icalendar.Timezone | None:
    """A zone's VTIMEZONE for a window of dates: a pure function of its arguments (and tzdata),
    and the slowest part of a feed to build (the benchmark measured ~40% of a schedule
    e-mail's rendering time), so it is built once per zone and window. Calendars only read it."""
    try:
        return icalendar.Timezone.from_tzid(tzid, first_date=first_date, last_date=last_date)
    except ValueError:  # a zone icalendar does not know: left out, as add_missing_timezones does
        return None
