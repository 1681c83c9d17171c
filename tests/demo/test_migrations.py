"""An existing database holding the demo migrates to the new layout with every row kept: the
message records move from `visits` to `notices` keeping their tables, and a program marked as
having untold changes stays so."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from notices.services import programs_with_changes_untold, schedule_send
from programs.models import Program
from visits.services import visit_update

TABLES = (
    "programs_program",
    "participants_participant",
    "participants_projectgroup",
    "visits_hostorganisation",
    "visits_sitevisit",
    "visits_visitgroup",
    "visits_notifieditinerary",
    "notifications_notification",
)


def counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        result = {}
        for table in TABLES:
            cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 - our own table names
            result[table] = cursor.fetchone()[0]
        return result


# PostgreSQL only for now. On SQLite, unapplying visits.0005_content_translations remakes the hosts'
# table from a migration state that still holds `required_visitor_fields`, which the parallel
# branch visits.0005_hosts_in_the_loop had already removed from the table; SQLite reads the
# missing double-quoted column name as a string literal, and the JSON CHECK refuses it. Making the
# two branches one line would change the history of databases that applied them in either order,
# so the gap stays; production runs on PostgreSQL, where the round trip keeps every row.
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_database_with_the_demo_migrates_back_and_forth_with_every_row_kept(django_capture_on_commit_callbacks):
    call_command("load_demo", stdout=StringIO())
    program = Program.objects.get(slug="human-capital-2026")
    with django_capture_on_commit_callbacks(execute=False):
        schedule_send(program=program)  # records what each participant was sent
    first = program.visits.order_by("starts_at").first()
    visit_update(visit=first, meeting_point="Main entrance, hall B")  # a change not yet told
    before = counts()
    assert before["visits_notifieditinerary"] == before["participants_participant"] > 0

    # Back to the layout before the move (the notice records in `visits`, no program version) ...
    call_command("migrate", "notices", "zero", verbosity=0)
    call_command("migrate", "programs", "0002", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM visits_pendingchanges")
        assert cursor.fetchone()[0] == 1  # the untold change, as the old layout marks it
    assert counts() == before

    # ... and forward again, as a deploy of this release does.
    call_command("migrate", verbosity=0)

    assert counts() == before
    assert Program.objects.get(pk=program.pk) in programs_with_changes_untold()
