"""Writes to programs and topics: every rule about a program lives here."""

import secrets
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from internship_portal.translated import with_translations

from .models import Program, Topic
from .rules import PROGRAM_DATES, rules_check
from .selectors import ORGANISERS_GROUP

# The translated ones also in each language (`title_ru`, ...: internship_portal.translated).
PROGRAM_FIELDS = with_translations(
    (
        "slug",
        "title",
        "description",
        "host_institution",
        "city",
        "timezone",
        "start_date",
        "end_date",
        "status",
        "certificate_min_attendance",
    ),
    ("title", "description", "host_institution", "city"),
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
def topic_save(*, topic: Topic | None, name: str, slug: str) -> Topic:
    """Add a topic (topic=None) or rename it; every program with it counts as changed (programs.versions)."""
    topic = topic or Topic()
    topic.name, topic.slug = name, slug
    topic.full_clean()
    topic.save()
    return topic


@transaction.atomic
def topic_delete(*, topic: Topic) -> None:
    """Remove a topic from the list and from every program that had it."""
    topic.delete()


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
def program_update(
    *,
    program: Program,
    topics: Iterable[str] | None = None,
    organisers: Iterable[Any] | None = None,
    **fields: Any,
) -> Program:
    """Change a program's fields (and topics or organisers, when given).

    Fails like program_create, and with ValidationError on `start_date` or
    `end_date` (naming the visits) when a visit would fall outside the new dates."""
    unknown = set(fields) - set(PROGRAM_FIELDS)
    if unknown:
        raise TypeError(f"unknown program fields: {sorted(unknown)}")
    dates_before = (program.start_date, program.end_date)
    for name, value in fields.items():
        setattr(program, name, value)
    _program_validate(program)
    if program.pk and (program.start_date, program.end_date) != dates_before:
        rules_check(event=PROGRAM_DATES, program=program)
    program.save()
    if topics is not None:
        program.topics.set(topics_get_or_create(names=topics))
    if organisers is not None:
        program.organisers.set(organisers)
    return program


@transaction.atomic
def program_delete(*, program: Program) -> None:
    """Delete a program with everything in it (groups, participants, visits, surveys)."""
    program.delete()


@transaction.atomic
def organiser_add(
    *, program: Program, username: str, email: str | None = None, password: str | None = None
) -> tuple[AbstractBaseUser, str | None]:
    """Make `username` an organiser of `program`: a staff login (created if missing) in the
    `organisers` group and among the program's organisers. No model permission is given:
    the admin decides by organisership.

    Returns (user, password); the password is set and returned only for a new login
    (a random one unless given), never for an existing one."""
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    new_password = None
    if user is None:
        user = user_model(username=username, email=email or "")
        new_password = password or secrets.token_urlsafe(12)
        user.set_password(new_password)
        user.full_clean(exclude=["password"])
    elif email and not user.email:
        user.email = email
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get_or_create(name=ORGANISERS_GROUP)[0])
    program.organisers.add(user)
    return user, new_password
