"""Celery tasks of the participants app (thin: the services do the work)."""

from celery import shared_task

from .privacy import participants_anonymise_expired
from .services import visitor_details_purge_expired


@shared_task(name="participants.anonymise_expired", acks_late=True)
def task_anonymise_expired() -> int:
    """Beat: anonymise participants whose program ended past the retention period."""
    return participants_anonymise_expired()


@shared_task(name="participants.purge_visitor_details", acks_late=True)
def task_purge_visitor_details() -> int:
    """Beat: delete visitors' ID details `VISITOR_DETAILS_RETENTION_DAYS` after their program ends."""
    return visitor_details_purge_expired()
