"""Password reset by e-mail: linked from the login page, a working link in the e-mail,
and a throttle per client address and per e-mail address."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client

from .conftest import make_organiser

pytestmark = pytest.mark.django_db

EMAIL = "dana@academy.example"


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def dana(program):
    user = make_organiser("dana", program)
    user.email = EMAIL
    user.save()
    return user


def from_address(address: str) -> Client:
    return Client(HTTP_HOST="localhost", REMOTE_ADDR=address)


def reset_link(message) -> str:
    match = re.search(r"https?://[^/\s]+(/reset/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_login_page_links_to_password_reset(anonymous):
    page = anonymous.get("/login/").content.decode()

    assert 'href="/password-reset/"' in page
    assert "Forgot your password?" in page


def test_password_reset_email_link_sets_a_new_password(anonymous, dana, settings):
    settings.SITE_URL = "https://portal.example"
    form = anonymous.get("/password-reset/")
    assert 'name="email"' in form.content.decode()

    response = anonymous.post("/password-reset/", {"email": EMAIL})

    assert response.status_code == 302
    sent = anonymous.get(response["Location"]).content.decode()
    assert "Check your e-mail" in sent
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [EMAIL]
    assert "Internship Portal" in message.subject
    assert "dana" in message.body  # the username, which they may have forgotten too
    assert "https://portal.example/reset/" in message.body

    link = anonymous.get(reset_link(message))
    assert link.status_code == 302  # Django moves the token out of the address bar
    set_password = anonymous.get(link["Location"])
    assert 'name="new_password1"' in set_password.content.decode()
    done = anonymous.post(
        link["Location"], {"new_password1": "a-fresh-long-passphrase", "new_password2": "a-fresh-long-passphrase"}
    )
    assert done.status_code == 302
    assert "You can log in with your new password" in anonymous.get(done["Location"]).content.decode()

    fresh = Client(HTTP_HOST="localhost")
    response = fresh.post("/login/", {"username": "dana", "password": "a-fresh-long-passphrase"})
    assert response.status_code == 302
    assert fresh.get("/organiser/").status_code == 200
    # The link works once.
    assert "no longer valid" in anonymous.get(reset_link(message), follow=True).content.decode()


def test_password_reset_unknown_address_sends_nothing_and_says_the_same(anonymous, dana):
    response = anonymous.post("/password-reset/", {"email": "nobody@academy.example"})

    assert response.status_code == 302
    assert mail.outbox == []


def test_password_reset_sixth_request_for_an_address_is_refused(dana):
    for attempt in range(5):
        response = from_address(f"203.0.113.{attempt}").post("/password-reset/", {"email": EMAIL})
        assert response.status_code == 302

    refused = from_address("198.51.100.7").post("/password-reset/", {"email": EMAIL.upper()})

    assert refused.status_code == 429
    assert "Too many password reset requests" in refused.content.decode()
    assert len(mail.outbox) == 5


def test_password_reset_sixth_request_from_one_client_is_refused(dana):
    client = from_address("203.0.113.5")
    for attempt in range(5):
        assert client.post("/password-reset/", {"email": f"someone{attempt}@academy.example"}).status_code == 302

    refused = client.post("/password-reset/", {"email": EMAIL})

    assert refused.status_code == 429
    assert "Too many password reset requests" in refused.content.decode()
    assert mail.outbox == []
    # Another client may still ask for its own address.
    assert from_address("198.51.100.7").post("/password-reset/", {"email": EMAIL}).status_code == 302
    assert len(mail.outbox) == 1


def test_password_reset_pages_speak_russian():
    client = Client(HTTP_HOST="localhost", HTTP_ACCEPT_LANGUAGE="ru")

    assert "Забыли пароль?" in client.get("/login/").content.decode()
    assert "Сброс пароля" in client.get("/password-reset/").content.decode()
