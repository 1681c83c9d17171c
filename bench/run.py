"""`python -m bench.run` (`make bench`): build the data, serve it, load it, print the table.

1. Checks PostgreSQL and Redis (says which is missing and exits 2) and wrk
   (installs Debian's package when run as root, like scripts/ensure-chromium.sh).
2. Drops and re-creates the bench database, migrates, loads the demo program
   at scale 1 and 10, collects static files.
3. Starts gunicorn (production settings: DEBUG off, 2 workers, 127.0.0.1 on a
   free port, the floor views mounted with BENCH_FLOOR=1) and drives every
   path of bench.paths with wrk from this separate process, the real endpoint
   and its floor side by side, for a fixed time each.
4. Counts SQL queries per request in this process with Django's test client
   against the same database (CaptureQueriesContext), warm (second request).
5. Times the board's writes (bench.board: shifting a busy day, saving a dragged
   block), creating visits through the API at both scales, then the schedule
   send-out through Celery (bench.sendout).
6. Prints the table and writes bench/results.json.

Every step is bounded: wrk runs for a fixed time, subprocesses have timeouts,
and the servers this run starts are stopped on the way out.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import http.client
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from . import report
from .load import LoadError, run_wrk, wrk_available
from .paths import AUTH_API, PATHS, BenchPath, Fixture, headers_for

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/portal_bench"
DEFAULT_REDIS = "redis://127.0.0.1:6379/6"
SCALES = (1, 10)
CREATE_TITLE = "Benchmark visit"


class BenchError(RuntimeError):
    """A precondition is missing; the message says what to do."""


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S', time.gmtime())} UTC] {message}", flush=True)


# --- preconditions -----------------------------------------------------------------


def check_postgres(database_url: str) -> None:
    import psycopg2

    parts = urlsplit(database_url)
    if parts.scheme not in ("postgres", "postgresql"):
        raise BenchError(f"BENCH_DATABASE_URL must be a PostgreSQL URL, got {database_url!r}")
    try:
        psycopg2.connect(_maintenance_dsn(database_url), connect_timeout=3).close()
    except psycopg2.OperationalError as exc:
        raise BenchError(
            f"PostgreSQL is not reachable at {parts.hostname}:{parts.port or 5432} ({str(exc).strip()}). "
            "The benchmark needs PostgreSQL: start it (e.g. `pg_ctlcluster <version> main start`) "
            "or point BENCH_DATABASE_URL at one."
        ) from exc


def check_redis(redis_url: str) -> None:
    import redis

    try:
        redis.Redis.from_url(redis_url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        raise BenchError(
            f"Redis is not reachable at {redis_url} ({exc}). The benchmark needs Redis for the cache and "
            "the Celery send-out: start it (e.g. `redis-server --daemonize yes`) or set BENCH_REDIS_URL."
        ) from exc


def ensure_wrk() -> None:
    if wrk_available():
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise BenchError("wrk is missing: install Debian's package (`sudo apt-get install wrk`).")
    log("wrk is missing; installing Debian's package")
    subprocess.run(["apt-get", "update", "-qq"], check=True, timeout=300)  # noqa: S607 - Debian's apt
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "wrk"],  # noqa: S607
        check=True,
        timeout=300,
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
    )
    if not wrk_available():
        raise BenchError("wrk could not be installed.")


def _maintenance_dsn(database_url: str) -> str:
    parts = urlsplit(database_url)
    return parts._replace(path="/postgres").geturl()


def _database_name(database_url: str) -> str:
    name = urlsplit(database_url).path.lstrip("/")
    if not name.startswith("portal_bench"):
        # Dropping a database is only safe when it is obviously the benchmark's own.
        raise BenchError(f"the bench database's name must start with portal_bench, got {name!r}")
    return name


# --- data ----------------------------------------------------------------------------


def manage(env: dict[str, str], *args: str, timeout: int = 900) -> str:
    done = subprocess.run(  # noqa: S603 - our own manage.py
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if done.returncode != 0:
        raise BenchError(f"manage.py {' '.join(args)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    return done.stdout


def rebuild_database(env: dict[str, str], database_url: str) -> None:
    import psycopg2
    from psycopg2 import sql

    name = _database_name(database_url)
    log(f"re-creating the database {name}")
    connection = psycopg2.connect(_maintenance_dsn(database_url), connect_timeout=3)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    connection.close()
    manage(env, "migrate", "--noinput", "-v0")
    for scale in SCALES:
        started = time.monotonic()
        out = manage(env, "load_demo", "--scale", str(scale))
        log(f"load_demo --scale {scale}: {out.strip().splitlines()[0]} ({time.monotonic() - started:.0f} s)")
    with connection_to(database_url) as cursor:
        cursor.execute("VACUUM ANALYZE")


@contextlib.contextmanager
def connection_to(database_url: str):
    import psycopg2

    connection = psycopg2.connect(database_url, connect_timeout=3)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            yield cursor
    finally:
        connection.close()


def prepare_fixture(scale: int) -> Fixture:
    """The participant, days, group and credentials the requests of one scale use (Django is set up)."""
    from datetime import timedelta

    from demo.data import program_slug
    from participants.models import Participant, ProjectGroup
    from programs.models import Program

    program = Program.objects.get(slug=program_slug(scale))
    # A participant as most are: in a group, not its coordinator (whose page also lists the
    # group's members, which the floor does not render).
    participant = (
        Participant.objects.filter(program=program, group__isnull=False)
        .exclude(coordinated_groups__isnull=False)
        .order_by("id")
        .first()
    )
    busy_day = program.start_date + timedelta(days=1)
    free_day = next(
        program.start_date + timedelta(days=offset)
        for offset in range((program.end_date - program.start_date).days + 1)
        if not program.visits.filter(
            starts_at__gte=program.starts_at() + timedelta(days=offset),
            starts_at__lt=program.starts_at() + timedelta(days=offset + 1),
        )
        .exclude(title__startswith=CREATE_TITLE)  # an earlier run's, deleted before this run creates its own
        .exists()
    )
    return Fixture(
        scale=scale,
        slug=program.slug,
        participant_id=participant.pk,
        token=participant.access_token,
        day=busy_day,
        free_day=free_day,
        group_id=participant.group_id,
        group_count=ProjectGroup.objects.filter(program=program).count(),
    )


def api_token() -> str:
    """A read+write API client's token, made with the API's own command; "" when it does not exist yet."""
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    out = StringIO()
    try:
        call_command("create_api_client", "benchmark", "--scopes", "read,write", stdout=out)
    except CommandError as exc:
        if "Unknown command" in str(exc):
            return ""
        raise
    lines = [line.strip() for line in out.getvalue().splitlines() if line.strip()]
    return lines[-1] if lines else ""


def organiser_session() -> str:
    """A session of the demo organiser, written straight into the session store (no login form to throttle)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    from demo.data import ORGANISER_USERNAME

    user = get_user_model().objects.get(username=ORGANISER_USERNAME)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.set_expiry(24 * 3600)
    session.save()
    return session.session_key


