"""Two-factor enrolment in a real Chromium: an organiser scans (here: reads) the key,
types the app's code, keeps the recovery codes, and the next login asks for a code."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from programs.selectors import ORGANISERS_GROUP
from tests.two_factor import app_code, next_code

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "correct-horse-battery"


def password_login(page, live_server):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill("aigerim")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_organiser_enrols_an_authenticator_then_logs_in_with_a_code(desktop, live_server, screenshot):
    user = get_user_model().objects.create_user("aigerim", "aigerim@academy.example", PASSWORD)
    user.groups.add(Group.objects.get_or_create(name=ORGANISERS_GROUP)[0])
    violations = []
    desktop.on("console", lambda message: violations.append(message.text) if "Content Security" in message.text else 0)
    password_login(desktop, live_server)

    desktop.get_by_role("link", name="Two-factor login").click()
    desktop.get_by_role("heading", name="Set up two-factor login").wait_for()
    assert desktop.locator(".qr svg").is_visible()
    secret = desktop.locator("code.secret").inner_text().replace(" ", "")
    screenshot(desktop, "two-factor-enrol")
    desktop.get_by_label("Code from the app").fill(app_code(secret))
    desktop.get_by_role("button", name="Turn on two-factor login").click()

    desktop.get_by_role("heading", name="Your recovery codes").wait_for()
    assert desktop.locator(".recovery-code").count() == 10
    screenshot(desktop, "two-factor-recovery-codes")
    desktop.get_by_role("button", name="Log out").click()

    password_login(desktop, live_server)
    desktop.get_by_role("heading", name="Two-factor login").wait_for()
    desktop.get_by_label("Code").fill(next_code(secret, "aigerim"))
    desktop.get_by_role("button", name="Log in").click()
    desktop.get_by_role("button", name="Log out").wait_for()
    assert desktop.url == f"{live_server.url}/organiser/"
    assert violations == []
