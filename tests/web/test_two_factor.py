"""Two-factor login for organisers: enrol an authenticator app (TOTP) with recovery codes,
then the login asks for a code after the password; ORGANISER_2FA_REQUIRED makes it mandatory.

The tests read the secret from the enrolment page and compute the codes from it, as the
authenticator app on the organiser's phone does.
"""

import re
import time
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_otp.plugins.otp_totp.models import TOTPDevice

from participants.services import participant_update
from tests.factories import ParticipantFactory
from tests.two_factor import app_code, next_code

from .conftest import PASSWORD, make_organiser

pytestmark = pytest.mark.django_db

ENROL = "/account/two-factor/"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def password_login(client: Client, username: str, next_url: str = ""):
    return client.post(f"/login/{next_url}", {"username": username, "password": PASSWORD})


def enrol(client: Client) -> tuple[str, list[str]]:
    """Enrol through the pages; the secret and the recovery codes, as the organiser sees them."""
    page = client.get(ENROL).content.decode()
    secret = re.search(r'<code class="secret"[^>]*>([A-Z2-7 ]+)</code>', page).group(1).replace(" ", "")
    assert "<svg" in page  # the QR code to scan
    done = client.post(ENROL, {"code": app_code(secret)})
    assert done.status_code == 200
    assert "no-store" in done["Cache-Control"]
    codes = re.findall(r'<li class="recovery-code"><code>([a-z2-7]+)</code></li>', done.content.decode())
    return secret, codes


def logged_in(client: Client) -> bool:
    return client.get("/organiser/").status_code == 200


def test_enrol_then_login_needs_the_code(program):
    make_organiser("dana", program)
    client = Client(HTTP_HOST="localhost")
    assert password_login(client, "dana")["Location"] == "/"

    secret, codes = enrol(client)

    assert len(codes) == 10
    assert TOTPDevice.objects.get(user__username="dana").confirmed
    assert logged_in(client)  # the session that enrolled stays in
    client.post("/logout/")

    response = password_login(client, "dana", "?next=/organiser/programs/")
    assert response.status_code == 302
    assert response["Location"] == "/login/code/"
    assert not logged_in(client)  # the password alone is not enough
    page = client.get("/login/code/").content.decode()
    assert 'name="code"' in page
    assert 'autocomplete="one-time-code"' in page
    finished = client.post("/login/code/", {"code": next_code(secret, "dana")})
    assert finished.status_code == 302
    assert finished["Location"] == "/organiser/programs/"
    assert logged_in(client)


def test_wrong_code_is_refused(program):
    make_organiser("dana", program)
    client = Client(HTTP_HOST="localhost")
    password_login(client, "dana")
    secret, _codes = enrol(client)
    client.post("/logout/")
    password_login(client, "dana")

    refused = client.post("/login/code/", {"code": "000000" if app_code(secret) != "000000" else "111111"})

    assert refused.status_code == 200
    assert "This code is not right" in refused.content.decode()
    assert not logged_in(client)
    time.sleep(1.1)  # django-otp waits a second after a wrong code, doubling with each one
    assert client.post("/login/code/", {"code": next_code(secret, "dana")}).status_code == 302
    assert logged_in(client)


def test_code_step_without_a_password_first_goes_back_to_login(program):
    make_organiser("dana", program)
    client = Client(HTTP_HOST="localhost")

    response = client.post("/login/code/", {"code": "123456"})

    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert not logged_in(client)


def test_recovery_code_works_once(program):
    make_organiser("dana", program)
    client = Client(HTTP_HOST="localhost")
    password_login(client, "dana")
    _secret, codes = enrol(client)
    client.post("/logout/")

    password_login(client, "dana")
    assert client.post("/login/code/", {"code": codes[0]}).status_code == 302
    assert logged_in(client)
    assert "9 recovery codes left" in client.get(ENROL).content.decode()
    client.post("/logout/")

    password_login(client, "dana")
    again = client.post("/login/code/", {"code": codes[0]})
    assert again.status_code == 200
    assert "This code is not right" in again.content.decode()
    assert not logged_in(client)


