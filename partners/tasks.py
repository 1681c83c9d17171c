"""Celery tasks for webhooks: thin wrappers around partners.services."""

from celery import shared_task

from .services import webhook_delivery_send, webhooks_dispatch_due

# Retries beyond the row's own attempt budget are refused by the service anyway.
MAX_TASK_RETRIES = 10


@shared_task(name="partners.deliver_webhook", bind=True, acks_late=True, max_retries=MAX_TASK_RETRIES)
def task_deliver_webhook(self, *, delivery_id: int) -> str:
    outcome = webhook_delivery_send(delivery_id=delivery_id)
    if outcome.retry_in is not None:
        raise self.retry(countdown=outcome.retry_in)
    return outcome.status


@shared_task(name="partners.dispatch_webhooks", acks_late=True)
def task_dispatch_webhooks() -> dict[str, int]:
    return webhooks_dispatch_due()
