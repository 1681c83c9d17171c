"""Writes to programs and topics: every rule about a program lives here."""

from collections.abc import Iterable
from typing import Any

from django.db import transaction

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
    """Create a program. Fails with ValidationError (per field) on bad dates, slug or time zone."""
    unknown = set(fields) - set(PROGRAM_FIELDS)
    if unknown:
        raise TypeError(f"unknown program fields: {sorted(unknown)}")
    program = Program(**fields)
    program.full_clean()
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
    program.full_clean()
    program.save()
    if topics is not None:
        program.topics.set(topics_get_or_create(names=topics))
    return program
