"""Writes to programs and topics: every rule about a program lives here."""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Program, Topic

PROGRAM_FIELDS = (
    "slug",
    "title",
    "description",
    "host_institution",
    "city",
    "timezone",
    "start_date",
    "end_date",
    "status",
)

# A program's dates lie in these years and it lasts at most a (leap) year: every page, feed
# and reminder that walks a program's days relies on it (a year-1 or year-9999 date overflows
# the time zone arithmetic, and a century-long board has 36,500 columns).
EARLIEST_DATE = date(2000, 1, 1)
LATEST_DATE = date(2100, 12, 31)
MAX_PROGRAM_DAYS = 366


def program_dates_errors(*, start_date: Any, end_date: Any) -> dict[str, list[str]]:
    """The date rules of a program, as messages per field (empty when the dates are fine).

    Values that are not dates are left to the field's own validation."""
    errors: dict[str, list[str]] = {}
    bounds = _("Choose a date from %(earliest)s to %(latest)s.") % {
        "earliest": EARLIEST_DATE.isoformat(),
        "latest": LATEST_DATE.isoformat(),
    }
    for name, value in (("start_date", start_date), ("end_date", end_date)):
        if isinstance(value, date) and not EARLIEST_DATE <= value <= LATEST_DATE:
            errors[name] = [bounds]
    if errors or not (isinstance(start_date, date) and isinstance(end_date, date)):
        return errors
    if end_date < start_date:
        errors["end_date"] = [_("The program must end on or after its start date.")]
    elif (end_date - start_date).days + 1 > MAX_PROGRAM_DAYS:
        errors["end_date"] = [
            _("A program lasts at most %(max)d days; these dates make %(days)d.")
            % {"max": MAX_PROGRAM_DAYS, "days": (end_date - start_date).days + 1}
        ]
    return errors


def program_dates_check(*, start_date: Any, end_date: Any) -> None:
    """Raise ValidationError naming the field if the dates break a rule of program_dates_errors."""
    errors = program_dates_errors(start_date=start_date, end_date=end_date)
    if errors:
        raise ValidationError(errors)


def _program_validate(program: Program) -> None:
    """The date rules and the model's own (slug, time zone, constraints), all errors at once."""
    errors = program_dates_errors(start_date=program.start_date, end_date=program.end_date)
    try:
        # A field already refused is not checked again (its constraint would only repeat it).
        program.full_clean(exclude=list(errors))
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def topics_get_or_create(*, names: Iterable[str]) -> list[Topic]:
    """Return the topics with these names, creating any that are missing."""
    from django.utils.text import slugify

    topics = []
    for name in names:
        topic, _created = Topic.objects.get_or_create(name=name, defaults={"slug": slugify(name)[:80]})
        topics.append(topic)
    return topics


@transaction.atomic
def program_create(*, topics: Iterable[str] = (), organisers: Iterable[Any] = (), **fields: Any) -> Program:
    """Create a program. Fails with ValidationError (per field) on a bad slug or time zone, or on
    dates outside 2000–2100, in the wrong order or more than 366 days apart."""
    unknown = set(fields) - set(PROGRAM_FIELDS)
    if unknown:
        raise TypeError(f"unknown program fields: {sorted(unknown)}")
    program = Program(**fields)
    _program_validate(program)
    program.save()
    program.topics.set(topics_get_or_create(names=topics))
    if organisers:
        program.organisers.add(*organisers)
    return program


@transaction.atomic
def program_update(*, program: Program, topics: Iterable[str] | None = None, **fields: Any) -> Program:
    """Change a program's fields (and topics, when given). Same failures as program_create."""
    unknown = set(fields) - set(PROGRAM_FIELDS)
    if unknown:
        raise TypeError(f"unknown program fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(program, name, value)
    _program_validate(program)
    program.save()
    if topics is not None:
        program.topics.set(topics_get_or_create(names=topics))
    return program
