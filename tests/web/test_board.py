"""The schedule board and the dashboard: blocks placed by time, links, fixed query counts."""

import io
import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import HostOrganisationFactory, ParticipantFactory, ProjectGroupFactory, local
from visits.services import visit_cancel, visit_create

from .conftest import url

pytestmark = pytest.mark.django_db

DAY = date(2026, 12, 8)


def block_html(body: str, visit_pk: int, group_pk: int | None = None) -> str:
    """The visit's (first) block; with `group_pk`, it must cover that group."""
    match = re.search(rf'<a class="block[^"]*"\s+id="visit-{visit_pk}".*?</a>', body, re.S)
    assert match, f"no block for visit {visit_pk}"
    if group_pk is not None:
        groups = re.search(r'data-groups="([\d,]*)"', match.group(0)).group(1).split(",")
        assert str(group_pk) in groups, f"visit {visit_pk}'s block is not in group {group_pk}'s column"
    return match.group(0)


def test_board_places_a_visit_by_its_local_time(client, program, group, other_group, host):
    visit = visit_create(
        program=program, groups=[group], host=host, title="Nazarbayev University", kind="lecture",
        starts_at=local(program, DAY, 11), ends_at=local(program, DAY, 14),
    )  # fmt: skip

    body = client.get(url(program, "board/?day=2026-12-08")).content.decode()

    block = block_html(body, visit.pk, group.pk)
    # The window is 08:00–20:00 (720 minutes): 11:00 is 180 minutes in, 3 hours long.
    assert "top: 25.000%; height: 25.000%" in block
    assert "kind--lecture" in block
    assert "11:00–14:00" in block
    assert "Nazarbayev University" in block
    assert f'href="{url(program, f"visits/{visit.pk}/")}"' in block
    # Group 1 is the first column of two: the block covers it alone.
    assert 'data-column="0" data-span="1"' in block
    assert "left: calc(0.000% + 3px); width: calc(50.000% - 6px)" in block
    assert body.count(f'data-visit="{visit.pk}"') == 1


def test_board_window_widens_to_fit_an_early_visit(client, program, group, host):
    visit = visit_create(
        program=program, groups=[group], host=host, title="Breakfast briefing",
        starts_at=local(program, DAY, 6, 30), ends_at=local(program, DAY, 8),
    )  # fmt: skip

    body = client.get(url(program, "board/?day=2026-12-08")).content.decode()

    # 06:00–20:00 is 840 minutes; 06:30 is 30 minutes in.
    assert "top: 3.571%; height: 10.714%" in block_html(body, visit.pk, group.pk)
    assert ">06:00<" in body


def test_board_strikes_through_cancelled_visits(client, program, group, host):
    visit = visit_create(
        program=program, groups=[group], host=host, title="Zerde holding",
        starts_at=local(program, DAY, 10), ends_at=local(program, DAY, 11),
    )  # fmt: skip
    visit_cancel(visit=visit)

    block = block_html(client.get(url(program, "board/?day=2026-12-08")).content.decode(), visit.pk, group.pk)

    assert "is-cancelled" in block
    assert "(cancelled)" in block


def test_board_offers_new_visit_links_on_free_hours_only(client, program, group, host):
    visit_create(
        program=program, groups=[group], host=host, title="Busy",
        starts_at=local(program, DAY, 10), ends_at=local(program, DAY, 12),
    )  # fmt: skip

    body = client.get(url(program, "board/?day=2026-12-08")).content.decode()

    new = url(program, "visits/new/")
    assert f"{new}?group={group.pk}&amp;start=2026-12-08T09:00" in body
    assert f"{new}?group={group.pk}&amp;start=2026-12-08T12:00" in body
    assert f"{new}?group={group.pk}&amp;start=2026-12-08T10:00" not in body
    assert f"{new}?group={group.pk}&amp;start=2026-12-08T11:00" not in body
    assert "New visit for Group 1: Digital state at 09:00" in body


def test_board_whole_program_view_shows_every_day(client, program, group, host):
    first = visit_create(
        program=program, groups=[group], host=host, title="Opening",
        starts_at=local(program, program.start_date, 10), ends_at=local(program, program.start_date, 11),
    )  # fmt: skip
    last = visit_create(
        program=program, groups=[group], host=host, title="Closing",
        starts_at=local(program, program.end_date, 10), ends_at=local(program, program.end_date, 11),
    )  # fmt: skip

    body = client.get(url(program, "board/?view=all")).content.decode()

    assert f'id="visit-{first.pk}"' in body
    assert f'id="visit-{last.pk}"' in body
    assert body.count('class="board__day"') == (program.end_date - program.start_date).days + 1


@pytest.mark.parametrize("day", ["2026-13-01", "yesterday", "2027-05-01"])
def test_board_bad_day_is_404(client, program, day):
    assert client.get(url(program, f"board/?day={day}")).status_code == 404


