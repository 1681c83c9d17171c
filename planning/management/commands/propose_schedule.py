"""`manage.py propose_schedule SLUG [--time-limit S] [--keep-existing] [--apply] [--json]`:
propose a schedule for a program (solved here, in this process), print it, and optionally
apply it through the scheduling service."""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from internship_portal.errors import Conflict
from planning.enums import ProposalStatus
from planning.messages import reason_text
from planning.services import proposal_apply, proposal_create, proposal_run
from programs.models import Program


class Command(BaseCommand):
    help = "Propose a clash-free schedule from the program's host windows and visit requests."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--time-limit", type=int, default=None, help="seconds the solver may search (10)")
        parser.add_argument("--keep-existing", action="store_true", help="move as few applied visits as possible")
        parser.add_argument("--apply", action="store_true", help="put the proposal on the board")
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="print the proposal as the API gives it"
        )

    def handle(self, *args, slug, time_limit, keep_existing, apply, as_json, **options):
        program = Program.objects.filter(slug=slug).first()
        if program is None:
            raise CommandError(f"No program with the slug “{slug}”.")
        try:
            # Solved here: the command is its own worker, whatever the queue settings.
            proposal = proposal_create(
                program=program, time_limit_seconds=time_limit, keep_existing=keep_existing, enqueue=False
            )
            proposal = proposal_run(proposal_id=proposal.pk)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        except Conflict as exc:  # another proposal of the program is still being made
            raise CommandError(exc.message) from exc
        if proposal.status != ProposalStatus.DONE:
            raise CommandError(f"The proposal failed: {proposal.error}")
        applied = None
        if apply:
            try:
                applied = proposal_apply(proposal=proposal)
            except Conflict as exc:
                raise CommandError(exc.message) from exc
        if as_json:
            self._print_json(proposal, applied)
        else:
            self._print_text(program, proposal, applied)

    def _print_json(self, proposal, applied):
        from planning.api.serializers import ProposalOutputSerializer

        data = dict(ProposalOutputSerializer(proposal, context={"tzinfo": proposal.program.tzinfo}).data)
        if applied is not None:
            data["applied_visits"] = applied
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str))

    def _print_text(self, program, proposal, applied):
        stats = proposal.stats
        self.stdout.write(
            f"Proposal {proposal.pk} for {program.slug}: {stats['musts_placed']}/{stats['musts']} musts, "
            f"{stats['shoulds_placed']}/{stats['shoulds']} shoulds placed; travel {stats['travel_minutes']} min; "
            f"{stats['visits_added']} added, {stats['visits_moved']} moved, {stats['visits_unchanged']} unchanged; "
            f"{stats['solver_status']} in {stats['solve_seconds']} s (gap {stats['gap']:.2%})."
        )
        for row in proposal.visits:
            when = f"{row['starts_at'][:16]}–{row['ends_at'][11:16]}"
            self.stdout.write(f"  {when}  {row['title']}  groups {row['groups']}  [{row['change']}]")
        for row in proposal.unplaced:
            self.stdout.write(f"  unplaced request {row['request']}: {reason_text(row, start=program.start_date)}")
        if applied is not None:
            self.stdout.write(f"Applied: {len(applied)} visits on the board.")
