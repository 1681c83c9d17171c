"""The proposer through its services: proposals, reasons, re-planning, apply and stale proposals."""

import itertools

import pytest
from django.core.exceptions import ValidationError

from planning.enums import ProposalStatus
from planning.messages import reason_text
from planning.models import HostWindow, VisitRequest
from planning.services import ProposalStale, proposal_apply, request_create, window_create, window_delete
from tests.factories import local
from visits.models import SiteVisit
from visits.services import visit_create, visit_update

from .conftest import DEC


def reasons(plan, proposal):
    return {row["request"]: reason_text(row, start=plan.program.start_date) for row in proposal.unplaced}


def test_a_proposal_places_every_request_without_clash_travel_or_warning(plan):
    g1, g2, _g3 = plan.groups
    for day in (8, 9):
        for host in "ABC":
            plan.window(host, day, (9, 0), (18, 0))
    for host in "ABC":
        plan.ask(host, [g1])
        plan.ask(host, [g2], priority="should")

    proposal = plan.propose()

    assert proposal.status == ProposalStatus.DONE, proposal.error
    assert proposal.stats["musts_placed"] == 3
    assert proposal.stats["shoulds_placed"] == 3
    assert proposal.unplaced == []
    assert proposal.stats["warnings"] == []
    for group in (g1, g2):
        rows = sorted((r for r in proposal.visits if group.pk in r["groups"]), key=lambda r: r["starts_at"])
        for before, after in itertools.pairwise(rows):
            if before["starts_at"][:10] == after["starts_at"][:10]:
                assert after["starts_at"] >= before["ends_at"]  # no overlap (same offset, ISO order)


def test_an_unplaceable_request_names_the_host_the_days_and_the_busy_group(plan):
    _g1, _g2, g3 = plan.groups
    plan.window("A", 8, (10, 0), (12, 0))
    visit_create(
        program=plan.program,
        groups=[g3],
        title="Lecture",
        kind="lecture",
        host=plan.academy,
        starts_at=local(plan.program, DEC[8], 10),
        ends_at=local(plan.program, DEC[8], 11),
    )
    request = plan.ask("A", [g3])

    proposal = plan.propose()

    assert proposal.visits == []
    assert reasons(plan, proposal) == {
        request.pk: "Astana International Financial Centre (AIFC) has no window of 2 h on 8 December "
        "that Group 3 is free for."
    }


def test_a_day_with_more_hours_of_visits_than_it_has_is_named(plan):
    _g1, _g2, g3 = plan.groups
    for host in "ABC":
        plan.window(host, 9, (9, 0), (18, 0))
    plan.ask("A", [g3], minutes=300, day=9)
    plan.ask("B", [g3], minutes=240, day=9)
    plan.ask("C", [g3], minutes=240, day=9)

    proposal = plan.propose()

    texts = set(reasons(plan, proposal).values())
    assert texts == {"Group 3 needs 13 h of visits on 9 December, a day of 9 h."}


def test_a_host_without_windows_is_the_reason(plan):
    request = plan.ask("C", [plan.groups[0]])

    proposal = plan.propose()

    assert reasons(plan, proposal) == {request.pk: "Damu has no window in this program."}


def test_apply_puts_the_visits_on_the_board_and_links_the_requests(plan, django_capture_on_commit_callbacks):
    g1 = plan.groups[0]
    plan.window("A", 8, (9, 0), (18, 0))
    request = plan.ask("A", [g1], title="AIFC: the financial centre")
    proposal = plan.propose()

    ids = proposal_apply(proposal=proposal)

    visit = SiteVisit.objects.get(pk__in=ids)
    assert visit.title == "AIFC: the financial centre"
    assert list(visit.groups.all()) == [g1]
    assert visit.host == plan.hosts["A"]
    request.refresh_from_db()
    assert request.visit == visit
    with pytest.raises(ProposalStale):
        proposal_apply(proposal=proposal)  # once only


