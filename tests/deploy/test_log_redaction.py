"""Secret links stay out of the logs: gunicorn's access log (as the Procfile and the
systemd unit start it) and Django's request warnings show `/i/[redacted]/`, never a token.

A personal link (`/i/<token>/`, `/i/<token>.ics`), a survey link (`/s/<token>/`) and a
host's link (`/h/<token>/`) each open someone's data without a password; a password
reset link (`/reset/<uid>/<token>/`) opens an account.
"""

import http.client
import logging
import os
import shlex
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.test import Client

from internship_portal.log_redaction import redact

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
TOKEN = "Zq3vXk9TtL0pR7sWmN2bY5cH8dF4gJ6aE1uI0oP9lKx"
SECRET_LINKS = [f"/i/{TOKEN}/", f"/i/{TOKEN}.ics", f"/i/{TOKEN}/qr.svg", f"/s/{TOKEN}/", f"/h/{TOKEN}/"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def procfile_web_command(port: int) -> list[str]:
    line = next(line for line in (ROOT / "Procfile").read_text().splitlines() if line.startswith("web:"))
    command = line.removeprefix("web:").replace("${PORT:-8000}", str(port)).replace("${WEB_CONCURRENCY:-2}", "1")
    return shlex.split(command.replace("0.0.0.0:", "127.0.0.1:"))


def systemd_web_command(port: int) -> list[str]:
    unit = (ROOT / "deploy" / "systemd" / "portal-web.service").read_text()
    line = next(line for line in unit.splitlines() if line.startswith("ExecStart="))
    command = shlex.split(line.removeprefix("ExecStart="))
    command[0] = "gunicorn"
    return [part.replace("127.0.0.1:8000", f"127.0.0.1:{port}") for part in command]


@pytest.fixture(scope="module")
def sqlite_database(tmp_path_factory):
    path = tmp_path_factory.mktemp("gunicorn") / "db.sqlite3"
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}} | {"SQLITE_PATH": str(path)}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True, timeout=120
    )
    return env


def get(port: int, path: str, headers: dict[str, str] | None = None) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


@pytest.mark.parametrize("command", [procfile_web_command, systemd_web_command], ids=["Procfile", "systemd"])
def test_gunicorn_access_log_shows_no_secret_link(command, sqlite_database, tmp_path):
    port = free_port()
    # The static files of a DEBUG=1 run need no collectstatic; the deployment's own command otherwise.
    env = sqlite_database | {"DEBUG": "1", "PATH": f"{GUNICORN.parent}:{os.environ['PATH']}"}
    args = [*command(port), "--no-control-socket"]
    access_log, error_log = tmp_path / "stdout.log", tmp_path / "stderr.log"
    with access_log.open("w") as stdout, error_log.open("w") as stderr:
        process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=stdout, stderr=stderr, start_new_session=True)  # noqa: S603 - the deployment's own gunicorn command
        try:
            for _ in range(100):
                try:
                    if get(port, "/healthz") == 200:
                        break
                except OSError:
                    time.sleep(0.1)
            else:
                pytest.fail(f"gunicorn did not start: {error_log.read_text()}")
            statuses = [get(port, link, {"Referer": f"http://127.0.0.1:{port}/i/{TOKEN}/"}) for link in SECRET_LINKS]
        finally:
            process.terminate()
            process.wait(timeout=30)

    assert statuses[:4] == [404, 404, 404, 404]
    logged = access_log.read_text()
    assert logged.count('"GET /i/[redacted]/ HTTP/1.1" 404') == 1
    assert '"GET /i/[redacted].ics HTTP/1.1" 404' in logged
    assert '"GET /s/[redacted]/ HTTP/1.1" 404' in logged
    assert '"GET /h/[redacted]/ HTTP/1.1" 404' in logged
    assert f'"http://127.0.0.1:{port}/i/[redacted]/"' in logged  # the Referer
    assert TOKEN not in logged
    assert TOKEN not in error_log.read_text()


def test_django_not_found_warning_shows_no_token(db, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        for link in SECRET_LINKS[:4]:
            assert Client().get(link).status_code == 404

    messages = [record.getMessage() for record in caplog.records if record.name == "django.request"]
    assert messages == [
        "Not Found: /i/[redacted]/",
        "Not Found: /i/[redacted].ics",
        "Not Found: /i/[redacted]/qr.svg",
        "Not Found: /s/[redacted]/",
    ]
    assert TOKEN not in caplog.text


def test_django_server_request_line_shows_no_token(caplog):
    with caplog.at_level(logging.INFO, logger="django.server"):
        logging.getLogger("django.server").info('"%s" %s %s', f"GET /i/{TOKEN}.ics HTTP/1.1", "200", "512")

    assert caplog.records[-1].getMessage() == '"GET /i/[redacted].ics HTTP/1.1" 200 512'


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"/i/{TOKEN}/language/", "/i/[redacted]/language/"),
        (f"/s/{TOKEN}/?lang=ru", "/s/[redacted]/?lang=ru"),
        (f"https://portal.example/h/{TOKEN}/", "https://portal.example/h/[redacted]/"),
        ("/reset/Mg/cz8k1f-5d0c2e7b9a1f3c4d5e6f7a8b9c0d1e2f/", "/reset/Mg/[redacted]/"),
        ("/reset/Mg/set-password/", "/reset/Mg/set-password/"),
        ("/organiser/programs/astana/participants/", "/organiser/programs/astana/participants/"),
        ("/static/itinerary/icon.svg", "/static/itinerary/icon.svg"),
    ],
)
def test_redact_hides_only_the_token(text, expected):
    assert redact(text) == expected


def test_django_csrf_refusal_shows_no_token(db, caplog):
    with caplog.at_level(logging.WARNING, logger="django.security.csrf"):
        response = Client(enforce_csrf_checks=True).post(f"/i/{TOKEN}/language/", {"language": "ru"})

    assert response.status_code == 403
    messages = [record.getMessage() for record in caplog.records if record.name == "django.security.csrf"]
    assert messages == ["Forbidden (CSRF cookie not set.): /i/[redacted]/language/"]
    assert TOKEN not in caplog.text