def route_exists(url: str) -> bool:
    from django.urls import Resolver404, resolve

    try:
        resolve(urlsplit(url).path)
    except Resolver404:
        return False
    return True


# --- servers ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    """gunicorn with 2 sync workers on 127.0.0.1; stopped (TERM, then KILL) on exit."""

    def __init__(self, env: dict[str, str], port: int, log_path: Path):
        self.env, self.port, self.log_path = env, port, log_path
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Gunicorn:
        self.log_file = self.log_path.open("w")
        self.process = subprocess.Popen(  # noqa: S603 - our own venv's gunicorn
            [
                str(Path(PYTHON).with_name("gunicorn")),
                "internship_portal.wsgi",
                "--workers=2",
                f"--bind=127.0.0.1:{self.port}",
                "--timeout=60",
                "--log-level=warning",
                # As production runs it (deploy/systemd/portal-web.service): personal links redacted in its log.
                "--logger-class=internship_portal.gunicorn_logger.RedactingLogger",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"gunicorn exited at start; see {self.log_path}")
            with contextlib.suppress(OSError):
                status, _body = http_get(self.port, "/healthz")
                if status == 200:
                    return self
            time.sleep(0.3)
        raise BenchError(f"gunicorn did not answer /healthz in 60 s; see {self.log_path}")

    def __exit__(self, *exc) -> None:
        stop(self.process)
        self.log_file.close()


def stop(process: subprocess.Popen | None, timeout: float = 15) -> None:
    """Stop a process this run started, and its children (they share its session)."""
    if process is None or process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


def http_get(port: int, url: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", url, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def http_post_json(port: int, url: str, body: dict, headers: dict[str, str]) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("POST", url, body=json.dumps(body), headers={**headers, "Content-Type": "application/json"})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


# --- measuring -------------------------------------------------------------------------------


def count_queries(url: str, headers: dict[str, str]) -> tuple[int, int, int]:
    """(status, queries on a first request, queries on a second one) through Django's test client."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    extra = {}
    for name, value in headers.items():
        if name.lower() == "cookie":
            cookie_name, _sep, cookie_value = value.partition("=")
            client.cookies[cookie_name] = cookie_value
        else:
            extra["HTTP_" + name.upper().replace("-", "_")] = value
    counts = []
    status = 0
    for _attempt in range(2):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, **extra)
        status = response.status_code
        counts.append(len(captured.captured_queries))
    return status, counts[0], counts[1]


def measure_path(path: BenchPath, fixture: Fixture, port: int, args) -> dict:
    from django.conf import settings

    headers = headers_for(path.auth, fixture, session_cookie=settings.SESSION_COOKIE_NAME)
    url = path.url(fixture)
    base = f"http://127.0.0.1:{port}"
    # Every URL must answer 200 before it is loaded: a benchmark of error pages measures nothing.
    for candidate in [url, *(floor(fixture) for floor in path.floors.values())]:
        status, body = http_get(port, candidate, headers)
        if status != 200:
            raise BenchError(f"{candidate} answered {status}: {body[:300]!r}")
    measured: dict = {"url": url, "floors": {}}
    status, cold, warm = count_queries(url, headers)
    measured.update(status=status, queries=warm, queries_cold=cold)
    # Real and floors alternate in rounds so that noise from the shared machine falls on both.
    rounds: dict[str, list] = {"real": []} | {name: [] for name in path.floors}
    for _round in range(args.rounds):
        rounds["real"].append(run_wrk(base + url, seconds=args.duration, connections=args.connections, headers=headers))
        for name, floor in path.floors.items():
            rounds[name].append(
                run_wrk(base + floor(fixture), seconds=args.duration, connections=args.connections, headers=headers)
            )
    merged = {name: merge_rounds(results) for name, results in rounds.items()}
    measured["real"] = merged.pop("real")
    measured["floors"] = merged
    return measured


def merge_rounds(results: list) -> dict:
    """Throughput over all rounds; latencies of the median round (wrk gives no raw samples)."""
    requests = sum(result.requests for result in results)
    seconds = sum(result.seconds for result in results)
    middle = sorted(results, key=lambda result: result.p50_ms)[len(results) // 2]
    return {
        "requests": requests,
        "seconds": round(seconds, 2),
        "rps": round(requests / seconds, 1) if seconds else 0.0,
        "errors": sum(result.errors for result in results),
        "p50_ms": middle.p50_ms,
        "p90_ms": middle.p90_ms,
        "p99_ms": middle.p99_ms,
        "mean_ms": round(sum(result.mean_ms for result in results) / len(results), 3),
    }


def measure_create(fixture: Fixture, port: int, count: int) -> dict:
    """POST `count` visits, one after another, each in its own slot of a free day (no clash)."""
    import zoneinfo
    from datetime import datetime, timedelta
    from datetime import time as dtime

    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from programs.models import Program
    from visits.models import SiteVisit

    program = Program.objects.get(slug=fixture.slug)
    # A rerun on the same database starts from the same data.
    SiteVisit.objects.filter(program=program, title__startswith=CREATE_TITLE).delete()
    tz = zoneinfo.ZoneInfo(program.timezone)
    url = f"/api/v1/programs/{fixture.slug}/visits/"
    headers = headers_for(AUTH_API, fixture)
    slot = timedelta(minutes=(12 * 60) // (count + 7))

    def body(number: int) -> dict:
        start = datetime.combine(fixture.free_day, dtime(8, 0), tzinfo=tz) + slot * number
        return {
            "title": f"{CREATE_TITLE} {number}",
            "kind": "workshop",
            "starts_at": start.isoformat(),
            "ends_at": (start + slot - timedelta(minutes=1)).isoformat(),
            "groups": [fixture.group_id],
            "location": "Academy, room 101",
        }

    # Queries of one create, in-process (same database, same code path), on a second create:
    # the program's first one after the data was built writes a few one-off rows.
    status, content = http_post_json(port, url, body(0), headers)
    if status != 201:
        raise BenchError(f"creating a visit over HTTP answered {status}: {content[:300]!r}")
    client = Client(HTTP_HOST="127.0.0.1")
    with CaptureQueriesContext(connection) as captured:
        response = client.post(
            url, data=json.dumps(body(1)), content_type="application/json", HTTP_AUTHORIZATION=headers["Authorization"]
        )
    if response.status_code != 201:
        raise BenchError(f"creating a visit answered {response.status_code}: {response.content[:300]!r}")
    queries = len(captured.captured_queries)
    timings = []
    for number in range(2, count + 7):
        started = time.perf_counter()
        status, content = http_post_json(port, url, body(number), headers)
        elapsed = time.perf_counter() - started
        if status != 201:
            raise BenchError(f"creating a visit over HTTP answered {status}: {content[:300]!r}")
        if number > 6:  # the first few warm the workers up
            timings.append(elapsed)
    del settings  # imported for the same settings as the server, nothing else
    return {**report.summarise_timings(timings), "queries": queries}


# --- the run ------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=5, help="seconds of load per URL and round (default 5)")
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds of real and floor (default 2)")
    parser.add_argument("--connections", type=int, default=4, help="concurrent connections (default 4)")
    parser.add_argument("--paths", default="", help="comma-separated path keys to measure (default: all)")
    parser.add_argument("--creates", type=int, default=40, help="visits created per scale (default 40)")
    parser.add_argument("--skip-create", action="store_true")
    parser.add_argument("--skip-board", action="store_true", help="skip the board's writes (shift, drag-save)")
    parser.add_argument("--skip-sendout", action="store_true")
    parser.add_argument("--skip-outcomes", action="store_true", help="skip certificates and the outcome report")
    parser.add_argument("--reuse-db", action="store_true", help="keep the bench database of an earlier run")
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results.json")
    return parser.parse_args(argv)


def bench_env(database_url: str, redis_url: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "BENCH_")) and key not in ("DATABASE_URL", "REDIS_URL")
    }
    env.update(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        DEBUG="0",
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        ALLOWED_HOSTS="127.0.0.1",
        SECRET_KEY=secrets.token_urlsafe(50),
        BENCH_FLOOR="1",
        # The API's per-client throttle still runs on every request, but must not answer 429 to a load test.
        API_THROTTLE_RATE="100000000/minute",
        LOG_LEVEL="WARNING",
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE)
    redis_url = os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS)
    started = time.monotonic()
    try:
        _database_name(database_url)
        check_postgres(database_url)
        check_redis(redis_url)
        ensure_wrk()
        env = bench_env(database_url, redis_url)
        if not args.reuse_db:
            rebuild_database(env, database_url)
        manage(env, "collectstatic", "--noinput", "-v0")
        os.environ.update(env)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "internship_portal.settings")
        import django

        django.setup()
        results = run(args, env)
    except BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 2
    results["meta"]["wall_s"] = round(time.monotonic() - started, 1)
    args.output.write_text(json.dumps(results, indent=2, default=str))
    print()
    print(report.format_table(results))
    print(f"\nwritten {args.output} in {results['meta']['wall_s']:.0f} s")
    return 0


def run(args: argparse.Namespace, env: dict[str, str]) -> dict:
    fixtures = {scale: prepare_fixture(scale) for scale in SCALES}
    token = api_token()
    session_key = organiser_session()
    fixtures = {
        scale: Fixture(**{**fixture.__dict__, "api_token": token, "session_key": session_key})
        for scale, fixture in fixtures.items()
    }
    chosen = {key.strip() for key in args.paths.split(",") if key.strip()}
    results: dict = {
        "meta": {
            "started_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
            "gunicorn": "2 sync workers, DEBUG off, 127.0.0.1",
            "load": f"wrk, {args.connections} connections, {args.rounds} × {args.duration:g} s per URL",
            "queries": "Django test client in the harness's process, same database, CaptureQueriesContext, warm",
            "fixtures": {str(scale): fixture.as_dict() for scale, fixture in fixtures.items()},
            "commit": _git_commit(),
        },
        "paths": {},
    }
    log_dir = args.output.parent
    port = free_port()
    with Gunicorn({**env, "SITE_URL": f"http://127.0.0.1:{port}"}, port, log_dir / "gunicorn.log"):
        log(f"gunicorn on 127.0.0.1:{port}")
        for path in PATHS:
            if chosen and path.key not in chosen:
                continue
            entry: dict = {"label": path.label, "available": True, "scales": {}}
            results["paths"][path.key] = entry
            sample = fixtures[1]
            missing = [
                url for url in (path.url(sample), *(f(sample) for f in path.floors.values())) if not route_exists(url)
            ]
            if path.auth == AUTH_API and not token:
                missing.append("create_api_client")
            if missing:
                entry.update(available=False, reason="no route yet: " + ", ".join(missing))
                log(f"{path.key}: not available ({entry['reason']})")
                continue
            try:
                for scale, fixture in fixtures.items():
                    log(f"{path.key} ×{scale}")
                    entry["scales"][str(scale)] = measure_path(path, fixture, port, args)
            except (BenchError, LoadError) as exc:
                entry.update(available=False, reason=str(exc)[:300])
                log(f"{path.key}: failed: {exc}")
                continue
            report.evaluate_path(entry, min_ratio=path.min_ratio)
        if not args.skip_board and (not chosen or "board_writes" in chosen):
            from .board import run_board

            results["board_writes"] = run_board(fixtures, port, rounds=3, drags=20, log=log)
        if not args.skip_create and (not chosen or "create_visit" in chosen):
            results["create_visit"] = run_create(fixtures, port, args)
    if not args.skip_sendout and (not chosen or "sendout" in chosen):
        from .sendout import run_sendout

        results["sendout"] = run_sendout(env=env, fixtures=fixtures, log=log, log_dir=log_dir)
    if not args.skip_outcomes and (not chosen or "outcomes" in chosen):
        results["outcomes"] = run_outcomes(env=env, log_dir=log_dir)
    return results


def run_outcomes(*, env: dict[str, str], log_dir: Path) -> dict:
    """Certificates (one, and the ×10 ZIP) and the outcome report (bench.outcomes), in a process of their own."""
    log("outcomes: certificates, the ZIP of every certificate and the outcome report at scale 1 and 10")
    output = log_dir / "outcomes-results.json"
    completed = subprocess.run(  # noqa: S603 - our own module, with the bench's environment
        [PYTHON, "-m", "bench.outcomes", "--scale", "1", "--scale", "10", "--output", str(output)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    if not output.exists():
        return {"available": False, "reason": completed.stderr[-300:]}
    return {"available": True, "scales": json.loads(output.read_text())}


def run_create(fixtures: dict[int, Fixture], port: int, args) -> dict:
    sample = fixtures[1]
    url = f"/api/v1/programs/{sample.slug}/visits/"
    if not route_exists(url) or not sample.api_token:
        return {"available": False, "reason": "the API's visits endpoint or create_api_client does not exist yet"}
    entry: dict = {"available": True, "scales": {}}
    try:
        for scale, fixture in fixtures.items():
            log(f"create_visit ×{scale}")
            entry["scales"][str(scale)] = measure_create(fixture, port, args.creates)
    except BenchError as exc:
        return {"available": False, "reason": str(exc)[:300]}
    return report.evaluate_create(entry)


def _git_commit() -> str:
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        done = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
        return done.stdout.strip()
    return ""


if __name__ == "__main__":
    sys.exit(main())
