"""Thin Celery tasks of the outbox: ids in, the services do the work.

`acks_late`: a worker that dies mid-send leaves the message in Redis to be
delivered again; the row's state machine makes the second run harmless.
"""

from celery import shared_task

from .services import notification_send, outbox_dispatch


@shared_task(name="notifications.send_notification", acks_late=True, ignore_result=True)
def task_send_notification(*, notification_id: int) -> str:
    return notification_send(notification_id=notification_id)


@shared_task(name="notifications.dispatch_outbox", acks_late=True, ignore_result=True)
def task_dispatch_outbox() -> dict[str, int]:
    return outbox_dispatch()
