"""A participant who logs in at /login/ has no organiser rights: they land on their
itinerary, or on a page that says so and points to it, never on a bare 403."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tests.factories import ParticipantFactory

from .conftest import PASSWORD, url

pytestmark = pytest.mark.django_db


def log_in(client, username):
    return client.post("/login/", {"username": username, "password": PASSWORD}, follow=True)


def test_login_participant_with_a_participation_lands_on_their_itinerary():
    user = get_user_model().objects.create_user(username="andrey", password=PASSWORD)
    participant = ParticipantFactory(user=user, language="en")

    response = log_in(Client(HTTP_HOST="localhost"), "andrey")

    assert response.redirect_chain[-1][0] == "/me/"
    assert response.status_code == 200
    assert participant.program.title in response.content.decode()


def test_login_without_a_participation_shows_a_page_pointing_to_the_itinerary():
    get_user_model().objects.create_user(username="guest", password=PASSWORD)

    response = log_in(Client(HTTP_HOST="localhost"), "guest")

    assert response.status_code == 403
    page = response.content.decode()
    assert "site-header" in page  # the portal's layout
    assert "No access to this page" in page
    assert 'href="/me/"' in page


def test_organiser_page_for_a_participant_is_friendly_in_russian(program):
    user = get_user_model().objects.create_user(username="andrey", password=PASSWORD)
    ParticipantFactory(user=user)
    client = Client(HTTP_HOST="localhost", HTTP_ACCEPT_LANGUAGE="ru")
    client.force_login(user)

    response = client.get(url(program))

    assert response.status_code == 403
    page = response.content.decode()
    assert "Нет доступа к этой странице" in page
    assert 'href="/me/"' in page
