"""`/me/`: the same itinerary for a participant who has a login."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model

from tests.factories import ParticipantFactory, ProgramFactory, ProjectGroupFactory, local

from .conftest import schedule

pytestmark = pytest.mark.django_db


@pytest.fixture
def user():
    return get_user_model().objects.create_user("antonov", "antonov@delegation.example", "correct-horse-battery")


def participation(user, *, title, start, end, language="en"):
    program = ProgramFactory(title=title, start_date=start, end_date=end)
    group = ProjectGroupFactory(program=program)
    participant = ParticipantFactory(program=program, group=group, user=user, language=language)
    schedule(program, [group], 0, 10, 12, title=f"{title}: opening")
    return participant


def test_me_needs_a_login(client):
    response = client.get("/me/")

    assert response.status_code == 302
    assert "next=/me/" in response["Location"]


def test_me_shows_the_itinerary_of_the_logged_in_participant(client, user):
    participation(user, title="Astana internship", start=date(2026, 12, 7), end=date(2026, 12, 16))
    client.force_login(user)

    response = client.get("/me/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Astana internship: opening" in html
    assert "private" in response["Cache-Control"]


def test_me_picks_the_running_program_and_links_the_others(client, clock, user):
    past = participation(user, title="Spring school", start=date(2026, 4, 1), end=date(2026, 4, 5))
    running = participation(user, title="Astana internship", start=date(2026, 12, 7), end=date(2026, 12, 16))
    participation(user, title="Summer school", start=date(2027, 6, 1), end=date(2027, 6, 5))
    clock(local(running.program, date(2026, 12, 9), 12))
    client.force_login(user)

    html = client.get("/me/").content.decode()

    assert "Astana internship: opening" in html
    assert "Spring school: opening" not in html
    assert f'href="?program={past.program.slug}"' in html
    assert "Summer school" in html


def test_me_before_any_program_picks_the_next_one(client, clock, user):
    participation(user, title="Spring school", start=date(2026, 4, 1), end=date(2026, 4, 5))
    upcoming = participation(user, title="Astana internship", start=date(2026, 12, 7), end=date(2026, 12, 16))
    participation(user, title="Summer school", start=date(2027, 6, 1), end=date(2027, 6, 5))
    clock(local(upcoming.program, date(2026, 11, 29), 12))
    client.force_login(user)

    assert "Astana internship: opening" in client.get("/me/").content.decode()


def test_me_after_every_program_shows_the_last_one(client, clock, user):
    participation(user, title="Spring school", start=date(2026, 4, 1), end=date(2026, 4, 5))
    last = participation(user, title="Astana internship", start=date(2026, 12, 7), end=date(2026, 12, 16))
    clock(local(last.program, date(2027, 1, 20), 12))
    client.force_login(user)

    assert "Astana internship: opening" in client.get("/me/").content.decode()


def test_me_opens_another_program_by_slug(client, user):
    spring = participation(user, title="Spring school", start=date(2026, 4, 1), end=date(2026, 4, 5))
    participation(user, title="Astana internship", start=date(2026, 12, 7), end=date(2026, 12, 16))
    client.force_login(user)

    html = client.get("/me/", {"program": spring.program.slug}).content.decode()

    assert "Spring school: opening" in html


def test_me_refuses_someone_elses_program(client, user):
    participation(user, title="Astana internship", start=date(2026, 12, 7), end=date(2026, 12, 16))
    stranger = ParticipantFactory(program=ProgramFactory(slug="not-mine"))
    client.force_login(user)

    response = client.get("/me/", {"program": stranger.program.slug})

    assert response.status_code == 404


def test_me_without_a_participation_says_so(client, user):
    client.force_login(user)

    response = client.get("/me/")

    assert response.status_code == 404
    assert "No itinerary for this login" in response.content.decode()


def test_me_opens_in_the_participants_language(client, user):
    participation(user, title="Astana", start=date(2026, 12, 7), end=date(2026, 12, 16), language="ru")
    client.force_login(user)

    assert "Добавить в календарь" in client.get("/me/").content.decode()


def test_me_language_switch_returns_to_me(client, user):
    participant = participation(user, title="Astana", start=date(2026, 12, 7), end=date(2026, 12, 16))
    client.force_login(user)

    response = client.post(f"/i/{participant.access_token}/language/", {"language": "kk", "next": "/me/"})

    assert response["Location"] == "/me/"
    participant.refresh_from_db()
    assert participant.language == "kk"
