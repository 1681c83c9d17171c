"""Thin Celery task run by beat for surveys; the work is in `surveys.services`."""

from celery import shared_task

from .services import surveys_send_due


@shared_task(name="surveys.send_due_surveys", acks_late=True, ignore_result=True)
def task_send_due_surveys() -> dict[str, int]:
    return surveys_send_due()
