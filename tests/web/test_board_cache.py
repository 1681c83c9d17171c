"""The schedule board's grid comes from the cache while nothing shown changes, and shows every
change at once: a visit moved, renamed or cancelled, a host or group renamed, a new soft warning,
another language.

Each test first replaces the cached grid with a marker and sees it served, proving the cache
is used; then it changes one thing and sees the change instead of the marker.
"""

from datetime import date

import pytest
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key

from participants.services import group_update
from tests.factories import HostOrganisationFactory, local
from visits.services import host_update, visit_cancel, visit_create, visit_update

from .conftest import url

pytestmark = pytest.mark.django_db

DAY = date(2026, 12, 8)
MARKER = "<p>grid served from the cache</p>"


@pytest.fixture
def scheduled(program, group, other_group, host):
    host.name = "Nazarbayev University"
    host.save()
    visit = visit_create(
        program=program, groups=[group], host=host, title="Lecture on strategic planning", kind="lecture",
        starts_at=local(program, DAY, 11), ends_at=local(program, DAY, 13),
    )  # fmt: skip
    return {"program": program, "group": group, "other_group": other_group, "host": host, "visit": visit}


def board(client, program, **params):
    response = client.get(url(program, "board/"), {"day": DAY.isoformat(), **params})
    assert response.status_code == 200
    return response


def plant_marker(response) -> None:
    cache.set(make_template_fragment_key("board_grid", [response.context["grid_version"]]), MARKER)


def served_from_cache(client, program) -> None:
    plant_marker(board(client, program))
    assert MARKER in board(client, program).content.decode()


def test_board_grid_is_served_from_the_cache_while_nothing_changes(client, scheduled):
    program = scheduled["program"]
    first = board(client, program).content.decode()
    assert "Lecture on strategic planning" in first

    served_from_cache(client, program)

    # The page around the grid is rendered for each request.
    assert "Schedule board" in board(client, program).content.decode()


def move(s):
    visit_update(visit=s["visit"], starts_at=local(s["program"], DAY, 15), ends_at=local(s["program"], DAY, 16, 30))
    return "15:00–16:30"


def rename_visit(s):
    visit_update(visit=s["visit"], title="Lecture on project management")
    return "Lecture on project management"


def cancel(s):
    visit_cancel(visit=s["visit"])
    return "is-cancelled"


def rename_host(s):
    host_update(host=s["host"], name="Nazarbayev University, School of Government")
    return "Nazarbayev University, School of Government"


def rename_group(s):
    group_update(group=s["other_group"], name="Group 2: Human capital")
    return "Group 2: Human capital"


def tight_connection(s):
    # Another host ten minutes after the lecture ends: a soft warning on both visits.
    visit_create(
        program=s["program"], groups=[s["group"]], host=HostOrganisationFactory(name="Astana Hub"), title="Hub tour",
        starts_at=local(s["program"], DAY, 13, 10), ends_at=local(s["program"], DAY, 14),
    )  # fmt: skip
    return "has-warning"


CHANGES = {
    "visit moved": move,
    "visit renamed": rename_visit,
    "visit cancelled": cancel,
    "host renamed": rename_host,
    "group renamed": rename_group,
    "new soft warning": tight_connection,
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_board_grid_shows_a_change_at_once(client, scheduled, change):
    program = scheduled["program"]
    served_from_cache(client, program)

    expected = CHANGES[change](scheduled)
    body = board(client, program).content.decode()

    assert MARKER not in body
    assert expected in body


def test_board_grid_in_another_language_is_rendered_in_it(client, scheduled):
    program = scheduled["program"]
    served_from_cache(client, program)

    russian = client.get(url(program, "board/"), {"day": DAY.isoformat()}, HTTP_ACCEPT_LANGUAGE="ru").content.decode()

    assert MARKER not in russian
    assert "Новый визит для группы «Group 1: Digital state» в 08:00" in russian


def test_whole_program_view_is_cached_apart_from_the_day_view(client, scheduled):
    program = scheduled["program"]
    served_from_cache(client, program)

    whole = client.get(url(program, "board/"), {"view": "all"}).content.decode()

    assert MARKER not in whole
    assert "Lecture on strategic planning" in whole
