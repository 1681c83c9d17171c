"""Two programs, A and B, with one of everything the admin shows, and an organiser of A."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.test import Client

from notices.services import schedule_send
from outcomes.services import Mark, attendance_merge, certificate_archive_request, certificate_issue
from participants.models import Participant, ProjectGroup
from participants.services import group_update
from partners.services import api_client_create, webhook_create
from planning.services import planning_settings_update, proposal_create, request_create, travel_time_set, window_create
from programs.models import Program
from programs.services import organiser_add
from surveys.models import Survey
from surveys.services import survey_create, survey_send
from tests.factories import HostContactFactory, HostOrganisationFactory, ParticipantFactory, ProgramFactory, local
from visits.models import HostOrganisation, SiteVisit
from visits.services import visit_create

ALL_EVENTS = ["visit.created", "visit.updated", "visit.cancelled", "participant.created", "participant.updated"]


@dataclass
class Side:
    program: Program
    group: ProjectGroup
    coordinator: Participant
    member: Participant
    host: HostOrganisation
    visit: SiteVisit
    survey: Survey


def build_side(slug: str) -> Side:
    program = ProgramFactory(slug=slug, title=f"Program {slug.upper()}")
    group = ProjectGroup.objects.create(program=program, name=f"Group of {slug.upper()}")
    coordinator = ParticipantFactory(program=program, group=group, email=f"coordinator@{slug}.example")
    member = ParticipantFactory(program=program, group=group, email=f"member@{slug}.example")
    group_update(group=group, coordinator=coordinator)
    host = HostOrganisationFactory(name=f"Host of {slug.upper()}")
    HostContactFactory(host=host)
    visit = visit_create(
        program=program,
        groups=[group],
        host=host,
        title=f"Visit of {slug.upper()}",
        starts_at=local(program, program.start_date, 10),
        ends_at=local(program, program.start_date, 12),
    )
    survey = survey_create(
        program=program,
        title=f"Feedback {slug.upper()}",
        opens_at=local(program, program.start_date, 8) - timedelta(days=30),
        closes_at=local(program, program.end_date, 22) + timedelta(days=30),
        questions=[{"kind": "rating", "text": "How useful was the visit?"}],
    )
    survey_send(survey=survey)
    schedule_send(program=program)
    return Side(program, group, coordinator, member, host, visit, survey)


def add_planning_and_outcomes(side: Side) -> None:
    """One of each of the proposer's inputs and runs, an attendance mark, a certificate, an archive."""
    program, name = side.program, side.program.slug.upper()
    planning_settings_update(program=program, max_visits_per_day=2)
    window_create(
        program=program,
        host=side.host,
        starts_at=local(program, program.start_date, 9),
        ends_at=local(program, program.start_date, 17),
    )
    request_create(
        program=program, groups=[side.group], host=side.host, duration_minutes=90, title=f"Request of {name}"
    )
    travel_time_set(
        program=program, origin=side.host, destination=HostOrganisationFactory(name=f"Academy {name}"), minutes=20
    )
    proposal_create(program=program, enqueue=False)
    attendance_merge(
        visit=side.visit, marks=[Mark(participant_id=side.member.pk, present=True)], marked_by="coordinator"
    )
    certificate_issue(participant=side.member)
    certificate_archive_request(program=program)


@pytest.fixture
def side_a(db):
    return build_side("a")


@pytest.fixture
def side_b(db):
    return build_side("b")


@pytest.fixture
def partner(db, side_a):
    """A partner app subscribed to every event of program A (so webhook rows can be counted)."""
    client, _token = api_client_create(name="Ministry HR system", scopes=["read", "write"])
    webhook_create(client=client, url="https://hr.example/hooks", events=ALL_EVENTS)
    return client


@pytest.fixture
def organiser_a(side_a):
    user, _password = organiser_add(program=side_a.program, username="org-a", email="org-a@academy.example")
    return user


@pytest.fixture
def organiser_client(organiser_a):
    client = Client()
    client.force_login(organiser_a)
    return client


@pytest.fixture
def superuser_client(db):
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.create_superuser("root", "root@academy.example", "pw-for-tests-only"))
    return client
