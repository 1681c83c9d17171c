"""`manage.py dispatch_outbox`: the outbox sweep by hand, e.g. once Redis is back after an outage."""

from django.core.management.base import BaseCommand

from notifications.services import outbox_dispatch


class Command(BaseCommand):
    help = (
        "Publish every outbox row that is waiting, now: rows left pending (also those written a moment "
        "ago, without the beat sweep's grace period) and rows waiting to retry (without their backoff); "
        "rows scheduled for later stay. Also takes back rows stuck in sending. Each row is still sent once."
    )

    def handle(self, *args, **options):
        result = outbox_dispatch(everything_waiting=True)
        self.stdout.write(
            f"{result['due']} due, {result['published']} published, "
            f"{result['recovered']} taken back from a stopped worker, {result['failed']} failed"
        )
