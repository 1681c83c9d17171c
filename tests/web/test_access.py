"""Who may open the organiser pages: login, organisers of the program, superusers."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tests.factories import ProgramFactory

from .conftest import make_organiser, url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("tail", ["", "board/", "participants/", "hosts/", "visits/new/"])
def test_organiser_pages_anonymous_redirects_to_login(anonymous, program, tail):
    response = anonymous.get(url(program, tail))

    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


def test_organiser_pages_participant_login_gets_403(program):
    user = get_user_model().objects.create_user(username="participant", password="x")
    client = Client()
    client.force_login(user)

    assert client.get(url(program)).status_code == 403
    assert client.get("/organiser/").status_code == 403


def test_organiser_pages_other_programs_are_404(client, program):
    foreign = ProgramFactory(title="Foreign academy program")

    assert client.get(url(foreign)).status_code == 404
    assert client.get(url(foreign, "board/")).status_code == 404
    listing = client.get("/organiser/").content.decode()
    assert program.title in listing
    assert foreign.title not in listing


def test_organiser_pages_superuser_sees_every_program(program):
    other = ProgramFactory(title="Another academy program")
    admin = get_user_model().objects.create_superuser(username="root", password="x")
    client = Client()
    client.force_login(admin)

    listing = client.get("/organiser/").content.decode()
    assert program.title in listing
    assert other.title in listing
    assert client.get(url(other)).status_code == 200


def test_home_redirects_organisers_to_programs_and_others_to_login(client, anonymous):
    assert client.get("/")["Location"] == "/organiser/"
    assert anonymous.get("/")["Location"] == "/login/"


def test_login_with_password_then_logout(anonymous, program):
    make_organiser("dana", program)

    page = anonymous.get("/login/")
    assert 'name="username"' in page.content.decode()
    response = anonymous.post("/login/", {"username": "dana", "password": "correct-horse-battery-staple"})
    assert response.status_code == 302
    assert anonymous.get("/organiser/").status_code == 200

    anonymous.post("/logout/")
    assert anonymous.get("/organiser/").status_code == 302


def test_login_is_throttled_after_repeated_failures(anonymous, program, settings):
    make_organiser("dana", program)

    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        response = anonymous.post("/login/", {"username": "dana", "password": "wrong"})
        assert response.status_code == 200
        assert "correct username and password" in response.content.decode()
    assert anonymous.post("/login/", {"username": "dana", "password": "wrong"}).status_code == 429
    locked = anonymous.post("/login/", {"username": "dana", "password": "correct-horse-battery-staple"})

    assert locked.status_code == 429
    assert "Too many failed logins" in locked.content.decode()
    assert anonymous.get("/organiser/").status_code == 302  # still not logged in


def test_admin_login_is_throttled_too(anonymous, settings):
    get_user_model().objects.create_superuser(username="root", password="right-password-1")

    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        anonymous.post("/admin/login/", {"username": "root", "password": "wrong"})
    locked = anonymous.post("/admin/login/", {"username": "root", "password": "right-password-1"})

    assert locked.status_code == 429


def test_pages_send_a_content_security_policy_without_inline_scripts(client, program):
    response = client.get(url(program, "board/"))

    policy = response["Content-Security-Policy"]
    script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert "'self'" in script_src
    assert "unsafe-inline" not in script_src
    assert "unsafe-eval" not in script_src
    body = response.content.decode()
    assert "<script>" not in body
    assert "onclick=" not in body


def test_forms_refuse_a_post_without_csrf_token(organiser, program):
    client = Client(enforce_csrf_checks=True)
    client.force_login(organiser)

    response = client.post(url(program, "visits/new/"), {"title": "X"})

    assert response.status_code == 403
    assert program.visits.count() == 0
