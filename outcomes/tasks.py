"""Celery tasks of outcomes (thin: the services do the work)."""

from celery import shared_task

from .services import certificate_archive_build


@shared_task(name="outcomes.build_certificate_archive", acks_late=True, ignore_result=True)
def task_build_certificate_archive(*, archive_id: int) -> None:
    certificate_archive_build(archive_id=archive_id)
