"""Fixtures for the personal pages: a participant in a group with a few visits."""

from datetime import datetime, timedelta

import pytest

from itinerary import views as personal_views
from tests.factories import HostOrganisationFactory, ParticipantFactory, local
from visits.services import visit_create


@pytest.fixture
def clock(monkeypatch):
    """Set the clock the personal pages read ("today", "next")."""

    def set_to(moment: datetime) -> None:
        monkeypatch.setattr(personal_views, "current_time", lambda: moment)

    return set_to


@pytest.fixture
def participant(program, group):
    return ParticipantFactory(
        program=program,
        group=group,
        first_name="Andrey",
        patronymic="Viktorovich",
        last_name="Antonov",
        language="en",
        home_timezone="Asia/Tomsk",
    )


def schedule(program, groups, day_offset, start_hour, end_hour, **fields):
    """A visit through the scheduling service, `day_offset` days after the program's start."""
    day = program.start_date + timedelta(days=day_offset)
    fields.setdefault("host", HostOrganisationFactory())
    fields.setdefault("title", f"Visit on day {day_offset} at {start_hour}")
    return visit_create(
        program=program,
        groups=groups,
        starts_at=local(program, day, start_hour),
        ends_at=local(program, day, end_hour),
        **fields,
    )
