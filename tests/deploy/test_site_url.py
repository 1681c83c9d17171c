import pytest

from internship_portal.settings import site_url_from_env


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "http://127.0.0.1:8000"),
        ({"PORT": "8123"}, "http://127.0.0.1:8123"),
        ({"HOST": "localhost", "PORT": "8123"}, "http://localhost:8123"),
        ({"HOST": "0.0.0.0", "PORT": "8123"}, "http://127.0.0.1:8123"),  # noqa: S104 -- an environment value, not a bind
        ({"HOST": "::1", "PORT": "8123"}, "http://[::1]:8123"),
        ({"SITE_URL": "https://portal.example.org/", "PORT": "8123"}, "https://portal.example.org"),
        ({"SITE_URL": "", "PORT": "8123"}, "http://127.0.0.1:8123"),
    ],
)
def test_site_url_follows_host_and_port_unless_set(environ, expected):
    assert site_url_from_env(environ) == expected
