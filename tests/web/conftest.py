"""Fixtures for the organiser pages: an organiser of `program`, logged in."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

from programs.selectors import ORGANISERS_GROUP

PASSWORD = "correct-horse-battery-staple"


def make_organiser(username: str, *programs):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD)
    group, _ = Group.objects.get_or_create(name=ORGANISERS_GROUP)
    user.groups.add(group)
    for program in programs:
        program.organisers.add(user)
    return user


@pytest.fixture
def organiser(program):
    return make_organiser("aigerim", program)


@pytest.fixture
def client(organiser):
    """The test client, logged in as the program's organiser (no password round trip,
    so the login throttle never counts these)."""
    client = Client(HTTP_HOST="localhost")
    client.force_login(organiser)
    return client


@pytest.fixture
def anonymous():
    return Client(HTTP_HOST="localhost")


def url(program, tail: str = "") -> str:
    return f"/organiser/programs/{program.slug}/{tail}"
