"""Production smoke: the portal as it is deployed, checked end to end over HTTP.

Starts gunicorn (DEBUG off, 2 workers), a Celery worker and Celery beat on
PostgreSQL and Redis, with mail going to a loopback SMTP sink; loads the demo
program; then checks over HTTP that the health endpoints, the API, a personal
itinerary page, its calendar feed and a schedule send-out work. Stops
everything it started, whatever happens. Exits non-zero on the first failure.

    python scripts/production_smoke.py            (uses DATABASE_URL/REDIS_URL defaults below)
"""

import html
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from email import message_from_bytes
from email.policy import default as default_policy
from pathlib import Path

import icalendar

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent
DB_NAME = "portal_smoke"
PG_ADMIN_URL = os.environ.get("SMOKE_PG_URL", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("SMOKE_REDIS_URL", "redis://127.0.0.1:6379/7")
SEND_TO = 3  # participants who get their schedule in the smoke


def require(condition: bool, detail: object) -> None:
    if not condition:
        raise SystemExit(f"FAILED: {detail}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Smoke:
    def __init__(self) -> None:
        self.processes: list[subprocess.Popen] = []
        self.tmp = Path(tempfile.mkdtemp(prefix="portal-smoke-"))
        self.mail_dir = self.tmp / "mail"
        self.web_port = free_port()
        self.smtp_port = free_port()
        self.base = f"http://127.0.0.1:{self.web_port}"
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("PYTEST")},
            "DATABASE_URL": f"{PG_ADMIN_URL}/{DB_NAME}",
            "REDIS_URL": REDIS_URL,
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": self.base,
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.smtp_port),
            "DJANGO_SETTINGS_MODULE": "internship_portal.settings",
        }

    # --- processes -------------------------------------------------------------
    def run(self, *args: str) -> str:
        result = subprocess.run(args, cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=600, check=False)
        if result.returncode != 0:
            raise SystemExit(f"FAILED: {' '.join(args)}\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def start(self, name: str, *args: str) -> None:
        log = open(self.tmp / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process at the end
        process = subprocess.Popen(
            args, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        process.log_path = self.tmp / f"{name}.log"
        process.name = name
        self.processes.append(process)

    def stop_all(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 20
        for process in self.processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def logs(self) -> str:
        return "\n".join(f"--- {p.name} ---\n" + p.log_path.read_text(errors="replace")[-3000:] for p in self.processes)

    # --- HTTP -------------------------------------------------------------------
    def request(self, method: str, path: str, *, token: str | None = None, body: dict | None = None, expect: int = 200):
        headers = {"X-Forwarded-Proto": "https", "Accept": "application/json"}
        data = None
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, payload, content_type = (
                    response.status,
                    response.read(),
                    response.headers.get("Content-Type", ""),
                )
        except urllib.error.HTTPError as error:
            status, payload, content_type = error.code, error.read(), error.headers.get("Content-Type", "")
        if status != expect:
            raise SystemExit(f"FAILED: {method} {path} answered {status}, expected {expect}: {payload[:500]!r}")
        return payload, content_type

    def wait_until(self, what: str, check, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for process in self.processes:
                if process.poll() is not None:
                    raise SystemExit(f"FAILED: {process.name} exited while waiting for {what}")
            if check():
                return
            time.sleep(0.5)
        raise SystemExit(f"FAILED: timed out waiting for {what}")

    def ok(self, message: str) -> None:
        print(f"ok   {message}", flush=True)

    # --- the smoke ---------------------------------------------------------------
    def prepare(self) -> str:
        subprocess.run(
            ["psql", PG_ADMIN_URL + "/postgres", "-qc", f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)"],
            check=True,
            capture_output=True,
        )
        subprocess.run(["psql", PG_ADMIN_URL + "/postgres", "-qc", f"CREATE DATABASE {DB_NAME}"], check=True)
        self.run(PYTHON, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
        self.ok("check --deploy: no warnings")
        self.run(PYTHON, "manage.py", "migrate", "--noinput")
        self.run(PYTHON, "manage.py", "collectstatic", "--noinput")
        self.run(PYTHON, "manage.py", "load_demo")
        token = (
            self.run(PYTHON, "manage.py", "create_api_client", "smoke", "--scopes", "read,write")
            .strip()
            .splitlines()[-1]
        )
        self.ok("database migrated, static collected, demo loaded, API client created")
        return token

    def start_services(self) -> None:
        self.start("smtp", PYTHON, "scripts/smtp_sink.py", "--port", str(self.smtp_port), "--dir", str(self.mail_dir))
        self.start(
            "gunicorn",
            str(BIN / "gunicorn"),
            "internship_portal.wsgi",
            "--bind",
            f"127.0.0.1:{self.web_port}",
            "--workers",
            "2",
            "--timeout",
            "60",
        )
        celery = str(BIN / "celery")
        self.start("worker", celery, "-A", "internship_portal", "worker", "--concurrency", "2", "--loglevel", "INFO")
        self.start(
            "beat",
            celery,
            "-A",
            "internship_portal",
            "beat",
            "--loglevel",
            "INFO",
            "--schedule",
            str(self.tmp / "beat"),
        )

        def web_up() -> bool:
            try:
                self.request("GET", "/healthz")
            except (SystemExit, OSError):
                return False
            return True

        self.wait_until("gunicorn to answer /healthz", web_up)
        self.ok(f"gunicorn, worker, beat and SMTP sink started (web on {self.base})")

    def check(self, token: str) -> None:
        ready = json.loads(self.request("GET", "/readyz")[0])
        require(ready["checks"] == {"database": "ok", "redis": "ok"}, ready)
        self.ok("/readyz: database and Redis ok")

        self.request("GET", "/api/v1/programs/", expect=401)
        programs = json.loads(self.request("GET", "/api/v1/programs/", token=token)[0])
        slug = "human-capital-2026"
        require(slug in [p["slug"] for p in programs["results"]], programs)
        self.ok("API: 401 without a token, programs listed with one")

        listing = json.loads(self.request("GET", f"/api/v1/programs/{slug}/participants/?page_size=5", token=token)[0])
        participants = listing["results"][:SEND_TO]
        first = participants[0]
        feed, content_type = self.request("GET", first["calendar_url"].removeprefix(self.base))
        require(content_type.startswith("text/calendar"), content_type)
        events = icalendar.Calendar.from_ical(feed).walk("VEVENT")
        require(len(events) > 5, len(events))
        self.ok(f"calendar feed parses: {len(events)} events")

        personal_path = first["itinerary_url"].removeprefix(self.base)
        page, content_type = self.request("GET", personal_path)
        require(content_type.startswith("text/html"), content_type)
        title = html.escape(str(events[0]["SUMMARY"]))
        require(title.encode() in page, f"personal page does not show {title!r}")
        self.ok(f"personal itinerary page served, showing {title!r}")

        ids = [p["id"] for p in participants]
        answer = json.loads(
            self.request(
                "POST",
                f"/api/v1/programs/{slug}/send-itineraries/",
                token=token,
                body={"participants": ids},
                expect=202,
            )[0]
        )
        self.ok(f"send-out accepted: {answer}")

        def mails() -> list:
            return sorted(self.mail_dir.glob("*.eml")) if self.mail_dir.exists() else []

        self.wait_until(f"{len(ids)} e-mails in the SMTP sink", lambda: len(mails()) >= len(ids))
        time.sleep(2)  # anything extra would be a duplicate
        received = [message_from_bytes(p.read_bytes(), policy=default_policy) for p in mails()]
        recipients = sorted(m["X-Envelope-To"] for m in received)
        require(recipients == sorted(p["email"] for p in participants), recipients)
        attachments = [part.get_filename() for m in received for part in m.iter_attachments()]
        require(
            all(name and name.endswith(".ics") for name in attachments) and len(attachments) == len(ids), attachments
        )
        self.ok(f"worker delivered exactly one schedule e-mail to each of {len(ids)} participants, .ics attached")


def main() -> int:
    smoke = Smoke()
    try:
        token = smoke.prepare()
        smoke.start_services()
        smoke.check(token)
    except (SystemExit, Exception) as error:  # noqa: BLE001 - report any failure with the logs
        print(f"production smoke FAILED: {error}", flush=True)
        print(smoke.logs(), flush=True)
        return 1
    finally:
        smoke.stop_all()
    print("production smoke passed", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
