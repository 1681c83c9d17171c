"""Thin Celery tasks run by beat for the schedule's messages; the work is in `notices.services`."""

from celery import shared_task

from .services import change_notices_release_quiet, evening_reminders_enqueue, host_briefings_enqueue


@shared_task(name="notices.release_quiet_change_notices", acks_late=True, ignore_result=True)
def task_release_quiet_change_notices() -> int:
    return change_notices_release_quiet()


@shared_task(name="notices.send_evening_reminders", acks_late=True, ignore_result=True)
def task_send_evening_reminders() -> int:
    return evening_reminders_enqueue()


@shared_task(name="notices.send_host_briefings", acks_late=True, ignore_result=True)
def task_send_host_briefings() -> int:
    return host_briefings_enqueue()
