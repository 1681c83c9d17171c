"""Shaped reads of programs."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, QuerySet

from .models import Program

ORGANISERS_GROUP = "organisers"


def user_is_organiser(*, user: AbstractBaseUser | AnonymousUser) -> bool:
    """Superusers and members of the `organisers` group organise programs.

    Read once per user object (a request's user: every organiser page asks twice)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    known = getattr(user, "_is_organiser", None)
    if known is None:
        known = user._is_organiser = user.groups.filter(name=ORGANISERS_GROUP).exists()
    return known


def programs_for_organiser(*, user: AbstractBaseUser | AnonymousUser) -> QuerySet[Program]:
    """The programs this user may manage: all for superusers, their own for organisers."""
    qs = Program.objects.prefetch_related("topics")
    if not user_is_organiser(user=user):
        return qs.none()
    if user.is_superuser:
        return qs
    return qs.filter(organisers=user)


def programs_overview(*, user: AbstractBaseUser | AnonymousUser) -> QuerySet[Program]:
    """The organiser's programs with their group and participant counts, in one query."""
    return (
        programs_for_organiser(user=user)
        .prefetch_related(None)
        .annotate(
            group_count=Count("groups", distinct=True),
            participant_count=Count("participants", distinct=True),
        )
        .order_by("-start_date", "title")
    )
