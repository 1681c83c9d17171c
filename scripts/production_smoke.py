"""Production smoke: the portal as it is deployed, checked end to end over HTTP.

Starts gunicorn (DEBUG off, 2 workers), a Celery worker and Celery beat on
PostgreSQL and a Redis of its own, with mail going to a loopback SMTP sink;
loads the demo program; then checks over HTTP that the health endpoints, the
API, a personal itinerary page, its calendar feed and a schedule send-out
work; that the portal recovers by itself when its database connections die;
and that with Redis down pages and the API keep answering while sending waits
and completes, once, when Redis returns. Stops everything it started,
whatever happens. Exits non-zero on the first failure.

    python scripts/production_smoke.py     (SMOKE_PG_URL: the PostgreSQL server, default 127.0.0.1 as postgres)
"""

import base64
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
SEND_TO = 3  # participants who get their schedule in the first send-out
SEND_DURING_OUTAGE = 2  # and in the one made while Redis is down


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
        # Its own Redis, so that the outage test never touches the machine's.
        self.redis_port = free_port()
        self.base = f"http://127.0.0.1:{self.web_port}"
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("PYTEST")},
            "DATABASE_URL": f"{PG_ADMIN_URL}/{DB_NAME}",
            "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            # The beat sweep picks up rows left pending after this long.
            "NOTIFICATION_PENDING_GRACE_SECONDS": "5",
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            # Visitors' ID details are encrypted with a key of the deployment's own.
            "FIELD_ENCRYPTION_KEYS": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
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

    def start(self, name: str, *args: str) -> subprocess.Popen:
        log = open(self.tmp / f"{name}.log", "ab")  # noqa: SIM115 - closed with the process at the end
        process = subprocess.Popen(
            args, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        process.log_path = self.tmp / f"{name}.log"
        process.name = name
        self.processes.append(process)
        return process

    def check_web_log_redacts(self, personal_path: str) -> None:
        """The web server's access log shows the personal page's request without its token."""
        token = personal_path.strip("/").split("/")[1]
        log_path = next(process.log_path for process in self.processes if process.name == "gunicorn")
        deadline = time.monotonic() + 10
        while True:
            log = log_path.read_text(errors="replace")
            if "/i/[redacted]" in log or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        require("/i/[redacted]" in log, f"the access log has no redacted personal link ({log_path})")
        require(token not in log, f"the access log holds a personal link's token ({log_path})")
        self.ok("web access log shows personal links redacted, never their tokens")

    def start_redis(self) -> None:
        self.redis = self.start(
            "redis",
            "redis-server",
            "--bind",
            "127.0.0.1",
            "--port",
            str(self.redis_port),
            "--save",
            "",
            "--appendonly",
            "no",
        )
        self.wait_until("Redis to answer", self.redis_up, timeout=20)

    def stop_redis(self) -> None:
        self.redis.terminate()
        self.redis.wait(timeout=20)
        self.processes.remove(self.redis)

    def redis_up(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.redis_port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

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
        status, payload, content_type = self.call(method, path, token=token, body=body)
        if status != expect:
            raise SystemExit(f"FAILED: {method} {path} answered {status}, expected {expect}: {payload[:500]!r}")
        return payload, content_type

    def call(self, method: str, path: str, *, token: str | None = None, body: dict | None = None):
        """(status, body, content type) of one request; the proxy in front would add X-Forwarded-Proto."""
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
        return status, payload, content_type

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
        self.start_redis()
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
            # As deploy/systemd/portal-web.service runs it: an access log whose personal links are redacted.
            "--access-logfile",
            "-",
            "--logger-class",
            "internship_portal.gunicorn_logger.RedactingLogger",
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
        self.check_web_log_redacts(personal_path)

        self.slug, self.token = slug, token
        listing = json.loads(
            self.request(
                "GET", f"/api/v1/programs/{slug}/participants/?page_size={SEND_TO + SEND_DURING_OUTAGE}", token=token
            )[0]
        )
        self.first_batch = listing["results"][:SEND_TO]
        self.second_batch = listing["results"][SEND_TO : SEND_TO + SEND_DURING_OUTAGE]
        self.personal_path = personal_path

    # --- mail -------------------------------------------------------------------------
    def mails(self) -> list:
        paths = sorted(self.mail_dir.glob("*.eml")) if self.mail_dir.exists() else []
        return [message_from_bytes(p.read_bytes(), policy=default_policy) for p in paths]

    def send_schedules(self, participants: list[dict]) -> None:
        body = {"participants": [p["id"] for p in participants]}
        answer = json.loads(
            self.request(
                "POST", f"/api/v1/programs/{self.slug}/send-itineraries/", token=self.token, body=body, expect=202
            )[0]
        )
        require(answer.get("queued") == len(participants), answer)

    def expect_mail_to(self, participants: list[dict], *, timeout: float) -> None:
        """Every one of these participants, and nobody twice, has had one schedule e-mail."""
        expected = len(self.mails()) + len(participants)
        self.wait_until(f"{expected} e-mails in the SMTP sink", lambda: len(self.mails()) >= expected, timeout=timeout)
        time.sleep(3)  # anything arriving now would be a duplicate
        received = self.mails()
        recipients = [m["X-Envelope-To"] for m in received]
        require(len(recipients) == len(set(recipients)), f"a participant got two e-mails: {sorted(recipients)}")
        require({p["email"] for p in participants} <= set(recipients), recipients)
        for message in received:
            names = [part.get_filename() for part in message.iter_attachments()]
            require(len(names) == 1 and names[0].endswith(".ics"), names)

    def check_send_out(self) -> None:
        self.send_schedules(self.first_batch)
        self.expect_mail_to(self.first_batch, timeout=60)
        self.ok(f"worker delivered exactly one schedule e-mail to each of {SEND_TO} participants, .ics attached")

    # --- faults ------------------------------------------------------------------------
    def check_database_restart(self) -> None:
        """Every server connection of the portal dies, as in a database restart:
        requests fail cleanly at worst, and recover without restarting the portal."""
        subprocess.run(
            [
                "psql",
                PG_ADMIN_URL + "/postgres",
                "-qAtc",
                f"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '{DB_NAME}'",  # noqa: S608 - a constant name
            ],
            check=True,
            capture_output=True,
        )
        statuses = [self.call("GET", "/api/v1/programs/", token=self.token)[0] for _ in range(6)]
        statuses += [self.call("GET", self.personal_path)[0] for _ in range(4)]
        require(all(status in (200, 500, 503) for status in statuses), statuses)
        require(statuses[-3:] == [200, 200, 200] and statuses[3:6] == [200, 200, 200], statuses)
        self.ok(f"database connections killed: portal recovered by itself (statuses {statuses})")

    def check_redis_outage(self) -> None:
        """Redis stops: pages and the API keep working, a send-out is accepted and
        waits; Redis returns: the beat sweep delivers it, once."""
        self.stop_redis()
        status, body, _ = self.call("GET", "/readyz")
        require(status == 503 and json.loads(body)["checks"]["redis"] == "unavailable", (status, body))
        for path, token in (("/api/v1/programs/", self.token), (self.personal_path, None)):
            status, body, _ = self.call("GET", path, token=token)
            require(status == 200, (path, status, body[:300]))
        before = len(self.mails())
        self.send_schedules(self.second_batch)
        time.sleep(3)
        require(len(self.mails()) == before, "mail went out with Redis down?")
        self.ok("Redis down: /readyz 503, API and personal page 200, send-out accepted (202) and waiting")
        self.start_redis()
        self.expect_mail_to(self.second_batch, timeout=150)
        self.ok(f"Redis back: beat's outbox sweep delivered the {SEND_DURING_OUTAGE} waiting e-mails, once each")


def main() -> int:
    smoke = Smoke()
    try:
        token = smoke.prepare()
        smoke.start_services()
        smoke.check(token)
        smoke.check_send_out()
        smoke.check_database_restart()
        smoke.check_redis_outage()
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
