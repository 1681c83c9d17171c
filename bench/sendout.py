"""The schedule send-out benchmark: Celery on Redis with 2 worker processes against a plain loop.

For each scale: render every participant's schedule e-mail in a plain loop
in this process (the renderer the outbox uses, and the MIME message built to
bytes: what the worker produces before SMTP), then send the same e-mails for
real with `notices.services.schedule_send` → outbox rows → Celery tasks on
Redis → a fresh worker (`--concurrency 2`) → SMTP to a loopback sink
(bench.smtp_sink). The send-out's time runs from the call until every row is
sent or failed. The worker's child processes are sampled (psutil) for their
peak resident memory; a fresh worker per scale makes the peaks comparable
(96 e-mails against 960).
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from .paths import Fixture

ROOT = Path(__file__).resolve().parent.parent
SENDOUT_TIMEOUT_S = 600


def render_loop(*, program) -> tuple[int, float]:
    """(e-mails, seconds) to render every participant's schedule e-mail, one after another."""
    from notices.services import SCHEDULE_KIND
    from notifications.models import Notification
    from notifications.services import _build_email
    from participants.selectors import participants_of_program

    participants = list(participants_of_program(program=program))
    started = time.perf_counter()
    for participant in participants:
        # An unsaved row, exactly as the outbox would hold it; nothing is written.
        row = Notification(
            kind=SCHEDULE_KIND,
            recipient_email=participant.email,
            recipient_name=participant.full_name,
            language=participant.language,
            payload={"participant_id": participant.pk},
            idempotency_key=f"bench-render:{participant.pk}",
        )
        _build_email(row).message().as_bytes()
    return len(participants), time.perf_counter() - started


def _free_port() -> int:
    from .run import free_port

    return free_port()


def _wait_for_line(process: subprocess.Popen, text: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            if process.poll() is not None:
                raise RuntimeError(f"process exited before printing {text!r}")
            continue
        if text in line:
            return
    raise RuntimeError(f"no {text!r} within {timeout} s")


def _worker_ready(env: dict[str, str], timeout: float = 60) -> None:
    from internship_portal.celery import app

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        replies = app.control.ping(timeout=1.0)
        if replies:
            return
    raise RuntimeError("the Celery worker did not answer a ping in time")


def run_sendout(
    *, env: dict[str, str], fixtures: dict[int, Fixture], log: Callable[[str], None], log_dir: Path
) -> dict:
    import psutil
    import redis
    from django.conf import settings

    from notifications.enums import NotificationStatus
    from notifications.models import Notification
    from programs.models import Program

    from . import report
    from .run import stop

    try:
        from notices.services import schedule_send
    except ImportError:
        return {"available": False, "reason": "notices.services.schedule_send does not exist yet"}

    # The bench's own Redis database starts empty: no task of an earlier run is left in the queue.
    redis.Redis.from_url(settings.CELERY_BROKER_URL).flushdb()
    smtp_port = _free_port()
    sink = subprocess.Popen(  # noqa: S603 - our own module
        [sys.executable, "-m", "bench.smtp_sink", f"--port={smtp_port}"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    entry: dict = {"available": True, "scales": {}}
    try:
        _wait_for_line(sink, "ready", 30)
        worker_env = {
            **env,
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
            "EMAIL_USE_TLS": "0",
        }
        for scale, fixture in fixtures.items():
            program = Program.objects.get(slug=fixture.slug)
            emails, render_s = render_loop(program=program)
            log(f"sendout ×{scale}: plain render loop {emails} e-mails in {render_s:.2f} s")
            worker_log = (log_dir / f"celery-worker-{scale}.log").open("w")
            worker = subprocess.Popen(  # noqa: S603 - our own venv's celery
                [
                    str(Path(sys.executable).with_name("celery")),
                    "-A",
                    "internship_portal",
                    "worker",
                    "--concurrency=2",
                    "--pool=prefork",
                    "--loglevel=WARNING",
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                    f"--hostname=bench-{scale}@%h",
                ],
                cwd=ROOT,
                env=worker_env,
                stdout=worker_log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            try:
                _worker_ready(worker_env)
                children = psutil.Process(worker.pid).children(recursive=True)
                peak = {child.pid: child.memory_info().rss for child in children}
                idle_rss = max(peak.values(), default=0)
                started = time.perf_counter()
                sendout = schedule_send(program=program)
                expected = sendout.queued_count
                done = 0
                deadline = time.monotonic() + SENDOUT_TIMEOUT_S
                rows = Notification.objects.filter(sendout=sendout)
                while time.monotonic() < deadline:
                    for child in children:
                        try:
                            peak[child.pid] = max(peak[child.pid], child.memory_info().rss)
                        except psutil.NoSuchProcess:
                            continue
                    done = rows.filter(status__in=[NotificationStatus.SENT, NotificationStatus.FAILED]).count()
                    if done >= expected:
                        break
                    time.sleep(0.05)
                celery_s = time.perf_counter() - started
                sent = rows.filter(status=NotificationStatus.SENT).count()
            finally:
                stop(worker, timeout=30)
                worker_log.close()
            log(f"sendout ×{scale}: {sent} of {expected} sent through Celery in {celery_s:.2f} s")
            entry["scales"][str(scale)] = {
                "emails": expected,
                "delivered": sent,
                "finished": done >= expected,
                "celery_s": round(celery_s, 3),
                "render_loop_s": round(render_s, 3),
                "rendered": emails,
                "worker_idle_rss_mb": round(idle_rss / 2**20, 1),
                "worker_peak_rss_mb": round(max(peak.values(), default=0) / 2**20, 1),
            }
    except RuntimeError as exc:
        entry.update(available=False, reason=str(exc))
    finally:
        stop(sink)
        tail = sink.stdout.read() if sink.stdout else ""
        sink_count = next((line.split()[1] for line in tail.splitlines() if line.startswith("received ")), None)
        entry["smtp_sink_received"] = int(sink_count) if sink_count else None
    return report.evaluate_sendout(entry)