def _fill(program, groups_count: int, per_group: int):
    hosts = [HostOrganisationFactory(), HostOrganisationFactory()]
    groups = [ProjectGroupFactory(program=program) for _ in range(groups_count)]
    for index, group in enumerate(groups):
        ParticipantFactory.create_batch(per_group, program=program, group=group)
        for slot in range(per_group):
            visit_create(
                program=program, groups=[group], host=hosts[(index + slot) % 2], title=f"Visit {index}.{slot}",
                starts_at=local(program, DAY, 8 + slot), ends_at=local(program, DAY, 8 + slot, 45),
            )  # fmt: skip
    visit_create(
        program=program, groups=groups, host=hosts[0], title="Plenary",
        starts_at=local(program, DAY, 18), ends_at=local(program, DAY, 19),
    )  # fmt: skip


# session, user, organiser check (once: the program lookup reuses the page guard's answer),
# whether the organiser has an authenticator app (a session without a code asks),
# program, groups, visits with hosts, bookings, the warnings' neighbouring bookings;
# the organiser's last board action (to undo); in the day view, for the Shift and Duplicate forms
# (visits.selectors.board_tools, cached with the grid): groups, the day's visits; the hosts'
# counter-proposals to accept or refuse (visits.selectors.board_host_proposals, cached with the grid)
BOARD_QUERIES = 13
WHOLE_BOARD_QUERIES = 11
# the dashboard: session, user, organiser check, authenticator app, program, groups with sizes,
# participant count, visits, bookings, warnings, send-outs, survey response rates
DASHBOARD_QUERIES = 13  # ... and the host answers still open


@pytest.mark.parametrize("size", [1, 4])
def test_board_day_view_query_count_is_fixed(client, program, size, django_assert_num_queries):
    _fill(program, size, size)

    with django_assert_num_queries(BOARD_QUERIES):
        response = client.get(url(program, "board/?day=2026-12-08"))

    # One block per visit: the plenary of every group is one block across their columns.
    assert response.content.decode().count('<a class="block') == size * size + 1


@pytest.mark.parametrize("size", [1, 4])
def test_board_whole_view_query_count_is_fixed(client, program, size, django_assert_num_queries):
    _fill(program, size, size)

    with django_assert_num_queries(WHOLE_BOARD_QUERIES):
        client.get(url(program, "board/?view=all"))


@pytest.mark.parametrize("size", [1, 4])
def test_dashboard_query_count_is_fixed(client, program, size, django_assert_num_queries):
    _fill(program, size, size)

    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = client.get(url(program))

    body = response.content.decode()
    noun = "participant" if size == 1 else "participants"
    assert f'<span class="stats__number">{size * size}</span> {noun}<' in body


def test_dashboard_shows_counts_agenda_and_warnings(client, program, group, other_group):
    academy, hub = HostOrganisationFactory(name="Academy"), HostOrganisationFactory(name="Astana Hub")
    ParticipantFactory.create_batch(2, program=program, group=group)
    visit_create(
        program=program, groups=[group], host=academy, title="Opening lecture",
        starts_at=local(program, program.start_date, 10), ends_at=local(program, program.start_date, 11),
    )  # fmt: skip
    visit_create(
        program=program, groups=[group], host=hub, title="Hub tour",
        starts_at=local(program, program.start_date, 11, 10), ends_at=local(program, program.start_date, 12),
    )  # fmt: skip

    body = client.get(url(program)).content.decode()

    assert '<span class="stats__number">2</span> groups' in body
    assert '<span class="stats__number">2</span> participants' in body
    # The program lies ahead, so the first two days stand in for today and tomorrow.
    assert "Day 1 · Mon 7 Dec" in body
    assert "Opening lecture" in body
    assert "Hub tour" in body
    assert "has only 10 minutes to travel" in body


def test_board_and_dashboard_query_counts_match_at_demo_scale_1_and_2(client, organiser):
    from django.core.management import call_command

    from programs.models import Program

    counts = {}
    for scale in (1, 2):
        Program.objects.all().delete()
        call_command("load_demo", scale=scale, stdout=io.StringIO())
        program = Program.objects.get()
        program.organisers.add(organiser)
        with CaptureQueriesContext(connection) as board_queries:
            board = client.get(url(program, "board/?day=2026-12-08"))
        with CaptureQueriesContext(connection) as dashboard_queries:
            client.get(url(program))
        assert board.status_code == 200
        assert board.content.decode().count('<a class="block') >= 16 * scale
        counts[scale] = (len(board_queries), len(dashboard_queries))

    assert counts[1] == counts[2]


@pytest.mark.parametrize(
    ("count", "words"),
    [(1, "участник"), (3, "участника"), (5, "участников"), (21, "участник")],
)
def test_dashboard_counts_participants_with_russian_plural_forms(client, program, group, count, words):
    ParticipantFactory.create_batch(count, program=program, group=group)

    body = client.get(url(program), HTTP_ACCEPT_LANGUAGE="ru").content.decode()

    assert f'<span class="stats__number">{count}</span> {words}<' in body
    assert '<span class="stats__number">1</span> группа<' in body
