"""The schedule proposer's inputs and runs in the admin, written through planning.services: the
program's version goes up as for the Propose page, refusals are form errors, proposals are
requested and applied, never edited."""

import pytest

from planning.enums import ProposalStatus
from planning.models import HostWindow, PlanningSettings, Proposal, TravelTime, VisitRequest
from planning.services import proposal_create, proposal_run, request_create, window_create
from programs.models import Program
from tests.factories import HostOrganisationFactory, local

from .conftest import add_planning_and_outcomes
from .pages import form_values

pytestmark = pytest.mark.django_db


@pytest.fixture
def planned(side_a, side_b):
    add_planning_and_outcomes(side_a)
    add_planning_and_outcomes(side_b)
    return side_a, side_b


def version(program) -> int:
    return Program.objects.get(pk=program.pk).version


def window_data(page, program, day, start, end, **changes):
    return form_values(
        page,
        program=str(program.pk),
        starts_at_0=day.isoformat(),
        starts_at_1=start,
        ends_at_0=day.isoformat(),
        ends_at_1=end,
        **changes,
    )


def test_admin_window_add_goes_through_the_service(planned, organiser_client):
    side_a, _side_b = planned
    program, before = side_a.program, version(side_a.program)
    url = "/admin/planning/hostwindow/add/"
    day = program.end_date
    data = window_data(organiser_client.get(url), program, day, "10:00:00", "16:00:00", host=str(side_a.host.pk))

    response = organiser_client.post(url, {**data, "capacity": "2"})

    assert response.status_code == 302
    window = HostWindow.objects.get(program=program, starts_at=local(program, day, 10))
    assert (window.host, window.ends_at, window.capacity) == (side_a.host, local(program, day, 16), 2)
    assert version(program) == before + 1


def test_admin_overlapping_window_is_a_form_error_and_nothing_is_written(planned, organiser_client):
    side_a, _side_b = planned
    program, before = side_a.program, version(side_a.program)
    url = "/admin/planning/hostwindow/add/"
    data = window_data(
        organiser_client.get(url), program, program.start_date, "16:00:00", "18:00:00", host=str(side_a.host.pk)
    )

    response = organiser_client.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["starts_at"] == [
        "Host of A already has a window 2026-12-07 09:00–17:00 that overlaps this one."
    ]
    assert HostWindow.objects.filter(program=program).count() == 1
    assert version(program) == before


def test_admin_window_outside_the_program_is_refused_in_the_organisers_language(planned, organiser_client):
    side_a, _side_b = planned
    window = HostWindow.objects.get(program=side_a.program)
    url = f"/admin/planning/hostwindow/{window.pk}/change/"
    data = form_values(organiser_client.get(url), starts_at_0="2027-01-11", ends_at_0="2027-01-11")

    response = organiser_client.post(url, data, headers={"accept-language": "ru"})

    assert response.status_code == 200
    assert "starts_at" in response.context["adminform"].form.errors
    assert HostWindow.objects.get(pk=window.pk).starts_at == window.starts_at


def test_admin_windows_of_another_program_are_not_listed_nor_found(planned, organiser_client):
    side_a, side_b = planned
    of_b = HostWindow.objects.get(program=side_b.program)

    listed = organiser_client.get("/admin/planning/hostwindow/").context["cl"].result_list
    change = organiser_client.get(f"/admin/planning/hostwindow/{of_b.pk}/change/")

    assert [window.program for window in listed] == [side_a.program]
    assert change.status_code == 302
    assert change["Location"] == "/admin/"


def test_admin_request_change_replaces_its_groups_through_the_service(planned, organiser_client):
    side_a, _side_b = planned
    request = VisitRequest.objects.get(program=side_a.program)
    second = side_a.program.groups.create(name="Group 2 of A")
    before = version(side_a.program)
    url = f"/admin/planning/visitrequest/{request.pk}/change/"
    page = organiser_client.get(url)
    data = form_values(page, groups=[str(side_a.group.pk), str(second.pk)], duration_minutes="120", priority="should")

    response = organiser_client.post(url, data)

    assert response.status_code == 302
    request.refresh_from_db()
    assert set(request.groups.all()) == {side_a.group, second}
    assert (request.duration_minutes, request.priority) == (120, "should")
    assert version(side_a.program) == before + 1
    assert set(page.context["adminform"].form.fields["groups"].queryset) == {side_a.group, second}


def test_admin_request_longer_than_the_day_is_a_form_error(planned, organiser_client):
    side_a, _side_b = planned
    request = VisitRequest.objects.get(program=side_a.program)
    url = f"/admin/planning/visitrequest/{request.pk}/change/"

    response = organiser_client.post(url, form_values(organiser_client.get(url), duration_minutes="600"))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["duration_minutes"] == [
        "The visit is longer than the group's day (540 minutes)."
    ]
    assert VisitRequest.objects.get(pk=request.pk).duration_minutes == 90


def test_admin_request_of_another_programs_group_is_refused(planned, organiser_client):
    side_a, side_b = planned
    url = "/admin/planning/visitrequest/add/"
    data = form_values(
        organiser_client.get(url),
        program=str(side_a.program.pk),
        groups=[str(side_b.group.pk)],
        host=str(side_a.host.pk),
        duration_minutes="60",
        priority="must",
    )

    response = organiser_client.post(url, data)

    assert response.status_code == 200
    assert "groups" in response.context["adminform"].form.errors
    assert VisitRequest.objects.filter(program=side_a.program).count() == 1


