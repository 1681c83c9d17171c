"""`manage.py create_api_client NAME --scopes read,write [--program SLUG ...]`: print the token last."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from partners.services import api_client_create
from programs.models import Program


class Command(BaseCommand):
    help = "Register a partner app and print its API token (shown once) as the last line."

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("--scopes", default="read", help="comma-separated: read, write (default: read)")
        parser.add_argument(
            "--program", action="append", default=[], metavar="SLUG", help="limit to this program (repeatable)"
        )

    def handle(self, *args, name: str, scopes: str, program: list[str], **options):
        programs = list(Program.objects.filter(slug__in=program))
        missing = sorted(set(program) - {p.slug for p in programs})
        if missing:
            raise CommandError(f"No program with slug: {', '.join(missing)}")
        try:
            client, token = api_client_create(name=name, scopes=scopes.split(","), programs=programs)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        limit = ", ".join(p.slug for p in programs) or "all programs"
        self.stdout.write(f"Created API client “{client.name}” (scopes: {', '.join(client.scopes)}; {limit}).")
        self.stdout.write("The token is shown only now; keep it secret:")
        self.stdout.write(token)
