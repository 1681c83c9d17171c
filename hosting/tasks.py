"""Thin Celery tasks run by beat; the work is in `hosting.services`."""

from celery import shared_task

from .services import host_requests_remind


@shared_task(name="hosting.remind_unanswered_hosts", acks_late=True, ignore_result=True)
def task_remind_unanswered_hosts() -> int:
    return host_requests_remind()
