"""The program service bounds a program's dates: years 2000–2100, at most 366 days long."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from programs.models import Program
from programs.services import program_create, program_update
from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db


def fields(**dates):
    return {
        "slug": "astana-2027",
        "title": "Astana 2027",
        "host_institution": "Academy of Public Administration",
        "city": "Astana",
        "timezone": "Asia/Almaty",
        **dates,
    }


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (date(1, 1, 1), date(1, 1, 5), "start_date"),
        (date(1999, 12, 31), date(2000, 1, 5), "start_date"),
        (date(2100, 12, 30), date(2101, 1, 2), "end_date"),
        (date(9999, 12, 1), date(9999, 12, 31), "start_date"),
        (date(2027, 1, 1), date(2028, 1, 2), "end_date"),
    ],
)
def test_program_create_refuses_dates_out_of_bounds_naming_the_field(start, end, field):
    with pytest.raises(ValidationError) as error:
        program_create(**fields(start_date=start, end_date=end))

    assert field in error.value.message_dict
    assert not Program.objects.exists()


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2000, 1, 1), date(2000, 12, 31)),  # a leap year: 366 days
        (date(2100, 12, 31), date(2100, 12, 31)),
        (date(2027, 3, 1), date(2028, 2, 29)),
    ],
)
def test_program_create_accepts_the_longest_and_the_last_program(start, end):
    program = program_create(**fields(start_date=start, end_date=end))

    assert (program.start_date, program.end_date) == (start, end)


def test_program_update_refuses_a_century_long_program_and_keeps_its_dates():
    program = ProgramFactory(start_date=date(2026, 12, 7), end_date=date(2026, 12, 16))

    with pytest.raises(ValidationError) as error:
        program_update(program=program, start_date=date(2026, 12, 7), end_date=date(2100, 12, 31))

    assert "366 days" in error.value.message_dict["end_date"][0]
    program.refresh_from_db()
    assert program.end_date == date(2026, 12, 16)
