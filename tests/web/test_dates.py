"""Dates on the organiser's pages in Russian: the board's day labels, the printed schedules,
the dashboard and the program list write "вторник, 8 декабря", never "Вторник 8 Декабрь"."""

from datetime import date

import pytest

from tests.factories import local
from visits.services import visit_create

from .conftest import url

pytestmark = pytest.mark.django_db

DAY = date(2026, 12, 8)  # a Tuesday
NOMINATIVE = ("Декабрь", "декабрь", "Дек ")


@pytest.fixture
def visit(program, group, host):
    return visit_create(
        program=program, groups=[group], host=host, title="Astana Hub",
        starts_at=local(program, DAY, 10), ends_at=local(program, DAY, 12),
    )  # fmt: skip


def russian(client, path, **params):
    return client.get(path, params, HTTP_ACCEPT_LANGUAGE="ru").content.decode()


def test_board_day_labels_in_russian(client, program, visit):
    day_view = russian(client, url(program, "board/"), day=DAY.isoformat())
    whole = russian(client, url(program, "board/"), view="all")

    assert "· вторник, 8 декабря</h1>" in day_view
    assert "← пн, 7 декабря</a>" in day_view
    assert "ср, 9 декабря →</a>" in day_view
    assert ">Вторник, 8 декабря</a></h2>" in whole
    for wrong in NOMINATIVE:
        assert wrong not in day_view
        assert wrong not in whole


def test_printed_group_schedule_days_in_russian(client, program, group, visit):
    body = russian(client, url(program, f"print/groups/{group.pk}/"))

    assert "<h2>Вторник, 8 декабря 2026</h2>" in body
    assert "Декабрь" not in body


def test_dashboard_and_program_list_dates_in_russian(client, program, visit):
    dashboard = russian(client, url(program))
    listing = russian(client, "/organiser/")

    assert "7 декабря 2026 – 16 декабря 2026" in dashboard
    assert "7 декабря 2026 – 16 декабря 2026" in listing
    for wrong in NOMINATIVE:
        assert wrong not in dashboard
        assert wrong not in listing
