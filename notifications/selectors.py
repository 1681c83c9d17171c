"""Shaped reads of the outbox: a send-out's progress, the messages about someone."""

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Q, QuerySet

from .enums import QUEUED, NotificationStatus
from .models import Notification, SendOut


def sendout_progress(*, sendout: SendOut) -> dict[str, int]:
    """How far a send-out got: queued (not finished yet), sent, failed, total. One query."""
    counts = Notification.objects.filter(sendout=sendout).aggregate(
        total=Count("id"),
        queued=Count("id", filter=Q(status__in=QUEUED)),
        sent=Count("id", filter=Q(status=NotificationStatus.SENT)),
        failed=Count("id", filter=Q(status=NotificationStatus.FAILED)),
    )
    return {"queued": counts["queued"], "sent": counts["sent"], "failed": counts["failed"], "total": counts["total"]}


def sendouts_with_progress(*, queryset: QuerySet[SendOut]) -> QuerySet[SendOut]:
    """These send-outs with their progress counted in the same query (`progress_sent`,
    `progress_queued`, `progress_failed`, `progress_total`) and their program and author joined."""
    return queryset.select_related("program", "created_by").annotate(
        progress_total=Count("notifications"),
        progress_queued=Count("notifications", filter=Q(notifications__status__in=QUEUED)),
        progress_sent=Count("notifications", filter=Q(notifications__status=NotificationStatus.SENT)),
        progress_failed=Count("notifications", filter=Q(notifications__status=NotificationStatus.FAILED)),
    )


def existing_idempotency_keys(*, keys: Iterable[str]) -> set[str]:
    """Which of these keys the outbox already holds (to skip building messages it would refuse)."""
    keys = list(keys)
    found: set[str] = set()
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        found.update(Notification.objects.filter(idempotency_key__in=chunk).values_list("idempotency_key", flat=True))
    return found


def notifications_by_payload(*, key: str, values: Iterable[Any]) -> list[dict[str, Any]]:
    """The messages whose payload's `key` is one of `values` (e.g. the messages about one
    participant), oldest first, as plain data for a personal data export. One query."""
    values = list(values)
    if not values:
        return []
    rows = Notification.objects.filter(**{f"payload__{key}__in": values}).order_by("created_at", "id")
    return [
        {
            "kind": row.kind,
            "subject": row.subject,
            "recipient_email": row.recipient_email,
            "recipient_name": row.recipient_name,
            "language": row.language,
            "status": row.status,
            "attempts": row.attempts,
            "created_at": row.created_at.isoformat(),
            "sent_at": row.sent_at.isoformat() if row.sent_at else None,
            "last_error": row.last_error,
            "payload": row.payload,
        }
        for row in rows
    ]


def payload_values_of_kind(*, kind: str, program_id: int, key: str, exclude_failed: bool = True) -> set[Any]:
    """The payload values under `key` (e.g. participant ids) of this program's messages of this
    kind, sent or on their way (failed ones left out unless `exclude_failed` is false). One query."""
    rows = Notification.objects.filter(kind=kind, sendout__program_id=program_id)
    if exclude_failed:
        rows = rows.exclude(status=NotificationStatus.FAILED)
    return {value for value in rows.values_list(f"payload__{key}", flat=True).distinct() if value is not None}


def sendout_messages(*, sendout: SendOut) -> QuerySet[Notification]:
    """A send-out's messages, for its progress page: who, status, when sent, the last error."""
    return (
        Notification.objects.filter(sendout=sendout)
        .only("recipient_name", "recipient_email", "status", "sent_at", "last_error", "attempts", "sendout_id")
        .order_by("recipient_name", "id")
    )
