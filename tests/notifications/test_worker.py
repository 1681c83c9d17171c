"""The sending path with the real components: a Celery worker (prefork, 2 processes) on Redis,
PostgreSQL, and an SMTP server on loopback. Faults: a task delivered twice and a sweep racing
it, Redis stopped while a schedule is sent, a worker killed with SIGKILL mid send-out, SMTP
refusing the first attempts. In every case each participant gets exactly one e-mail.

The worker and a Redis of our own (on a spare port, so the machine's stays up) start once
for the module; the tests commit their data (transactional tests) so the worker sees it.
"""

import os
import shutil
import signal
import subprocess
import threading
import time
from collections import Counter
from pathlib import Path

import icalendar
import pytest
from django.db import connection
from django.test import override_settings

from notices.services import schedule_send
from notifications.enums import NotificationStatus
from notifications.models import Notification
from notifications.services import outbox_dispatch, publish
from tests.factories import HostOrganisationFactory, ParticipantFactory, ProgramFactory, ProjectGroupFactory, local
from visits.services import visit_create

from .smtp import SmtpSink, free_port

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server"),
]

ROOT = Path(__file__).resolve().parents[2]
CELERY = str(ROOT / ".venv" / "bin" / "celery")
REDIS_SERVER = shutil.which("redis-server") or "redis-server"
REDIS_CLI = shutil.which("redis-cli") or "redis-cli"
WAIT = 60


class RedisServer:
    def __init__(self, tmp: Path):
        self.port = free_port()
        self.tmp = tmp
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - a fixed command starting the test's own Redis
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            cwd=self.tmp,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            probe = subprocess.run([REDIS_CLI, "-p", str(self.port), "ping"], capture_output=True, text=True)  # noqa: S603 - fixed commands starting the test's own services
            if probe.stdout.strip() == "PONG":
                return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


