"""The proposer's Celery task, routed to the `planning` queue (settings.CELERY_TASK_ROUTES), so
that a long solve never delays mail or webhooks: `celery -A internship_portal worker -Q planning`."""

from celery import shared_task

from .services import proposal_run


@shared_task(name="planning.run_proposal", acks_late=True, ignore_result=True)
def task_run_proposal(*, proposal_id: int) -> None:
    proposal_run(proposal_id=proposal_id)
