"""Login lockout behind the TLS proxy: the client's address comes from X-Forwarded-For
only when TRUSTED_PROXY_COUNT says how many proxies stand in front of the portal."""

import pytest
from django.test import Client

from internship_portal.throttling import client_ip

from .conftest import PASSWORD, make_organiser

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"


def behind_proxy(forwarded_for: str) -> Client:
    return Client(HTTP_HOST="localhost", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)


def fail_until_locked(settings, make_client) -> None:
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        make_client(attempt).post("/login/", {"username": "dana", "password": "wrong"})


def log_in(client: Client) -> int:
    return client.post("/login/", {"username": "dana", "password": PASSWORD}).status_code


def test_lockout_behind_one_proxy_locks_the_attacker_not_everyone(settings, program):
    settings.TRUSTED_PROXY_COUNT = 1
    make_organiser("dana", program)
    attacker = behind_proxy("203.0.113.5")

    fail_until_locked(settings, lambda _attempt: attacker)

    assert log_in(attacker) == 429
    colleague = behind_proxy("198.51.100.7")
    assert log_in(colleague) == 302
    assert colleague.get("/organiser/").status_code == 200


def test_lockout_behind_one_proxy_ignores_what_the_client_put_before_it(settings, program):
    """The proxy appends the address it saw; anything to its left was written by the client."""
    settings.TRUSTED_PROXY_COUNT = 1
    make_organiser("dana", program)

    fail_until_locked(settings, lambda attempt: behind_proxy(f"192.0.2.{attempt}, 203.0.113.5"))

    assert log_in(behind_proxy("192.0.2.99, 203.0.113.5")) == 429
    assert log_in(behind_proxy("198.51.100.7")) == 302


def test_lockout_without_trusted_proxy_ignores_the_header(settings, program):
    settings.TRUSTED_PROXY_COUNT = 0
    make_organiser("dana", program)

    # A client that makes up a new X-Forwarded-For for every attempt is still one address.
    fail_until_locked(settings, lambda attempt: behind_proxy(f"203.0.113.{attempt}"))

    assert log_in(behind_proxy("198.51.100.7")) == 429


@pytest.mark.parametrize(
    ("count", "forwarded_for", "expected"),
    [
        (0, "203.0.113.5", PROXY),
        (1, "", PROXY),
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "192.0.2.1, 203.0.113.5", "203.0.113.5"),
        (2, "192.0.2.1, 203.0.113.5, 10.0.0.9", "203.0.113.5"),
        (2, "203.0.113.5", "203.0.113.5"),
        (1, "2001:db8::1", "2001:db8::1"),
        (1, "not-an-address", PROXY),
    ],
)
def test_client_ip_reads_only_the_trusted_hops(settings, rf, count, forwarded_for, expected):
    settings.TRUSTED_PROXY_COUNT = count
    request = rf.get("/login/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)

    assert client_ip(request) == expected
