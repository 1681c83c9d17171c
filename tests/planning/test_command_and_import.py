"""`manage.py propose_schedule` and the CSV import of windows and requests."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from planning.models import HostWindow, VisitRequest
from planning.services import requests_import, windows_import
from visits.models import SiteVisit


def test_the_command_prints_the_proposal_as_json_and_applies_it(plan):
    plan.window("A", 8, (9, 0), (18, 0))
    request = plan.ask("A", [plan.groups[0]])
    out = StringIO()

    call_command("propose_schedule", plan.program.slug, "--time-limit", "2", "--json", "--apply", stdout=out)

    data = json.loads(out.getvalue())
    assert data["status"] == "done"
    assert [row["request"] for row in data["visits"]] == [request.pk]
    assert data["applied_visits"] == list(SiteVisit.objects.values_list("pk", flat=True))


def test_the_command_in_words_names_the_unplaced(plan):
    plan.ask("C", [plan.groups[0]])
    out = StringIO()

    call_command("propose_schedule", plan.program.slug, "--time-limit", "1", stdout=out)

    assert "0/1 musts" in out.getvalue()
    assert "Damu has no window in this program." in out.getvalue()
    assert not SiteVisit.objects.exists()


@pytest.mark.parametrize("args", [["no-such-program"], ["{slug}", "--time-limit", "0"]])
def test_the_command_refuses_bad_arguments(plan, args):
    args = [arg.format(slug=plan.program.slug) for arg in args]
    with pytest.raises(CommandError):
        call_command("propose_schedule", *args, stdout=StringIO())


def test_the_command_while_a_proposal_is_being_made_says_so(plan):
    from planning.services import proposal_create

    waiting = proposal_create(program=plan.program, enqueue=False)

    with pytest.raises(CommandError, match=f"Proposal {waiting.pk} for this program is still being made"):
        call_command("propose_schedule", plan.program.slug, "--time-limit", "1", stdout=StringIO())


def test_windows_import_from_csv(plan):
    content = (
        "host,date,start,end,capacity\n"
        "Astana Hub,2026-12-08,10:00,13:00,2\n"
        f"{plan.hosts['C'].pk},2026-12-09,09:30,12:00,\n"
    ).encode()

    outcome = windows_import(program=plan.program, content=content)

    assert (outcome.created, outcome.errors) == (2, [])
    assert sorted(HostWindow.objects.values_list("host__name", "capacity")) == [("Astana Hub", 2), ("Damu", 1)]


def test_windows_import_names_row_and_column_and_writes_nothing(plan):
    content = (
        b"host,date,start,end\n"
        b"Astana Hub,2026-12-08,10:00,13:00\n"
        b"Nowhere Ltd,2026-12-08,10:00,13:00\n"
        b"Damu,2026-12-31,10:00,13:00\n"
        b"Damu,2026-12-09,25:00,13:00\n"
    )

    outcome = windows_import(program=plan.program, content=content)

    assert outcome.created == 0
    assert [(error["row"], error["column"]) for error in outcome.errors] == [
        (3, "host"),
        (4, "starts_at"),
        (5, "start"),
    ]
    assert not HostWindow.objects.exists()


def test_requests_import_from_csv(plan):
    g1, g2, _ = plan.groups
    content = (
        "groups;host;duration_minutes;priority;title;not_before;not_after\n"
        "Group 1|Group 2;Astana Hub;90;should;Hub;2026-12-08;2026-12-09\n"
        f"{g1.pk};Damu;60;;;;\n"
    ).encode()

    outcome = requests_import(program=plan.program, content=content)

    assert (outcome.created, outcome.errors) == (2, [])
    hub = VisitRequest.objects.get(host__name="Astana Hub")
    assert sorted(hub.groups.values_list("pk", flat=True)) == sorted([g1.pk, g2.pk])
    assert hub.priority == "should"


def test_requests_import_names_row_and_column(plan):
    content = b"groups,host,duration_minutes\nGroup 9,Damu,60\nGroup 1,Damu,0\nGroup 1,Damu,lots\n"

    outcome = requests_import(program=plan.program, content=content)

    assert [(error["row"], error["column"]) for error in outcome.errors] == [
        (2, "groups"),
        (3, "duration_minutes"),
        (4, "duration_minutes"),
    ]
    assert not VisitRequest.objects.exists()


def test_windows_import_refuses_numbers_and_times_it_cannot_read_naming_row_and_column(plan):
    # "²" is a digit to str.isdigit() but no number to int(); an offset would be silently dropped
    # (the times are the program's local ones), so 13:00Z would have become 13:00 in Astana.
    content = (
        "host,date,start,end,capacity\n"
        "Astana Hub,2026-12-08,10:00,13:00,²\n"
        "²,2026-12-08,10:00,13:00,1\n"
        "Damu,2026-12-09,10:00,13:00Z,1\n"
        "Damu,2026-12-10,10:00+05:00,13:00,1\n"
    ).encode()

    outcome = windows_import(program=plan.program, content=content)

    assert [(error["row"], error["column"]) for error in outcome.errors] == [
        (2, "capacity"),
        (3, "host"),
        (4, "end"),
        (5, "start"),
    ]
    assert not HostWindow.objects.exists()


def test_requests_import_refuses_a_duration_that_is_no_number(plan):
    content = "groups,host,duration_minutes\nGroup 1,Damu,²\nGroup 1,²,60\n".encode()

    outcome = requests_import(program=plan.program, content=content)

    assert [(error["row"], error["column"]) for error in outcome.errors] == [(2, "duration_minutes"), (3, "host")]
    assert not VisitRequest.objects.exists()
