"""A small program that was held: one group of three, its coordinator, three visits (one
cancelled), through the services."""

from dataclasses import dataclass
from datetime import date

import pytest

from participants.models import Participant, ProjectGroup
from participants.services import group_update
from programs.models import Program
from tests.factories import HostOrganisationFactory, ParticipantFactory, ProgramFactory, ProjectGroupFactory, local
from visits.models import SiteVisit
from visits.services import visit_cancel, visit_create

# The API's token clients, as the API's own tests use them.
from ..api.conftest import api, make_api, read_api  # noqa: F401
from ..web.conftest import make_organiser


@dataclass
class Held:
    program: Program
    group: ProjectGroup
    coordinator: Participant
    members: list[Participant]
    visits: list[SiteVisit]  # two held (2 h and 3 h 30), then one cancelled
    other_group: ProjectGroup
    stranger: Participant


def hold(program: Program) -> Held:
    group = ProjectGroupFactory(program=program, name="Группа 2: Цифровое государство", theme="Цифровая трансформация")
    other = ProjectGroupFactory(program=program, name="Group 5: Science")
    coordinator = ParticipantFactory(
        program=program,
        group=group,
        first_name="Айгерим",
        patronymic="Серікқызы",
        last_name="Әбілқасымова",
        language="kk",
    )
    second = ParticipantFactory(
        program=program, group=group, first_name="Андрей", patronymic="Викторович", last_name="Антонов", language="ru"
    )
    third = ParticipantFactory(program=program, group=group, first_name="Olga", last_name="Smirnova", language="en")
    stranger = ParticipantFactory(program=program, group=other, first_name="Stranger", last_name="Other")
    group_update(group=group, coordinator=coordinator)
    hub = HostOrganisationFactory(name="Astana Hub")
    academy = HostOrganisationFactory(name="Academy of Public Administration")
    day = program.start_date
    visits = [
        visit_create(program=program, groups=[group], host=hub, title="Astana Hub",
                     starts_at=local(program, day, 10), ends_at=local(program, day, 12)),
        visit_create(program=program, groups=[group, other], host=academy, title="Lecture on public service",
                     starts_at=local(program, day, 14), ends_at=local(program, day, 17, 30)),
        visit_create(program=program, groups=[group], host=hub, title="Cancelled tour",
                     starts_at=local(program, day + (program.end_date - day) // 2, 10),
                     ends_at=local(program, day + (program.end_date - day) // 2, 11)),
    ]  # fmt: skip
    visit_cancel(visit=visits[2])
    coordinator.refresh_from_db()
    return Held(program, group, coordinator, [coordinator, second, third], visits, other, stranger)


@pytest.fixture
def held(db) -> Held:
    return hold(ProgramFactory(title="Развитие человеческого капитала", start_date=date(2026, 11, 2),
                               end_date=date(2026, 11, 6), status="completed"))  # fmt: skip


@pytest.fixture
def organiser_client(held):
    """The test client, logged in as an organiser of the held program."""
    from django.test import Client

    client = Client(HTTP_HOST="localhost")
    client.force_login(make_organiser("aigerim", held.program))
    return client
