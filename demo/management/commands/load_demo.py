"""`manage.py load_demo [--scale N]`: the demo program, and an organiser login."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.data import ORGANISER_PASSWORD, ORGANISER_USERNAME, load_demo


class Command(BaseCommand):
    help = "Create the demo program (idempotent). --scale N builds it N times larger for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1, help="size multiplier (10: ~1,000 participants)")

    def handle(self, *args, scale: int, **options):
        if scale < 1 or scale > 100:
            raise CommandError("--scale must be between 1 and 100.")
        program, created = load_demo(scale=scale)
        verb = "Created" if created else "Already loaded, nothing changed:"
        self.stdout.write(
            f"{verb} “{program.title}” ({program.slug}): {program.groups.count()} groups, "
            f"{program.participants.count()} participants, {program.visits.count()} visits."
        )
        self.stdout.write(f"Organiser login: {ORGANISER_USERNAME} / {ORGANISER_PASSWORD} at {settings.SITE_URL}/admin/")
