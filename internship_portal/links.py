"""The one builder of the links that open a person's pages without a password.

Personal itinerary pages and calendar feeds (`/i/<token>/`, `/i/<token>.ics`) and
survey links (`/s/<token>/`) are written into e-mails, calendars, API answers and
pages. They are built here from the routes' names, absolute on `SITE_URL` (or on
the base a page was requested on), so that every door writes the same address.
"""

from django.conf import settings
from django.urls import reverse


def _absolute(path: str, base: str | None) -> str:
    return f"{(base or settings.SITE_URL).rstrip('/')}{path}"


def personal_link(token: str, *, base: str | None = None) -> str:
    """The participant's itinerary page."""
    return _absolute(reverse("itinerary", kwargs={"token": token}), base)


def feed_link(token: str, *, base: str | None = None) -> str:
    """The participant's calendar feed (https://…; calendar apps subscribe to `webcal_link`)."""
    return _absolute(reverse("itinerary-feed", kwargs={"token": token}), base)


def webcal_link(token: str, *, base: str | None = None) -> str:
    return "webcal://" + feed_link(token, base=base).split("://", 1)[1]


def survey_link(token: str, *, base: str | None = None) -> str:
    """A participant's invitation to answer a survey."""
    return _absolute(reverse("surveys:respond", kwargs={"token": token}), base)


def host_link(token: str, *, base: str | None = None) -> str:
    """A host contact's page: their organisation's visits, to confirm, decline or move."""
    return _absolute(reverse("hosting:host-page", kwargs={"token": token}), base)
