"""`manage.py reencrypt_visitor_details`: after putting a new key first in FIELD_ENCRYPTION_KEYS,
encrypt every visitor's ID details with it, so that the old key can be dropped."""

from django.core.management.base import BaseCommand

from participants.services import visitor_details_reencrypt


class Command(BaseCommand):
    help = "Encrypt all visitors' ID details again with the first key of FIELD_ENCRYPTION_KEYS."

    def handle(self, *args, **options) -> None:
        count = visitor_details_reencrypt()
        self.stdout.write(f"Re-encrypted the ID details of {count} participant(s).")
