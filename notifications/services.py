"""The sending path: writing outbox rows, sending one row, sweeping the outbox.

- `notification_enqueue` writes rows in the caller's transaction; after commit
  it publishes one Celery task per row, by id. A broker that refuses is logged
  and the rows stay pending for the sweep, marked as not queued so that the
  next sweep takes them at once: a saved change never turns into an error
  because Redis is down.
- `notification_send` takes one row under a row lock and moves it through
  pending/retry → sending → sent | retry | failed. A row that is not pending
  or due is refused, so a task run twice, a redelivered message or a sweep
  racing a task sends nothing twice.
- `outbox_dispatch` (beat, and `manage.py dispatch_outbox`) publishes rows
  left pending or due for a retry, and returns rows stuck in `sending` (their
  worker died) to `retry`. Run by hand it takes everything waiting, now.
Delays live in rows (`next_attempt_at`), never in Celery countdowns, so that
no message waits in Redis longer than its visibility timeout.
"""

import hashlib
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import formataddr
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .backends import OUTBOX_HEADER
from .enums import SENDABLE, NotificationStatus
from .models import Notification, SendOut
from .registry import PermanentFailure, render

logger = logging.getLogger(__name__)

PUBLISH_CHUNK = 500
# The last error of a pending row the broker refused: the sweep sends such a row at once.
NOT_QUEUED = "Not queued: the broker could not be reached; the outbox sweep sends it."


def _setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


@dataclass(frozen=True)
class OutgoingMessage:
    """One message a domain app hands to the outbox."""

    kind: str
    recipient_email: str
    idempotency_key: str
    recipient_name: str = ""
    language: str = "en"
    payload: dict = field(default_factory=dict)
    # When to send; None is now. Later messages wait in the outbox for the sweep.
    due_at: datetime | None = None


def sendout_create(*, kind: str, program_id: int | None = None, created_by: Any = None, label: str = "") -> SendOut:
    """Start a batch that notifications can belong to (for progress on the organiser's page).

    `label` says what or whom it is about (a survey's title, the people chosen); it is cut to fit."""
    # Only a login is recorded: anonymous users and API clients (not users) leave it empty.
    user = created_by if isinstance(created_by, get_user_model()) else None
    label = " ".join(label.split())
    if len(label) > 300:
        label = label[:299] + "…"
    return SendOut.objects.create(kind=kind, program_id=program_id, created_by=user, label=label)


@transaction.atomic
def notification_enqueue(*, messages: Iterable[OutgoingMessage], sendout: SendOut | None = None) -> list[int]:
    """Write a row per message whose idempotency key is new; return the ids of the rows written.

    Rows due now are published to Celery after the transaction commits; if
    the broker refuses, they stay pending (logged) and the sweep sends them.
    A message whose key already exists writes nothing: enqueueing is idempotent."""
    now = timezone.now()
    by_key: dict[str, OutgoingMessage] = {}
    for message in messages:
        by_key.setdefault(message.idempotency_key, message)
    if not by_key:
        return []
    keys = list(by_key)
    existing: set[str] = set()
    for start in range(0, len(keys), PUBLISH_CHUNK):
        chunk = keys[start : start + PUBLISH_CHUNK]
        existing.update(
            Notification.objects.filter(idempotency_key__in=chunk).values_list("idempotency_key", flat=True)
        )
    rows = [
        Notification(
            sendout=sendout,
            kind=message.kind,
            recipient_email=message.recipient_email,
            recipient_name=message.recipient_name[:300],
            language=message.language,
            payload=message.payload,
            idempotency_key=key,
            next_attempt_at=message.due_at or now,
        )
        for key, message in by_key.items()
        if key not in existing
    ]
    # A concurrent enqueue of the same key loses quietly to the unique constraint.
    Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=PUBLISH_CHUNK)
    new_keys = [row.idempotency_key for row in rows]
    ids: list[int] = []
    due_ids: list[int] = []
    for start in range(0, len(new_keys), PUBLISH_CHUNK):
        chunk = new_keys[start : start + PUBLISH_CHUNK]
        for pk, due in Notification.objects.filter(idempotency_key__in=chunk, created_at__gte=now).values_list(
            "pk", "next_attempt_at"
        ):
            ids.append(pk)
            if due <= now:
                due_ids.append(pk)
    if due_ids:
        transaction.on_commit(lambda: publish(notification_ids=sorted(due_ids)), robust=True)
    return sorted(ids)


