"""A participant's page in the organiser area: their personal link with Copy and a rotation
that kills the old link (page and calendar feed) at once."""

import pytest
from django.test import Client

from internship_portal.links import personal_link
from participants.privacy import participant_anonymise
from participants.services import participant_rotate_token
from tests.factories import ParticipantFactory, ProgramFactory

from .conftest import url

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(program, group):
    return ParticipantFactory(program=program, group=group, first_name="Dana", last_name="Abenova")


def test_participants_page_shows_their_personal_link_with_copy_and_rotate(client, program, person):
    body = client.get(url(program, f"participants/{person.pk}/")).content.decode()

    assert f'value="{personal_link(person.access_token)}"' in body
    assert 'data-copy="personal-url"' in body
    assert f'action="{url(program, f"participants/{person.pk}/rotate-link/")}"' in body
    assert f"send/schedules/?who=selected&amp;participants={person.pk}" in body


def test_rotate_gives_a_new_link_and_the_old_one_dies_at_once(client, program, person):
    old = person.access_token
    public = Client(HTTP_HOST="localhost")
    assert public.get(f"/i/{old}/").status_code == 200

    response = client.post(url(program, f"participants/{person.pk}/rotate-link/"), follow=True)

    person.refresh_from_db()
    assert person.access_token != old
    assert public.get(f"/i/{old}/").status_code == 404
    assert public.get(f"/i/{old}.ics").status_code == 404
    assert public.get(f"/i/{person.access_token}/").status_code == 200
    body = response.content.decode()
    assert "has a new personal link; the old link and calendar feed no longer work" in body
    assert f'value="{personal_link(person.access_token)}"' in body


def test_rotate_service_changes_only_the_token(person):
    before = (person.first_name, person.email, person.group_id)
    old = person.access_token

    participant_rotate_token(participant=person)

    person.refresh_from_db()
    assert person.access_token != old
    assert len(person.access_token) >= 43
    assert (person.first_name, person.email, person.group_id) == before


def test_rotate_needs_post(client, program, person):
    old = person.access_token

    assert client.get(url(program, f"participants/{person.pk}/rotate-link/")).status_code == 405
    person.refresh_from_db()
    assert person.access_token == old


def test_rotate_of_another_programs_participant_is_404(client, program, person):
    stranger = ParticipantFactory(program=ProgramFactory())
    old = stranger.access_token

    assert client.post(url(program, f"participants/{stranger.pk}/rotate-link/")).status_code == 404
    stranger.refresh_from_db()
    assert stranger.access_token == old


def test_anonymised_participant_has_no_link_to_show_or_rotate(client, program, person):
    participant_anonymise(participant=person)

    body = client.get(url(program, f"participants/{person.pk}/")).content.decode()

    assert 'id="personal-url"' not in body
    assert client.post(url(program, f"participants/{person.pk}/rotate-link/")).status_code == 404


def test_rotate_needs_an_organiser(anonymous, program, person):
    old = person.access_token

    response = anonymous.post(url(program, f"participants/{person.pk}/rotate-link/"))

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.access_token == old
