"""`manage.py add_organiser USERNAME SLUG [--email E]`: let a login organise a program in the admin.

Creates the login if it is missing and then prints its one-time password as the
last line; an existing login keeps its password and nothing secret is printed.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from programs.models import Program
from programs.services import organiser_add


class Command(BaseCommand):
    help = (
        "Make USERNAME (created if missing) a staff organiser of the program SLUG. "
        "A new login's one-time password is printed as the last line."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("slug", help="the program's slug")
        parser.add_argument("--email", default=None, help="the login's e-mail (for a new login, or one without)")

    def handle(self, *args, username: str, slug: str, email: str | None, **options):
        program = Program.objects.filter(slug=slug).first()
        if program is None:
            raise CommandError(f"No program with slug “{slug}”. Known: {', '.join(_slugs()) or 'none'}.")
        try:
            user, password = organiser_add(program=program, username=username, email=email)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(f"{user.get_username()} organises “{program.title}” ({program.slug}) and may use /admin/.")
        if password is not None:
            self.stdout.write("New login; its password is shown only now (change it after the first login):")
            self.stdout.write(password)


def _slugs() -> list[str]:
    return list(Program.objects.order_by("slug").values_list("slug", flat=True)[:20])