def publish(*, notification_ids: Sequence[int]) -> int:
    """Hand rows to Celery, by id, over one broker connection; return how many were published.

    Never raises: a broker that refuses leaves the rest pending for the sweep."""
    from .tasks import task_send_notification  # the task module imports this one

    published = 0
    try:
        app = task_send_notification.app
        if app.conf.task_always_eager:
            for pk in notification_ids:
                task_send_notification.apply_async(kwargs={"notification_id": pk})
                published += 1
            return published
        with app.producer_or_acquire() as producer:
            for pk in notification_ids:
                task_send_notification.apply_async(kwargs={"notification_id": pk}, producer=producer, retry=False)
                published += 1
    except Exception:
        logger.warning(
            "Broker refused notifications; %d of %d left pending for the outbox sweep",
            len(notification_ids) - published,
            len(notification_ids),
            exc_info=True,
        )
        _mark_not_queued(notification_ids=notification_ids[published:])
    return published


def _mark_not_queued(*, notification_ids: Sequence[int]) -> None:
    """Make rows the broker refused due for the very next sweep (no grace period: no task of theirs exists)."""
    try:
        for start in range(0, len(notification_ids), PUBLISH_CHUNK):
            chunk = list(notification_ids[start : start + PUBLISH_CHUNK])
            Notification.objects.filter(pk__in=chunk, status=NotificationStatus.PENDING).update(last_error=NOT_QUEUED)
    except Exception:  # the database is down too: the grace period still brings them to the sweep
        logger.warning("Could not mark %d notifications as not queued", len(notification_ids), exc_info=True)


def _message_id(notification: Notification) -> str:
    # The same for every attempt, derived from the idempotency key: if a
    # message ever went out twice (the worker died between SMTP's "250 OK" and
    # our commit), mail systems see one Message-ID and can drop the copy.
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    digest = hashlib.sha256(notification.idempotency_key.encode()).hexdigest()[:32]
    return f"<{digest}@{domain}>"


def _claim(*, notification_id: int, now: datetime) -> Notification | None:
    """Take the row for sending, or None if it is not ours to send (locked, sent, not due)."""
    with transaction.atomic():
        row = Notification.objects.select_for_update(skip_locked=True).filter(pk=notification_id).first()
        if row is None or row.status not in SENDABLE or row.next_attempt_at > now:
            return None
        claimed = Notification.objects.filter(pk=row.pk, status=row.status, attempts=row.attempts).update(
            status=NotificationStatus.SENDING, attempts=row.attempts + 1, claimed_at=now
        )
        if not claimed:
            return None
        row.status = NotificationStatus.SENDING
        row.attempts += 1
        row.claimed_at = now
        return row


def _build_email(row: Notification) -> EmailMultiAlternatives:
    message = render(row.kind, row.payload, row.language)
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[formataddr((row.recipient_name, row.recipient_email)) if row.recipient_name else row.recipient_email],
        headers={"Message-ID": _message_id(row), OUTBOX_HEADER: row.idempotency_key},
    )
    if message.html:
        email.attach_alternative(message.html, "text/html")
    for attachment in message.attachments:
        email.attach(attachment.filename, attachment.content, attachment.mimetype)
    row.subject = message.subject[:300]
    return email


