"""Writes to programs and topics: every rule about a program lives here."""

import secrets
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.db import transaction

from .models import Program, Topic
from .rules import PROGRAM_DATES, rules_check
from .selectors import ORGANISERS_GROUP

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
    program.full_clean()
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
