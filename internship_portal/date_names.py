"""Weekday names whose Kazakh translation in Django's own catalogue is wrong
(Friday misspelt "Жума"; Tuesday abbreviated "Сб", which Kazakh calendars use
for Saturday). Listing them here keeps the corrected entries of
locale/kk/LC_MESSAGES/django.po through every makemessages run."""

from django.utils.translation import gettext_noop

# The cities that name the time zones a delegation's participants live in (itinerary.views.zone_label).
ZONE_CITIES = [
    gettext_noop("Almaty"),
    gettext_noop("Moscow"),
    gettext_noop("Kaliningrad"),
    gettext_noop("Samara"),
    gettext_noop("Yekaterinburg"),
    gettext_noop("Omsk"),
    gettext_noop("Novosibirsk"),
    gettext_noop("Tomsk"),
    gettext_noop("Krasnoyarsk"),
    gettext_noop("Irkutsk"),
    gettext_noop("Vladivostok"),
]

CORRECTED_WEEKDAY_NAMES = [
    gettext_noop("Friday"),
    gettext_noop("Mon"),
    gettext_noop("Tue"),
    gettext_noop("Wed"),
    gettext_noop("Thu"),
    gettext_noop("Fri"),
    gettext_noop("Sat"),
    gettext_noop("Sun"),
]