def test_session_from_before_enrolment_must_log_in_again(program):
    make_organiser("dana", program)
    laptop, phone = Client(HTTP_HOST="localhost"), Client(HTTP_HOST="localhost")
    password_login(laptop, "dana")
    password_login(phone, "dana")

    enrol(laptop)

    assert logged_in(laptop)
    response = phone.get("/organiser/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=/organiser/")


def test_mandatory_setting_sends_organisers_to_enrol_first(program, settings):
    settings.ORGANISER_2FA_REQUIRED = True
    make_organiser("dana", program)
    client = Client(HTTP_HOST="localhost")
    password_login(client, "dana")

    for page in ("/organiser/", f"/organiser/programs/{program.slug}/board/", "/admin/"):
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"] == f"{ENROL}?next={page}"
    assert "Set up two-factor login" in client.get(ENROL).content.decode()

    enrol(client)

    assert logged_in(client)


def test_optional_by_default_organisers_without_an_app_get_in(program, settings):
    settings.ORGANISER_2FA_REQUIRED = False
    make_organiser("dana", program)
    client = Client(HTTP_HOST="localhost")
    password_login(client, "dana")

    assert logged_in(client)


def test_mandatory_setting_leaves_participants_with_a_login_alone(program, group, settings):
    settings.ORGANISER_2FA_REQUIRED = True
    user = get_user_model().objects.create_user(username="member", password=PASSWORD)
    participant_update(participant=ParticipantFactory(program=program, group=group), user=user)
    client = Client(HTTP_HOST="localhost")
    password_login(client, "member")

    page = client.get("/me/")
    assert page.status_code == 200
    assert "Set up two-factor login" not in page.content.decode()


def test_admin_is_behind_the_same_login_and_code(settings):
    get_user_model().objects.create_superuser(username="root", email="root@academy.example", password=PASSWORD)
    client = Client(HTTP_HOST="localhost")
    password_login(client, "root")
    secret, _codes = enrol(client)
    client.post("/logout/")

    login_page = client.get("/admin/", follow=True)
    assert "Forgot your password?" in login_page.content.decode()  # the portal's login, not the admin's
    response = client.post("/admin/login/?next=/admin/", {"username": "root", "password": PASSWORD})
    assert response["Location"] == "/login/code/"
    assert client.get("/admin/").status_code == 302
    assert client.post("/login/code/", {"code": next_code(secret, "root")})["Location"] == "/admin/"
    assert "Programs, visits and participants" in unescape(client.get("/admin/").content.decode())  # the admin index


def test_wrong_codes_lock_out_like_wrong_passwords(program, settings):
    make_organiser("dana", program)
    client = Client(HTTP_HOST="localhost")
    password_login(client, "dana")
    secret, _codes = enrol(client)
    client.post("/logout/")
    password_login(client, "dana")

    limit = settings.AXES_FAILURE_LIMIT
    statuses = [client.post("/login/code/", {"code": "abcdefgh"}).status_code for _ in range(limit)]

    assert statuses == [200] * (limit - 1) + [429]
    assert client.post("/login/code/", {"code": next_code(secret, "dana")}).status_code == 429
    assert not logged_in(client)
    assert password_login(client, "dana").status_code == 429


def test_verified_session_costs_the_board_no_query(program):
    """Once the code is given, the session says so: the board runs one query fewer than for
    an organiser without an app, whose session the guard must check against the database."""
    make_organiser("dana", program)
    verified = Client(HTTP_HOST="localhost")
    password_login(verified, "dana")
    secret, _codes = enrol(verified)
    verified.post("/logout/")
    password_login(verified, "dana")
    verified.post("/login/code/", {"code": next_code(secret, "dana")})
    without_app = Client(HTTP_HOST="localhost")
    password_login(without_app, make_organiser("aigerim", program).username)
    board = f"/organiser/programs/{program.slug}/board/"

    counts = {}
    for name, client in (("verified", verified), ("without app", without_app)):
        client.get(board)  # warm: the board's own caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get(board).status_code == 200
        counts[name] = len(queries)

    assert counts["verified"] == counts["without app"] - 1