def test_a_replan_after_a_window_is_removed_moves_only_that_visit(plan):
    g1 = plan.groups[0]
    plan.window("A", 8, (9, 0), (18, 0))
    cancelled = plan.window("B", 9, (9, 0), (18, 0))
    plan.window("C", 10, (9, 0), (18, 0))
    a, b, c = plan.ask("A", [g1]), plan.ask("B", [g1]), plan.ask("C", [g1])
    proposal_apply(proposal=plan.propose())
    visit_ids = set(SiteVisit.objects.values_list("pk", flat=True))
    kept = {r.pk: (r.visit.starts_at, r.visit.sequence) for r in VisitRequest.objects.exclude(pk=b.pk)}

    # The host cancels the 9th and offers the 11th instead.
    window_delete(window=cancelled)
    plan.window("B", 11, (9, 0), (18, 0))
    again = plan.propose(keep_existing=True)

    changes = {row["request"]: row["change"] for row in again.visits}
    assert changes == {a.pk: "unchanged", b.pk: "moved", c.pk: "unchanged"}
    assert again.stats["visits_moved"] == 1
    proposal_apply(proposal=again)
    assert set(SiteVisit.objects.values_list("pk", flat=True)) == visit_ids  # moved, not duplicated
    moved = VisitRequest.objects.get(pk=b.pk).visit
    assert moved.starts_at.astimezone(plan.program.tzinfo).date() == DEC[11]
    assert {r.pk: (r.visit.starts_at, r.visit.sequence) for r in VisitRequest.objects.exclude(pk=b.pk)} == kept


def test_a_proposal_made_stale_by_a_manual_edit_is_refused_and_writes_nothing(plan):
    g1 = plan.groups[0]
    plan.window("A", 8, (9, 0), (18, 0))
    plan.ask("A", [g1])
    lecture = visit_create(
        program=plan.program,
        groups=[g1],
        title="Lecture",
        kind="lecture",
        host=plan.academy,
        starts_at=local(plan.program, DEC[9], 10),
        ends_at=local(plan.program, DEC[9], 11),
    )
    proposal = plan.propose()
    visit_update(visit=lecture, starts_at=local(plan.program, DEC[8], 10), ends_at=local(plan.program, DEC[8], 11))
    count = SiteVisit.objects.count()

    with pytest.raises(ProposalStale) as refused:
        proposal_apply(proposal=proposal)

    assert refused.value.details() == {"conflicts": [{"visit": lecture.pk, "change": "changed"}]}
    assert SiteVisit.objects.count() == count
    assert VisitRequest.objects.get().visit is None


@pytest.mark.parametrize(
    ("start", "end", "capacity", "field"),
    [
        ((8, 12), (8, 11), 1, "ends_at"),
        ((6, 10), (6, 11), 1, "starts_at"),
        ((16, 10), (17, 11), 1, "ends_at"),
        ((8, 10), (8, 12), 0, "capacity"),
        ((9, 10), (9, 11), 1, "starts_at"),  # overlaps the window of the 9th
    ],
)
def test_window_rules_name_the_field_and_write_nothing(plan, start, end, capacity, field):
    plan.window("A", 9, (9, 0), (12, 0))

    with pytest.raises(ValidationError) as refused:
        window_create(
            program=plan.program,
            host=plan.hosts["A"],
            starts_at=local(plan.program, DEC[7].replace(day=start[0]), start[1]),
            ends_at=local(plan.program, DEC[7].replace(day=end[0]), end[1]),
            capacity=capacity,
        )

    assert field in refused.value.message_dict
    assert HostWindow.objects.filter(program=plan.program).count() == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"duration_minutes": 9 * 60 + 1}, "duration_minutes"),
        ({"not_before": DEC[10], "not_after": DEC[9]}, "not_after"),
        ({"not_before": DEC[7].replace(day=1)}, "not_before"),
        ({"priority": "could"}, "priority"),
    ],
)
def test_request_rules_name_the_field(plan, fields, field):
    values = {"host": plan.hosts["A"], "duration_minutes": 60, **fields}

    with pytest.raises(ValidationError) as refused:
        request_create(program=plan.program, groups=[plan.groups[0]], **values)

    assert field in refused.value.message_dict
    assert not VisitRequest.objects.exists()


def test_a_request_needs_groups_of_its_program(plan):
    from tests.factories import ProjectGroupFactory

    stranger = ProjectGroupFactory()
    for groups in ([], [stranger]):
        with pytest.raises(ValidationError) as refused:
            request_create(program=plan.program, groups=groups, host=plan.hosts["A"], duration_minutes=60)
        assert "groups" in refused.value.message_dict
