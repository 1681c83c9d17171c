"""A small program for the proposer: an academy, three hosts, fixed travel times."""

from datetime import date

import pytest

from planning.services import proposal_create, proposal_run, request_create, travel_time_set, window_create
from tests.factories import HostOrganisationFactory, ProgramFactory, ProjectGroupFactory, local

DEC = {day: date(2026, 12, day) for day in range(7, 17)}


@pytest.fixture
def plan(db):
    """Program 7–16 December 2026 (Asia/Almaty); the academy and hosts A, B, C 20 minutes from it
    and 30 from each other; groups 1–3."""
    program = ProgramFactory(host_institution="Academy of Public Administration")
    academy = HostOrganisationFactory(name="Academy of Public Administration")
    hosts = {
        "A": HostOrganisationFactory(name="Astana International Financial Centre (AIFC)"),
        "B": HostOrganisationFactory(name="Astana Hub"),
        "C": HostOrganisationFactory(name="Damu"),
    }
    for first in (academy, *hosts.values()):
        for second in (academy, *hosts.values()):
            if first.pk < second.pk:
                minutes = 20 if academy in (first, second) else 30
                travel_time_set(program=program, origin=first, destination=second, minutes=minutes)
    groups = [ProjectGroupFactory(program=program, name=f"Group {n}") for n in (1, 2, 3)]

    class Plan:
        pass

    plan = Plan()
    plan.program, plan.academy, plan.hosts, plan.groups = program, academy, hosts, groups

    def window(host, day, start, end, capacity=1):
        return window_create(
            program=program,
            host=hosts[host],
            starts_at=local(program, DEC[day], *start),
            ends_at=local(program, DEC[day], *end),
            capacity=capacity,
        )

    def ask(host, groups, minutes=120, priority="must", day=None, **fields):
        if day is not None:
            fields["not_before"] = fields["not_after"] = DEC[day]
        return request_create(
            program=program, groups=groups, host=hosts[host], duration_minutes=minutes, priority=priority, **fields
        )

    def propose(keep_existing=False, seconds=3):
        proposal = proposal_create(
            program=program, time_limit_seconds=seconds, keep_existing=keep_existing, enqueue=False
        )
        return proposal_run(proposal_id=proposal.pk)

    plan.window, plan.ask, plan.propose = window, ask, propose
    return plan


@pytest.fixture
def make_api():
    from partners.services import api_client_create
    from tests.api.conftest import client_with_token

    def make(scopes=("read", "write"), programs=(), name="Ministry HR system"):
        _partner, token = api_client_create(name=name, scopes=scopes, programs=programs)
        return client_with_token(token)

    return make


@pytest.fixture
def api(db, make_api):
    return make_api()


@pytest.fixture
def read_api(db, make_api):
    return make_api(scopes=("read",), name="Travel agent")
