"""`manage.py export_participant ID`: everything held about one participant, as JSON."""

import json

from django.core.management.base import BaseCommand, CommandError

from participants.models import Participant
from participants.privacy import participant_export


class Command(BaseCommand):
    help = "Print everything the portal holds about one participant as JSON."

    def add_arguments(self, parser):
        parser.add_argument("participant_id", type=int)

    def handle(self, *args, participant_id: int, **options):
        participant = Participant.objects.select_related("program", "group", "user").filter(pk=participant_id).first()
        if participant is None:
            raise CommandError(f"No participant with id {participant_id}.")
        self.stdout.write(json.dumps(participant_export(participant=participant), ensure_ascii=False, indent=2))
