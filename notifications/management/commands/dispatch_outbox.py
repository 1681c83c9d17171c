"""`manage.py dispatch_outbox`: the outbox sweep by hand (what beat runs every half minute)."""

from django.core.management.base import BaseCommand

from notifications.services import outbox_dispatch


class Command(BaseCommand):
    help = "Publish outbox rows left pending or due for a retry, and take back rows stuck in sending."

    def handle(self, *args, **options):
        result = outbox_dispatch()
        self.stdout.write(
            f"{result['due']} due, {result['published']} published, "
            f"{result['recovered']} taken back from a stopped worker, {result['failed']} failed"
        )
