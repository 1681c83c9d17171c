"""Password reset by e-mail: linked from the login page, a working link in the e-mail,
and a throttle per client address and per e-mail address."""

import json
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client

from accounts.services import RESET_EMAIL_KIND, render_password_reset
from notifications.enums import NotificationStatus
from notifications.models import Notification
from notifications.registry import PermanentFailure

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


@pytest.fixture
def ask(django_capture_on_commit_callbacks, celery_eager):
    """Ask for a reset as the browser does, and let the outbox send what the request queued."""

    def run(client, email):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/password-reset/", {"email": email})

    return run


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


def test_password_reset_email_link_sets_a_new_password(anonymous, dana, settings, ask):
    settings.SITE_URL = "https://portal.example"
    form = anonymous.get("/password-reset/")
    assert 'name="email"' in form.content.decode()

    response = ask(anonymous, EMAIL)

    assert response.status_code == 302
    sent = anonymous.get(response["Location"]).content.decode()
    assert "Check your e-mail" in sent
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [f"dana <{EMAIL}>"]
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


def test_password_reset_unknown_address_sends_nothing_and_says_the_same(anonymous, dana, ask):
    response = ask(anonymous, "nobody@academy.example")

    assert response.status_code == 302
    assert mail.outbox == []


def test_password_reset_sixth_request_for_an_address_is_refused(dana, ask):
    for attempt in range(5):
        response = ask(from_address(f"203.0.113.{attempt}"), EMAIL)
        assert response.status_code == 302

    refused = ask(from_address("198.51.100.7"), EMAIL.upper())

    assert refused.status_code == 429
    assert "Too many password reset requests" in refused.content.decode()
    assert len(mail.outbox) == 5


def test_password_reset_sixth_request_from_one_client_is_refused(dana, ask):
    client = from_address("203.0.113.5")
    for attempt in range(5):
        assert ask(client, f"someone{attempt}@academy.example").status_code == 302

    refused = ask(client, EMAIL)

    assert refused.status_code == 429
    assert "Too many password reset requests" in refused.content.decode()
    assert mail.outbox == []
    # Another client may still ask for its own address.
    assert ask(from_address("198.51.100.7"), EMAIL).status_code == 302
    assert len(mail.outbox) == 1


def test_the_reset_email_goes_through_the_outbox_and_no_token_is_stored(anonymous, dana, ask):
    ask(anonymous, EMAIL)

    [row] = Notification.objects.filter(kind=RESET_EMAIL_KIND)
    token = reset_link(mail.outbox[0]).rstrip("/").rsplit("/", 1)[1]
    assert row.status == NotificationStatus.SENT
    assert row.recipient_email == EMAIL
    assert row.payload == {"user_id": dana.pk}
    assert token not in json.dumps(row.payload)
    assert "reset" not in json.dumps(row.payload)


def test_a_russian_reader_gets_the_reset_email_in_russian(dana, ask):
    ask(Client(HTTP_HOST="localhost", HTTP_ACCEPT_LANGUAGE="ru"), EMAIL)

    [message] = mail.outbox
    assert message.subject == "Сброс пароля на портале стажировки"
    assert "Здравствуйте, dana" in message.body
    assert "Reset" not in message.body


def test_an_account_gone_before_the_email_is_rendered_gets_none(dana):
    with pytest.raises(PermanentFailure):
        render_password_reset({"user_id": dana.pk + 1000}, "en")
    dana.set_unusable_password()
    dana.save()
    with pytest.raises(PermanentFailure):
        render_password_reset({"user_id": dana.pk}, "en")


def test_password_reset_pages_speak_russian():
    client = Client(HTTP_HOST="localhost", HTTP_ACCEPT_LANGUAGE="ru")

    assert "Забыли пароль?" in client.get("/login/").content.decode()
    assert "Сброс пароля" in client.get("/password-reset/").content.decode()
