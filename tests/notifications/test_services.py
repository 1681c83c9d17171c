"""The sending path in one process: rows, the state machine, retries, the sweep, a broker that is down."""

import logging
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from notifications.enums import NotificationStatus
from notifications.models import Notification
from notifications.selectors import sendout_progress
from notifications.services import (
    notification_enqueue,
    notification_retry,
    notification_send,
    outbox_dispatch,
    sendout_create,
)

from .smtp import SmtpSink, free_port

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]


def test_notification_enqueue_sends_each_message_once_after_commit(hello, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ids = notification_enqueue(messages=[hello(1), hello(2)])

    assert len(ids) == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["Person 1 <person1@example.org>", "Person 2 <person2@example.org>"]
    rows = Notification.objects.order_by("pk")
    assert [row.status for row in rows] == [NotificationStatus.SENT] * 2
    assert all(row.attempts == 1 and row.sent_at is not None for row in rows)
    assert rows[0].subject == "Hello, Person 1"


def test_notification_enqueue_same_key_twice_writes_and_sends_once(hello, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = notification_enqueue(messages=[hello(1)])
    with django_capture_on_commit_callbacks(execute=True):
        second = notification_enqueue(messages=[hello(1), hello(1)])

    assert len(first) == 1
    assert second == []
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1


def test_notification_enqueue_rolled_back_change_sends_nothing(hello, django_capture_on_commit_callbacks):
    def failing_change():
        with transaction.atomic():
            notification_enqueue(messages=[hello(1)])
            raise RuntimeError("the change failed")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        failing_change()

    assert Notification.objects.count() == 0
    assert mail.outbox == []


def test_notification_send_twice_sends_once(hello, django_capture_on_commit_callbacks):
    # Written without publishing: the test plays the two deliveries of one task.
    ids = notification_enqueue(messages=[hello(1)])

    first = notification_send(notification_id=ids[0])
    second = notification_send(notification_id=ids[0])

    assert (first, second) == (NotificationStatus.SENT, "skipped")
    assert len(mail.outbox) == 1
    assert Notification.objects.get().attempts == 1


def test_notification_send_refuses_a_row_that_is_not_due(hello):
    later = timezone.now() + timedelta(hours=2)
    ids = notification_enqueue(messages=[hello(1, due_at=later)])

    assert notification_send(notification_id=ids[0]) == "skipped"
    assert notification_send(notification_id=ids[0], now=later) == NotificationStatus.SENT
    assert len(mail.outbox) == 1


def test_notification_send_smtp_refusing_retries_with_backoff_then_delivers_once(hello):
    ids = notification_enqueue(messages=[hello(1)])
    with SmtpSink(refuse=2) as sink, override_settings(**sink.settings(), NOTIFICATION_RETRY_BACKOFF_SECONDS=60):
        outcomes = [notification_send(notification_id=ids[0])]
        row = Notification.objects.get()
        assert row.status == NotificationStatus.RETRY
        assert "451" in row.last_error
        first_due = row.next_attempt_at
        assert timedelta(seconds=55) < first_due - timezone.now() <= timedelta(seconds=60)
        # Not due yet: a redelivered task or an early sweep does nothing.
        outcomes.append(notification_send(notification_id=ids[0]))
        outcomes.append(notification_send(notification_id=ids[0], now=first_due))
        second_due = Notification.objects.get().next_attempt_at
        outcomes.append(notification_send(notification_id=ids[0], now=second_due))

    assert outcomes == ["retry", "skipped", "retry", "sent"]
    assert second_due - first_due >= timedelta(seconds=115)  # the delay doubled
    assert sink.refused == 2
    assert sink.recipients() == ["person1@example.org"]
    message = sink.by_recipient("person1@example.org")[0]
    assert message["Subject"] == "Hello, Person 1"
    assert message.get_body(("html",)).get_content().strip() == "<p>Hello!</p>"
    row = Notification.objects.get()
    assert (row.status, row.attempts) == (NotificationStatus.SENT, 3)


def test_notification_send_gives_up_after_max_attempts_with_the_error(hello):
    ids = notification_enqueue(messages=[hello(1)])
    far = timezone.now() + timedelta(days=1)
    with SmtpSink(refuse=99) as sink, override_settings(**sink.settings(), NOTIFICATION_MAX_ATTEMPTS=3):
        outcomes = [notification_send(notification_id=ids[0], now=far + timedelta(days=n)) for n in range(4)]

    assert outcomes == ["retry", "retry", "failed", "skipped"]
    row = Notification.objects.get()
    assert row.status == NotificationStatus.FAILED
    assert row.attempts == 3
    assert "Mailbox busy" in row.last_error


def test_notification_send_unknown_kind_fails_at_once(hello):
    ids = notification_enqueue(messages=[hello(1)])
    Notification.objects.filter(pk=ids[0]).update(kind="nobody.renders.this")

    assert notification_send(notification_id=ids[0]) == NotificationStatus.FAILED
    assert "no renderer" in Notification.objects.get().last_error


def test_notification_retry_gives_a_failed_row_a_fresh_start(hello, django_capture_on_commit_callbacks):
    ids = notification_enqueue(messages=[hello(1)])
    Notification.objects.filter(pk=ids[0]).update(status=NotificationStatus.FAILED, attempts=5, last_error="x")

    with django_capture_on_commit_callbacks(execute=True):
        count = notification_retry(notification_ids=ids)

    assert count == 1
    row = Notification.objects.get()
    assert (row.status, row.attempts) == (NotificationStatus.SENT, 1)
    assert len(mail.outbox) == 1


def test_outbox_dispatch_sends_rows_left_pending_after_the_grace_period(hello):
    ids = notification_enqueue(messages=[hello(1), hello(2)])  # never published: on_commit did not run

    too_soon = outbox_dispatch()
    later = outbox_dispatch(now=timezone.now() + timedelta(minutes=2))

    assert too_soon["due"] == 0
    assert later["due"] == 2
    # The eager task checks "due" against the real clock: pending rows are due now.
    assert sorted(Notification.objects.values_list("status", flat=True)) == ["sent", "sent"]
    assert len(mail.outbox) == 2
    assert sorted(ids) == sorted(Notification.objects.values_list("pk", flat=True))


def test_outbox_dispatch_takes_back_rows_stuck_in_sending():
    from notifications.services import OutgoingMessage

    ids = notification_enqueue(
        messages=[
            OutgoingMessage(
                kind="tests.hello", recipient_email="a@example.org", idempotency_key="k", payload={"name": "A"}
            )
        ]
    )
    long_ago = timezone.now() - timedelta(hours=1)
    Notification.objects.filter(pk=ids[0]).update(status=NotificationStatus.SENDING, attempts=1, claimed_at=long_ago)

    # A task arriving for a row in `sending` must not send it (its worker may be mid-send).
    assert notification_send(notification_id=ids[0]) == "skipped"
    result = outbox_dispatch()

    assert result["recovered"] == 1
    row = Notification.objects.get()
    assert (row.status, row.attempts) == (NotificationStatus.SENT, 2)
    assert len(mail.outbox) == 1


def test_dispatch_outbox_command_reports_what_it_did(hello):
    notification_enqueue(messages=[hello(1)])
    Notification.objects.update(next_attempt_at=timezone.now() - timedelta(hours=1))

    call_command("dispatch_outbox", stdout=(out := __import__("io").StringIO()))

    assert out.getvalue().startswith("1 due, 1 published")
    assert Notification.objects.get().status == NotificationStatus.SENT


@pytest.fixture
def broker_down(celery_eager):
    """Point the Celery app at a port where no broker listens."""
    app = celery_eager
    previous = app.conf.broker_url
    app.conf.task_always_eager = False
    app.conf.broker_url = f"redis://127.0.0.1:{free_port()}/0"
    app._after_fork()  # drop pooled connections to the old broker
    yield
    app.conf.broker_url = previous
    app.conf.task_always_eager = True
    app._after_fork()


@pytest.mark.usefixtures("broker_down")
def test_notification_enqueue_broker_down_commits_and_leaves_rows_pending(
    hello, django_capture_on_commit_callbacks, caplog
):
    caplog.set_level(logging.WARNING, logger="notifications.services")
    started = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        ids = notification_enqueue(messages=[hello(n) for n in range(5)])

    assert len(ids) == 5
    assert set(Notification.objects.values_list("status", flat=True)) == {NotificationStatus.PENDING}
    assert "left pending for the outbox sweep" in caplog.text
    assert timezone.now() - started < timedelta(seconds=10)  # failed fast, not once per row
    assert mail.outbox == []


@pytest.mark.parametrize("row_count", [1, 5])
def test_sendout_progress_counts_by_status_in_one_query(hello, row_count, django_assert_num_queries):
    sendout = sendout_create(kind="tests.hello")
    ids = notification_enqueue(messages=[hello(n) for n in range(row_count)], sendout=sendout)
    notification_send(notification_id=ids[0])
    Notification.objects.filter(pk=ids[-1]).exclude(status="sent").update(status=NotificationStatus.FAILED)

    with django_assert_num_queries(1):
        progress = sendout_progress(sendout=sendout)

    failed = 1 if row_count > 1 else 0
    assert progress == {"queued": row_count - 1 - failed, "sent": 1, "failed": failed, "total": row_count}


def test_rows_whose_publish_failed_are_due_for_the_sweep_at_once(
    broker_down, celery_eager, hello, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notification_enqueue(messages=[hello(n) for n in range(3)])  # the broker refuses them
    celery_eager.conf.task_always_eager = True  # the broker is back

    result = outbox_dispatch()  # the beat's sweep, a moment later

    assert (result["due"], result["published"]) == (3, 3)
    assert sorted(message.to[0] for message in mail.outbox) == [f"Person {n} <person{n}@example.org>" for n in range(3)]
    assert set(Notification.objects.values_list("status", flat=True)) == {NotificationStatus.SENT}


def test_dispatch_outbox_command_sends_everything_waiting_at_once(hello):
    # Written a moment ago and never published (the process stopped before its commit hook).
    notification_enqueue(messages=[hello(1)])
    # Waiting out its backoff after a refused attempt.
    notification_enqueue(messages=[hello(2)])
    Notification.objects.filter(idempotency_key="hello:2").update(
        status=NotificationStatus.RETRY, attempts=1, next_attempt_at=timezone.now() + timedelta(minutes=30)
    )
    # Scheduled for tomorrow: not waiting, not sent.
    notification_enqueue(messages=[hello(3, due_at=timezone.now() + timedelta(days=1))])
    out = __import__("io").StringIO()

    call_command("dispatch_outbox", stdout=out)

    assert out.getvalue().startswith("2 due, 2 published")
    assert sorted(message.to[0] for message in mail.outbox) == [
        "Person 1 <person1@example.org>",
        "Person 2 <person2@example.org>",
    ]
    assert dict(Notification.objects.values_list("idempotency_key", "status")) == {
        "hello:1": NotificationStatus.SENT,
        "hello:2": NotificationStatus.SENT,
        "hello:3": NotificationStatus.PENDING,
    }
