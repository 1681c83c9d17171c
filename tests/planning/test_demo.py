"""The demo carries windows and requests: "Propose" gives a full clash-free program."""

import itertools

import pytest

from demo.data import load_demo
from planning.enums import ProposalStatus
from planning.services import proposal_apply, proposal_create, proposal_run
from visits.models import VisitGroup

pytestmark = pytest.mark.django_db


def test_the_demo_proposal_places_every_request_for_eight_groups_and_fourteen_hosts():
    program, _created = load_demo()
    requests = program.visit_requests.all()
    assert program.groups.count() == 8
    assert len({request.host_id for request in requests}) == 14

    queued = proposal_create(program=program, time_limit_seconds=3, enqueue=False)
    proposal = proposal_run(proposal_id=queued.pk)

    assert proposal.status == ProposalStatus.DONE, proposal.error
    assert proposal.stats["musts_placed"] == proposal.stats["musts"] == 56
    assert proposal.unplaced == [] or all(row["priority"] == "should" for row in proposal.unplaced)
    assert proposal.stats["warnings"] == []
    proposal_apply(proposal=proposal)
    rows = list(VisitGroup.objects.filter(visit__program=program, is_cancelled=False).order_by("group", "starts_at"))
    for before, after in itertools.pairwise(rows):
        if before.group_id == after.group_id:
            assert after.starts_at >= before.ends_at
