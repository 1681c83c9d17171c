"""Cached representations of an itinerary: the iCalendar bytes, the API's JSON and the
personal page's schedule fragment.

Every key is a version of what the representation shows (`Itinerary.etag` and what
the representation adds to it: the personal link, the language, the program's
topics, ...), never a name that something must remember to delete. A change to
anything shown makes a new key, so a stale entry is never read, only left to
expire. Django's cache is Redis in production; when Redis is down it misses
(`internship_portal.cache`) and the representation is built as without a cache.
"""

import hashlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache

from .calendar import itinerary_to_ical
from .selectors import ItineraryRows

# Entries are only ever superseded, never invalidated: the timeout just bounds memory.
TIMEOUT = 24 * 3600
# Bumped when a representation's code changes what it outputs for the same data.
FORMAT = 2


def version_key(kind: str, *parts: object) -> str:
    """A short cache key over `parts` (an etag, a URL, a language, ...)."""
    digest = hashlib.sha256("|".join(map(str, (FORMAT, settings.SITE_URL, *parts))).encode()).hexdigest()
    return f"itinerary:{kind}:{digest[:40]}"


def cached(key: str, build: Callable[[], Any]) -> Any:
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, TIMEOUT)
    return value


def itinerary_ical_cached(*, rows: ItineraryRows, personal_url: str) -> bytes:
    """`itinerary_to_ical`, built once per version of the itinerary and personal link.

    The calendar's bytes are a function of the itinerary's data (its version), the
    personal link written into each event and SITE_URL (the UIDs' domain). The
    visits are built from the rows only on a miss."""
    key = version_key("ics", rows.version(), personal_url)
    return cached(key, lambda: itinerary_to_ical(itinerary=rows.to_itinerary(), personal_url=personal_url))


def itinerary_json_cached(*, version: str, build: Callable[[], bytes]) -> bytes:
    """The API's itinerary JSON, rendered, built once per `version` (the itinerary's version,
    which covers the program's topics too: programs.versions)."""
    return cached(version_key("json", version), build)
