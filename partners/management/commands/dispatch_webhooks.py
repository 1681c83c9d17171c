"""`manage.py dispatch_webhooks`: send every pending webhook delivery that is due (also a beat task)."""

from django.core.management.base import BaseCommand

from partners.services import webhooks_dispatch_due


class Command(BaseCommand):
    help = "Send the webhook deliveries that are pending and due (after a broker outage, or on a schedule)."

    def handle(self, *args, **options):
        counts = webhooks_dispatch_due()
        summary = ", ".join(f"{status}: {count}" for status, count in sorted(counts.items())) or "nothing due"
        self.stdout.write(f"Webhook deliveries: {summary}.")