def test_admin_travel_time_changes_only_its_minutes(planned, organiser_client):
    side_a, _side_b = planned
    travel = TravelTime.objects.get(program=side_a.program)
    elsewhere = HostOrganisationFactory(name="Elsewhere")
    url = f"/admin/planning/traveltime/{travel.pk}/change/"

    response = organiser_client.post(
        url, form_values(organiser_client.get(url), minutes="35", destination=str(elsewhere.pk))
    )

    assert response.status_code == 302
    travel.refresh_from_db()
    assert (travel.destination.name, travel.minutes) == ("Academy A", 35)
    assert TravelTime.objects.filter(program=side_a.program).count() == 1


def test_admin_planning_settings_change_and_refusals(planned, organiser_client):
    side_a, _side_b = planned
    rules = PlanningSettings.objects.get(program=side_a.program)
    url = f"/admin/planning/planningsettings/{rules.pk}/change/"
    second = "/admin/planning/planningsettings/add/"

    reversed_day = organiser_client.post(url, form_values(organiser_client.get(url), day_ends="08:00"))
    changed = organiser_client.post(url, form_values(organiser_client.get(url), max_visits_per_day="4"))
    again = organiser_client.post(second, form_values(organiser_client.get(second), program=str(side_a.program.pk)))

    assert reversed_day.context["adminform"].form.errors["day_ends"] == ["The day must end after it starts."]
    assert changed.status_code == 302
    assert PlanningSettings.objects.get(pk=rules.pk).max_visits_per_day == 4
    assert "program" in again.context["adminform"].form.errors
    assert PlanningSettings.objects.filter(program=side_a.program).count() == 1


def test_admin_proposal_is_queued_through_the_service(
    planned, organiser_client, organiser_a, django_capture_on_commit_callbacks
):
    side_a, _side_b = planned
    Proposal.objects.filter(program=side_a.program).update(status=ProposalStatus.DONE)  # the fixture's, solved
    url = "/admin/planning/proposal/add/"
    data = form_values(organiser_client.get(url), program=str(side_a.program.pk), time_limit_seconds="3")

    with django_capture_on_commit_callbacks() as callbacks:
        response = organiser_client.post(url, data)

    assert response.status_code == 302
    proposal = Proposal.objects.filter(program=side_a.program).first()
    assert (proposal.status, proposal.time_limit_seconds, proposal.created_by) == ("queued", 3, organiser_a)
    assert len(callbacks) == 1  # the planning worker is asked once


def test_admin_proposal_while_another_is_queued_is_a_form_error_naming_it(planned, organiser_client):
    side_a, _side_b = planned
    queued = Proposal.objects.get(program=side_a.program)
    url = "/admin/planning/proposal/add/"
    data = form_values(organiser_client.get(url), program=str(side_a.program.pk), time_limit_seconds="3")

    response = organiser_client.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [
        f"Proposal {queued.pk} for this program is still being made; wait for it to finish."
    ]
    assert list(Proposal.objects.filter(program=side_a.program)) == [queued]


def test_admin_proposal_time_limit_out_of_bounds_is_a_form_error(planned, organiser_client):
    side_a, _side_b = planned
    url = "/admin/planning/proposal/add/"
    data = form_values(organiser_client.get(url), program=str(side_a.program.pk), time_limit_seconds="999")

    response = organiser_client.post(url, data)

    assert response.context["adminform"].form.errors["time_limit_seconds"] == [
        "Give a time limit from 1 to 120 seconds."
    ]
    assert Proposal.objects.filter(program=side_a.program).count() == 1


def test_admin_proposal_is_read_only(planned, organiser_client):
    side_a, _side_b = planned
    proposal = Proposal.objects.get(program=side_a.program)
    url = f"/admin/planning/proposal/{proposal.pk}/change/"

    page = organiser_client.get(url)
    post = organiser_client.post(url, {"status": "done", "time_limit_seconds": "1"})

    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    assert post.status_code == 403
    assert Proposal.objects.get(pk=proposal.pk).status == "queued"


def test_admin_apply_action_puts_a_done_proposal_on_the_board(side_a, organiser_client):
    program = side_a.program
    day = program.end_date
    window_create(program=program, host=side_a.host, starts_at=local(program, day, 9), ends_at=local(program, day, 17))
    request_create(program=program, groups=[side_a.group], host=side_a.host, duration_minutes=60, title="Planned")
    done = proposal_create(program=program, time_limit_seconds=2, enqueue=False)
    proposal_run(proposal_id=done.pk)
    queued = proposal_create(program=program, enqueue=False)

    response = organiser_client.post(
        "/admin/planning/proposal/",
        {"action": "apply_proposals", "_selected_action": [done.pk, queued.pk]},
        follow=True,
    )

    texts = [str(message) for message in response.context["messages"]]
    assert Proposal.objects.get(pk=done.pk).applied_at is not None
    assert program.visits.filter(title="Planned").count() == 1
    assert f"{queued}: The proposal is not ready (Queued)." in texts
    assert Proposal.objects.get(pk=queued.pk).status == ProposalStatus.QUEUED


def test_admin_proposal_discard_goes_through_the_service(planned, organiser_client):
    side_a, _side_b = planned
    proposal = Proposal.objects.get(program=side_a.program)

    response = organiser_client.post(f"/admin/planning/proposal/{proposal.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not Proposal.objects.filter(pk=proposal.pk).exists()
