from dataclasses import dataclass
from datetime import date

import pytest
from django.core import mail

from tests.factories import HostContactFactory, HostOrganisationFactory, ParticipantFactory, ProjectGroupFactory, local
from visits.models import HostContact, HostOrganisation, SiteVisit
from visits.services import host_update, visit_create

DAY = date(2026, 12, 8)

# The header row of the ministry's visitor list (it requires passport name, citizenship and
# document number) as its contact, who reads Russian, gets it.
MINISTRY_CSV_HEADER_RU = [
    "Фамилия",
    "Имя",
    "Отчество",
    "ФИО как в паспорте",
    "Гражданство",
    "Номер паспорта или удостоверения личности",
    "Группа",
]


@dataclass
class Scene:
    program: object
    hub: HostOrganisation
    ministry: HostOrganisation
    hub_contact: HostContact
    ministry_contact: HostContact
    hub_visit: SiteVisit
    ministry_visit: SiteVisit
    group: object
    other_group: object
    people: list
    others: list


@pytest.fixture
def scene(program) -> Scene:
    group = ProjectGroupFactory(program=program, name="Group 1: Digital state")
    other_group = ProjectGroupFactory(program=program, name="Group 2: Demography")
    hub = HostOrganisationFactory(name="Astana Hub")
    ministry = HostOrganisationFactory(name="Ministry of Digital Development")
    host_update(host=ministry, required_visitor_fields=["passport_name", "citizenship", "document_number"])
    hub_contact = HostContactFactory(host=hub, name="Dana Hub", email="dana@hub.example", language="en")
    ministry_contact = HostContactFactory(host=ministry, name="Aigerim Min", email="desk@gov.example")
    people = [ParticipantFactory(program=program, group=group, last_name=name) for name in ("Antonov", "Belova")]
    others = [ParticipantFactory(program=program, group=other_group, last_name="Chernov")]
    hub_visit = visit_create(
        program=program, groups=[group], host=hub, title="Astana Hub tour", agenda="Startups and the tech park",
        starts_at=local(program, DAY, 10), ends_at=local(program, DAY, 12),
    )  # fmt: skip
    ministry_visit = visit_create(
        program=program, groups=[other_group], host=ministry, title="Ministry briefing",
        starts_at=local(program, DAY, 14), ends_at=local(program, DAY, 16),
    )  # fmt: skip
    return Scene(
        program, hub, ministry, hub_contact, ministry_contact, hub_visit, ministry_visit, group, other_group, people,
        others,
    )  # fmt: skip


@pytest.fixture
def send(django_capture_on_commit_callbacks, celery_eager):
    """Run a service and the e-mails it queues (on commit), returning its result."""

    def run(func, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return func(**kwargs)

    return run


def mails_to(address):
    return [message for message in mail.outbox if any(address in to for to in message.to)]