class Worker:
    def __init__(self, env: dict[str, str], log: Path):
        self.env = env
        self.log = log
        self.process: subprocess.Popen | None = None
        self.starts = 0

    def start(self) -> None:
        self.starts += 1
        marker = f"--hostname=test{self.starts}@%h"
        log = self.log.with_suffix(f".{self.starts}.log")
        self.current_log = log
        self.process = subprocess.Popen(  # noqa: S603 - a fixed command starting the test's own worker
            [CELERY, "-A", "internship_portal", "worker", "--pool=prefork", "-c", "2", "-l", "INFO", marker],
            cwd=ROOT,
            env=self.env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, to kill the pool with it
        )
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            if "ready." in log.read_text():
                return
            if self.process.poll() is not None:
                raise RuntimeError("worker exited:\n" + log.read_text()[-3000:])
            time.sleep(0.2)
        raise RuntimeError("worker did not become ready:\n" + log.read_text()[-3000:])

    def kill(self) -> None:
        """SIGKILL the whole worker (main process and pool): nothing gets to clean up."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def stack(django_db_setup, django_db_blocker, tmp_path_factory):
    """Redis + SMTP sink + a Celery worker against the test database; the test process publishes there."""
    from internship_portal.celery import app

    tmp = tmp_path_factory.mktemp("stack")
    redis = RedisServer(tmp)
    redis.start()
    sink = SmtpSink().__enter__()
    with django_db_blocker.unblock():
        db = connection.settings_dict
        database_url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis.url,
        "NOTIFICATION_RETRY_BACKOFF_SECONDS": "1",
        "SITE_URL": "https://portal.example",
        **sink.env(),
    }
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    worker = Worker(env, tmp / "worker")
    saved = (app.conf.broker_url, app.conf.task_always_eager)
    app.conf.broker_url = redis.url
    app.conf.task_always_eager = False
    app._after_fork()
    worker.start()
    try:
        yield {"redis": redis, "sink": sink, "worker": worker, "app": app}
    finally:
        worker.stop()
        sink.__exit__(None, None, None)
        redis.stop()
        app.conf.broker_url, app.conf.task_always_eager = saved
        app._after_fork()


@pytest.fixture
def sink(stack):
    sink = stack["sink"]
    with sink.lock:
        sink.messages.clear()
    sink.refuse = 0
    sink.refused = 0
    sink.delay = 0.0
    return sink


def delegation(size: int):
    program = ProgramFactory(title="Development of human capital")
    group = ProjectGroupFactory(program=program, name="Digital state")
    people = [
        ParticipantFactory(program=program, group=group, language="ru" if n % 2 else "en", email=f"p{n}@gov.example")
        for n in range(size)
    ]
    visit_create(
        program=program,
        groups=[group],
        host=HostOrganisationFactory(name="Astana Hub"),
        title="Astana Hub",
        starts_at=local(program, program.start_date, 10),
        ends_at=local(program, program.start_date, 12),
    )
    return program, people


def wait_until_all_sent(sendout=None, *, sweep: bool = False, timeout: float = WAIT) -> None:
    rows = Notification.objects.all() if sendout is None else Notification.objects.filter(sendout=sendout)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not rows.exclude(status=NotificationStatus.SENT).exists():
            return
        if sweep:
            outbox_dispatch()
        time.sleep(0.3)
    states = Counter(rows.values_list("status", flat=True))
    raise AssertionError(f"not all sent after {timeout}s: {dict(states)}")


def assert_exactly_one_each(sink: SmtpSink, people) -> None:
    counts = Counter(sink.recipients())
    assert counts == Counter({person.email: 1 for person in people})


def test_worker_sends_each_participant_their_schedule_once(sink):
    program, people = delegation(6)

    sendout = schedule_send(program=program)
    wait_until_all_sent(sendout)

    assert sendout.queued_count == 6
    assert_exactly_one_each(sink, people)
    russian = next(p for p in people if p.language == "ru")
    (message,) = sink.by_recipient(russian.email)
    assert message["Subject"].strip() == "Ваша программа: Development of human capital"
    assert message["To"] == f"{russian.full_name} <{russian.email}>"
    text = message.get_body(("plain",)).get_content()
    assert f"https://portal.example/i/{russian.access_token}/" in text
    assert "Astana Hub" in text
    assert f'href="https://portal.example/i/{russian.access_token}/"' in message.get_body(("html",)).get_content()
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_filename() == "itinerary.ics"
    calendar = icalendar.Calendar.from_ical(attachment.get_content())
    assert [str(event["SUMMARY"]) for event in calendar.walk("VEVENT")] == ["Astana Hub"]
    english = next(p for p in people if p.language == "en")
    assert sink.by_recipient(english.email)[0]["Subject"].strip() == "Your itinerary: Development of human capital"


def test_worker_task_delivered_twice_and_sweep_racing_send_once(sink):
    program, people = delegation(8)
    sink.delay = 0.05

    with override_settings(NOTIFICATION_PENDING_GRACE_SECONDS=0):
        sendout = schedule_send(program=program)
        ids = list(Notification.objects.filter(sendout=sendout).values_list("pk", flat=True))
        publish(notification_ids=ids)  # every task a second time
        sweeps = [threading.Thread(target=lambda: (outbox_dispatch(), connection.close())) for _ in range(3)]
        for sweep in sweeps:
            sweep.start()
        for sweep in sweeps:
            sweep.join()
        wait_until_all_sent(sendout)
        time.sleep(1.0)  # let every duplicate task run out

    assert_exactly_one_each(sink, people)
    assert set(Notification.objects.filter(sendout=sendout).values_list("attempts", flat=True)) == {1}


def test_worker_redis_down_during_send_then_back_each_gets_one(stack, sink):
    program, people = delegation(5)
    redis = stack["redis"]

    redis.stop()
    try:
        started = time.monotonic()
        sendout = schedule_send(program=program)  # commits; publishing fails and is logged
        elapsed = time.monotonic() - started
        assert set(Notification.objects.filter(sendout=sendout).values_list("status", flat=True)) == {"pending"}
    finally:
        redis.start()

    assert elapsed < 15
    assert sink.recipients() == []
    with override_settings(NOTIFICATION_PENDING_GRACE_SECONDS=0):
        wait_until_all_sent(sendout, sweep=True)
    time.sleep(1.0)
    assert_exactly_one_each(sink, people)


def test_worker_killed_mid_sendout_then_restarted_each_gets_one(stack, sink):
    program, people = delegation(12)
    worker = stack["worker"]
    sink.delay = 1.0  # each message waits a second at MAIL FROM, before the server accepts anything

    sendout = schedule_send(program=program)
    deadline = time.monotonic() + WAIT
    while len(sink.recipients()) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    # Kill mid-send, not at the instant a message was accepted: between the server's
    # "250 OK" and the row's commit lies a window of milliseconds that no outbox can
    # close (SMTP and the database share no transaction); the stable Message-ID lets
    # mail systems drop a copy sent in it.
    time.sleep(0.5)
    worker.kill()
    delivered_before_kill = len(sink.recipients())
    worker.start()
    sink.delay = 0.0

    with override_settings(NOTIFICATION_PENDING_GRACE_SECONDS=0, NOTIFICATION_SENDING_TIMEOUT_SECONDS=3):
        wait_until_all_sent(sendout, sweep=True)
    time.sleep(1.0)

    assert 3 <= delivered_before_kill < 12
    assert_exactly_one_each(sink, people)


def test_worker_smtp_refusing_first_attempts_retries_and_delivers_once(sink):
    program, people = delegation(1)
    sink.refuse = 2

    sendout = schedule_send(program=program)
    wait_until_all_sent(sendout, sweep=True)

    assert sink.refused == 2
    assert_exactly_one_each(sink, people)
    row = Notification.objects.get(sendout=sendout)
    assert row.attempts == 3
    assert "451" in row.last_error  # the last refusal stays visible


def test_worker_redis_down_during_send_then_dispatch_outbox_by_hand_sends_each_once_at_once(stack, sink):
    from io import StringIO

    from django.core.management import call_command

    program, people = delegation(5)
    redis = stack["redis"]

    redis.stop()
    try:
        sendout = schedule_send(program=program)  # commits; publishing fails and is logged
    finally:
        redis.start()
    out = StringIO()
    started = time.monotonic()
    call_command("dispatch_outbox", stdout=out)  # the documented recovery, run once, right away

    assert out.getvalue().startswith("5 due, 5 published")
    wait_until_all_sent(sendout, timeout=15)  # no further sweeps
    assert time.monotonic() - started < 15
    time.sleep(1.0)
    assert_exactly_one_each(sink, people)