def _finish(row: Notification, **fields: Any) -> bool:
    """Record the outcome, unless the sweep took the row back meanwhile."""
    return bool(
        Notification.objects.filter(pk=row.pk, status=NotificationStatus.SENDING, attempts=row.attempts).update(
            **fields
        )
    )


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff: base, 2·base, 4·base, … capped at an hour."""
    base = int(_setting("NOTIFICATION_RETRY_BACKOFF_SECONDS", 60))
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 3600))


def notification_send(*, notification_id: int, now: datetime | None = None) -> str:
    """Send one row if it is pending or due for a retry; return the row's new status or "skipped".

    The row is taken (→ sending) under a lock and committed before SMTP is
    spoken to; a second call finds it taken and does nothing. An SMTP or
    rendering error puts it back to `retry` with backoff, and after
    `NOTIFICATION_MAX_ATTEMPTS` to `failed` with the error; a permanent
    failure (the renderer's subject is gone) fails it at once."""
    now = now or timezone.now()
    row = _claim(notification_id=notification_id, now=now)
    if row is None:
        return "skipped"
    max_attempts = int(_setting("NOTIFICATION_MAX_ATTEMPTS", 5))
    try:
        email = _build_email(row)
        email.send(fail_silently=False)
    except PermanentFailure as exc:
        _finish(row, status=NotificationStatus.FAILED, last_error=str(exc)[:2000], claimed_at=None)
        logger.error("Notification %s failed for good: %s", row.pk, exc)
        return NotificationStatus.FAILED
    except Exception as exc:  # noqa: BLE001 - any failure to send (SMTP, network, a template) is recorded and retried
        error = f"{type(exc).__name__}: {exc}"[:2000]
        if row.attempts >= max_attempts:
            _finish(row, status=NotificationStatus.FAILED, last_error=error, claimed_at=None, subject=row.subject)
            logger.error("Notification %s failed after %d attempts: %s", row.pk, row.attempts, error)
            return NotificationStatus.FAILED
        _finish(
            row,
            status=NotificationStatus.RETRY,
            last_error=error,
            claimed_at=None,
            next_attempt_at=now + retry_delay(row.attempts),
            subject=row.subject,
        )
        logger.warning("Notification %s attempt %d failed, will retry: %s", row.pk, row.attempts, error)
        return NotificationStatus.RETRY
    _finish(row, status=NotificationStatus.SENT, sent_at=timezone.now(), claimed_at=None, subject=row.subject)
    return NotificationStatus.SENT


def outbox_dispatch(
    *, now: datetime | None = None, limit: int = 5000, everything_waiting: bool = False
) -> dict[str, int]:
    """The sweep: publish rows left pending or due for a retry; take back rows stuck in `sending`.

    A pending row gets `NOTIFICATION_PENDING_GRACE_SECONDS` for its own task
    (published on commit) before the sweep publishes it again, unless the broker
    refused that task (then it is due at once); a row in `sending` for longer
    than `NOTIFICATION_SENDING_TIMEOUT_SECONDS` lost its worker and goes back to
    `retry` (or `failed` when out of attempts).

    `everything_waiting` (the command run by hand, after an outage) skips the
    grace period and the retries' backoff: every row that is due or waiting to
    retry is published now. Rows scheduled for later stay. Publishing a row
    twice is harmless: the row's state lets only one task send it."""
    now = now or timezone.now()
    grace = timedelta(seconds=0 if everything_waiting else int(_setting("NOTIFICATION_PENDING_GRACE_SECONDS", 60)))
    stuck_before = now - timedelta(seconds=int(_setting("NOTIFICATION_SENDING_TIMEOUT_SECONDS", 600)))
    max_attempts = int(_setting("NOTIFICATION_MAX_ATTEMPTS", 5))
    stuck = Notification.objects.filter(status=NotificationStatus.SENDING, claimed_at__lt=stuck_before)
    error = "The worker sending this message stopped before it finished."
    failed = stuck.filter(attempts__gte=max_attempts).update(
        status=NotificationStatus.FAILED, last_error=error, claimed_at=None
    )
    recovered = stuck.update(status=NotificationStatus.RETRY, last_error=error, claimed_at=None, next_attempt_at=now)
    if everything_waiting:
        Notification.objects.filter(status=NotificationStatus.RETRY, next_attempt_at__gt=now).update(
            next_attempt_at=now
        )
    due = (
        Notification.objects.filter(
            Q(status=NotificationStatus.PENDING, next_attempt_at__lte=now - grace)
            | Q(status=NotificationStatus.PENDING, next_attempt_at__lte=now, last_error=NOT_QUEUED)
            | Q(status=NotificationStatus.RETRY, next_attempt_at__lte=now)
        )
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    ids = list(due)
    published = publish(notification_ids=ids) if ids else 0
    if ids or recovered or failed:
        logger.info(
            "Outbox sweep: %d due, %d published, %d recovered, %d failed", len(ids), published, recovered, failed
        )
    return {"due": len(ids), "published": published, "recovered": recovered, "failed": failed}


@transaction.atomic
def notification_retry(*, notification_ids: Iterable[int]) -> int:
    """Give failed (or waiting) rows another go now, with a fresh attempt budget; return how many."""
    ids = list(
        Notification.objects.select_for_update()
        .filter(pk__in=list(notification_ids), status__in=[NotificationStatus.FAILED, NotificationStatus.RETRY])
        .values_list("pk", flat=True)
    )
    Notification.objects.filter(pk__in=ids).update(
        status=NotificationStatus.RETRY, attempts=0, next_attempt_at=timezone.now(), claimed_at=None
    )
    if ids:
        transaction.on_commit(lambda: publish(notification_ids=ids), robust=True)
    return len(ids)


ERASED_EMAIL = "erased@invalid.invalid"


def notifications_erase_recipient(*, key: str, values: Iterable[Any]) -> int:
    """Forget who the messages whose payload's `key` is one of `values` were for (their
    recipient's personal data was erased): the address and name are blanked, and those not
    sent yet fail instead of going out. Returns how many rows were changed."""
    values = list(values)
    if not values:
        return 0
    rows = Notification.objects.filter(**{f"payload__{key}__in": values})
    rows.filter(status__in=[NotificationStatus.PENDING, NotificationStatus.RETRY]).update(
        status=NotificationStatus.FAILED, last_error="Not sent: the recipient's personal data was erased."
    )
    # A row in `sending` keeps its address for the worker holding it; its renderer refuses the erased person.
    return rows.exclude(status=NotificationStatus.SENDING).update(recipient_email=ERASED_EMAIL, recipient_name="")
