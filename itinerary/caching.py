"""Cached representations of an itinerary: the iCalendar bytes, the API's JSON and the
personal page's schedule fragment.

Every key is a version of what the representation shows (`itinerary_version`: the
release, the program's version, the participant) and what the representation adds
to it (the personal link, the language, ...), never a name that something must
remember to delete. A write anywhere makes a new key, so a stale entry is never
read, only left to expire. Django's cache is Redis in production; when Redis is
down it misses (`internship_portal.cache`) and the representation is built as
without a cache.
"""

from collections.abc import Callable

from internship_portal.cache import VERSIONED_TIMEOUT, cached, version_key
from participants.models import Participant

from .calendar import itinerary_to_ical
from .selectors import ItineraryRows, itinerary_version, participant_itinerary, participant_itinerary_rows

TIMEOUT = VERSIONED_TIMEOUT
__all__ = ["TIMEOUT", "cached", "version_key"]


def itinerary_ical_cached(*, participant: Participant, personal_url: str) -> bytes:
    """`itinerary_to_ical` in the participant's language, built once per version of the
    itinerary, personal link and language: the visits are read only on a miss."""
    language = participant.language
    key = version_key("ics", itinerary_version(participant=participant), personal_url, language)
    return cached(
        key,
        lambda: itinerary_to_ical(
            itinerary=participant_itinerary(participant=participant), personal_url=personal_url, language=language
        ),
    )


def itinerary_json_cached(*, version: str, build: Callable[[], bytes]) -> bytes:
    """The API's itinerary JSON, rendered, built once per `version`."""
    return cached(version_key("json", version), build)


def itinerary_rows_cached(*, participant: Participant) -> ItineraryRows:
    """The participant's itinerary as plain rows, read from the database once per version."""
    rows = cached(
        version_key("rows", itinerary_version(participant=participant)),
        lambda: participant_itinerary_rows(participant=participant).rows,
    )
    return ItineraryRows(participant=participant, program=participant.program, rows=rows)
