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

    assert "7–16 декабря 2026" in dashboard
    assert "7–16 декабря 2026" in listing
    for wrong in NOMINATIVE:
        assert wrong not in dashboard
        assert wrong not in listing


@pytest.mark.parametrize(
    ("language", "same_month", "two_months", "two_years"),
    [
        ("en", "7–16 December 2026", "30 November – 2 December 2026", "30 December 2026 – 2 January 2027"),
        ("ru", "7–16 декабря 2026", "30 ноября – 2 декабря 2026", "30 декабря 2026 – 2 января 2027"),
        (
            "kk",
            "2026 жылғы 7–16 желтоқсан",
            "2026 жылғы 30 қараша – 2 желтоқсан",
            "2026 жылғы 30 желтоқсан – 2027 жылғы 2 қаңтар",
        ),
    ],
)
def test_a_span_of_days_names_its_month_and_year_once(language, same_month, two_months, two_years):
    from datetime import date

    from django.utils import translation

    from internship_portal.dates import format_span

    with translation.override(language):
        assert format_span(date(2026, 12, 7), date(2026, 12, 16)) == same_month
        assert format_span(date(2026, 11, 30), date(2026, 12, 2)) == two_months
        assert format_span(date(2026, 12, 30), date(2027, 1, 2)) == two_years
