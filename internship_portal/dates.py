"""Dates as each of the portal's languages writes them, and the template filters that show them.

Django's `date` filter with one format for every language gives Russian "Вторник 8 Декабрь":
the nominative month ("F") where Russian wants the genitive after a day number ("E", Django's
alternative month name, "8 декабря"), and capitalised names where Russian and Kazakh write them
in lower case mid-sentence. Each kind of date here has one format per language; a heading that
starts with the date capitalises it with `|capfirst`.

Kazakh puts the day before the weekday and the year first ("2026 жылғы 8 желтоқсан, сейсенбі",
as the Kazakh e-mails already wrote it); its month names stay nominative, which is how Kazakh
writes a date. Russian short forms keep the full month name: the abbreviations in Django's
catalogue are nominative ("8 май"), not genitive ("8 мая"). Kazakh short forms keep the
abbreviations of Kazakh calendars ("Сс 8 Жел")."""

import zoneinfo
from datetime import date, datetime

from django import template
from django.utils import translation
from django.utils.dateformat import format as format_date

# kind -> language -> a format of Django's `date` filter (Cyrillic letters are not format codes).
FORMATS: dict[str, dict[str, str]] = {
    # Tuesday, 8 December · вторник, 8 декабря · 8 желтоқсан, сейсенбі
    "day_label": {"en": "l, j F", "ru": "l, j E", "kk": "j E, l"},
    # Tuesday, 8 December 2026 · вторник, 8 декабря 2026 · 2026 жылғы 8 желтоқсан, сейсенбі
    "day_year": {"en": "l, j F Y", "ru": "l, j E Y", "kk": "Y жылғы j E, l"},
    # Tue 8 Dec · вт, 8 декабря · Сс 8 Жел
    "day_short": {"en": "D j M", "ru": "D, j E", "kk": "D j M"},
    # 8 December · 8 декабря · 8 желтоқсан
    "day_month": {"en": "j F", "ru": "j E", "kk": "j E"},
    # 8 December 2026 · 8 декабря 2026 · 2026 жылғы 8 желтоқсан
    "date_long": {"en": "j F Y", "ru": "j E Y", "kk": "Y жылғы j E"},
    # 8 Dec 2026 · 8 декабря 2026 · 2026 жылғы 8 желтоқсан
    "date_short": {"en": "j M Y", "ru": "j E Y", "kk": "Y жылғы j E"},
}
# Languages that write weekday and month names in lower case mid-sentence.
LOWER_CASE_NAMES = {"ru", "kk"}
# Kazakh abbreviations keep the capital of Kazakh calendars ("Сс", "Жел").
KEEP_CASE = {("day_short", "kk")}

register = template.Library()


def format_day(value: date | datetime, kind: str) -> str:
    """`value` as the active language writes a date of `kind` (a key of FORMATS).
    An aware datetime is formatted as it is: the caller converts it to the local zone."""
    language = (translation.get_language() or "en").split("-")[0]
    formats = FORMATS[kind]
    text = format_date(value, formats.get(language, formats["en"]))
    return text.lower() if language in LOWER_CASE_NAMES and (kind, language) not in KEEP_CASE else text


def _filter(kind: str):
    def show(value):
        if not isinstance(value, date):
            return ""
        return format_day(value, kind)

    show.__name__ = kind
    show.__doc__ = f"The date as the active language writes a {kind.replace('_', ' ')}."
    # Like Django's `date`: an aware datetime arrives in the current time zone.
    register.filter(kind, show, expects_localtime=True, is_safe=False)
    return show


for _kind in FORMATS:
    _filter(_kind)


# A span of days, as each language writes it: (same month, same year, different years); {a}/{b}
# are the first and last day's numbers, and Django date formats fill the month and year.
SPANS: dict[str, tuple[str, str, str]] = {
    # 7–16 December 2026 · 30 November – 2 December 2026 · 30 December 2026 – 2 January 2027
    "en": ("{a}–{b} {m2} {y2}", "{a} {m1} – {b} {m2} {y2}", "{a} {m1} {y1} – {b} {m2} {y2}"),
    # 7–16 декабря 2026 · 30 ноября – 2 декабря 2026 · 30 декабря 2026 – 2 января 2027
    "ru": ("{a}–{b} {g2} {y2}", "{a} {g1} – {b} {g2} {y2}", "{a} {g1} {y1} – {b} {g2} {y2}"),
    # 2026 жылғы 7–16 желтоқсан · 2026 жылғы 30 қараша – 2 желтоқсан · 2026 жылғы 30 желтоқсан – 2027 жылғы 2 қаңтар
    "kk": ("{y2} жылғы {a}–{b} {m2}", "{y2} жылғы {a} {m1} – {b} {m2}", "{y1} жылғы {a} {m1} – {y2} жылғы {b} {m2}"),
}


def format_span(start: date, end: date) -> str:
    """The days from `start` to `end` as the active language writes a span: the month and year
    once when they are shared ("7–16 декабря 2026", "2026 жылғы 7–16 желтоқсан")."""
    if end == start:
        return format_day(start, "date_long")
    language = (translation.get_language() or "en").split("-")[0]
    shape = 0 if (start.year, start.month) == (end.year, end.month) else 1 if start.year == end.year else 2
    template = SPANS.get(language, SPANS["en"])[shape]
    values = {"a": start.day, "b": end.day, "y1": start.year, "y2": end.year}
    for key, day in (("1", start), ("2", end)):
        values["m" + key] = format_date(day, "F")
        values["g" + key] = format_date(day, "E")
    text = template.format(**values)
    return text.lower() if language in LOWER_CASE_NAMES else text


@register.filter(is_safe=False)
def date_span(start, end) -> str:
    """`{{ program.start_date|date_span:program.end_date }}`: the days of a program as a span."""
    if not isinstance(start, date) or not isinstance(end, date):
        return ""
    return format_span(start, end)


def _utc(name: str) -> str | None:
    """`Asia/Almaty` → `UTC+5` (today's offset); None for a name that is no zone."""
    try:
        offset = datetime.now(zoneinfo.ZoneInfo(str(name))).utcoffset()
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{'+' if minutes >= 0 else '−'}{hours}" + (f":{rest:02d}" if rest else "")


@register.filter(is_safe=False)
def zone(name: str) -> str:
    """`Asia/Almaty` → `Алматы (UTC+5)`: a time zone as its readers know it, the city in their
    language where the catalogue names it (internship_portal.date_names.ZONE_CITIES) and today's
    offset; a name that is no zone is shown as it is. For organisers, who pick the zone."""
    utc = _utc(name)
    if utc is None:
        return str(name)
    city = translation.gettext(str(name).rsplit("/", 1)[-1].replace("_", " "))
    return f"{city} ({utc})"


@register.filter(is_safe=False)
def utc_offset(name: str) -> str:
    """`Asia/Almaty` → `UTC+5`: for participants, who are told the program's city and its offset
    (an Astana program's zone is named for Almaty, which would read as the wrong city)."""
    return _utc(name) or str(name)
