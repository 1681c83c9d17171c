"""Shaped reads of groups and participants."""

import hmac
from dataclasses import dataclass

from django.db.models import Count, QuerySet

from programs.models import Program

from .models import Participant, ProjectGroup


def groups_of_program(*, program: Program) -> QuerySet[ProjectGroup]:
    return (
        ProjectGroup.objects.filter(program=program)
        .select_related("coordinator")
        .annotate(participant_count=Count("participants"))
        .order_by("name", "id")
    )


def participants_of_program(*, program: Program) -> QuerySet[Participant]:
    """The people of a program who are written to and listed: not the anonymised, who
    remain only in the program's statistics (group sizes, regions, languages)."""
    return (
        Participant.objects.filter(program=program, anonymised_at__isnull=True)
        .select_related("group", "program")
        .order_by("last_name", "first_name", "id")
    )


def participant_of_visible_program(*, programs: QuerySet[Program], slug: str, pk: int) -> Participant | None:
    """The participant `pk` of the program `slug` if that program is among `programs` (the ones the
    caller may see), with its program loaded; None otherwise. One query for the access check,
    the program and the participant."""
    found = Participant.objects.filter(program__slug=slug, pk=pk).select_related("program").order_by()
    if programs.query.has_filters():  # else every program is visible: no condition to compile and run
        found = found.filter(program__in=programs.prefetch_related(None))
    return next(iter(found[:1]), None)


def participant_by_token(*, token: str) -> Participant | None:
    """The participant whose personal link this is, or None.

    The lookup is by an indexed unique column; the final comparison is made in
    constant time so that the answer's timing says nothing about the token."""
    if not token or len(token) > 64:
        return None
    found = Participant.objects.select_related("program", "group").filter(access_token=token).order_by()
    participant = next(iter(found[:1]), None)
    if participant is None or not hmac.compare_digest(participant.access_token, token):
        return None
    return participant


def participants_for_list(*, program: Program, query: str = "") -> QuerySet[Participant]:
    """The organiser's participant list: by group, then by name; `query` searches
    names, e-mail, organisation, position and region."""
    from django.db.models import Q

    qs = Participant.objects.filter(program=program).select_related("group")
    for word in query.split():
        qs = qs.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(patronymic__icontains=word)
            | Q(email__icontains=word)
            | Q(organisation__icontains=word)
            | Q(position__icontains=word)
            | Q(region__icontains=word)
            | Q(group__name__icontains=word)
        )
    return qs.order_by("group__name", "last_name", "first_name", "id")


@dataclass(frozen=True)
class GroupMember:
    """What a group's coordinator may see of a member: name, position and contacts. Not the
    accessibility and dietary notes (those are for the organisers) nor the personal link."""

    full_name: str
    position: str
    phone: str
    email: str


def group_members(*, group: ProjectGroup) -> list[GroupMember]:
    """The members of a group with their contacts, for the group's coordinator (one query);
    anonymised participants are not members anyone sees."""
    rows = (
        Participant.objects.filter(group=group, anonymised_at__isnull=True)
        .order_by("last_name", "first_name", "id")
        .values_list("first_name", "patronymic", "last_name", "position", "phone", "email")
    )
    return [
        GroupMember(
            full_name=" ".join(part for part in (first, patronymic, last) if part),
            position=position,
            phone=phone,
            email=email,
        )
        for first, patronymic, last, position, phone, email in rows
    ]
