"""The proposer's API: the contract's shapes, hostile input, proposals, apply and 409."""

import pytest

from planning.models import HostWindow, VisitRequest
from tests.factories import ProgramFactory, ProjectGroupFactory, local
from visits.models import SiteVisit
from visits.services import visit_create

from .conftest import DEC


def url(plan, tail):
    return f"/api/v1/programs/{plan.program.slug}/{tail}"


def test_host_windows_list_create_read_change_delete(api, plan):
    host = plan.hosts["A"]
    created = api.post(
        url(plan, "host-windows/"),
        {"host": host.pk, "starts_at": "2026-12-08T10:00:00+05:00", "ends_at": "2026-12-08T13:00:00+05:00"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body == {
        "id": body["id"],
        "host": host.pk,
        "starts_at": "2026-12-08T10:00:00+05:00",
        "ends_at": "2026-12-08T13:00:00+05:00",
        "capacity": 1,
    }
    detail = url(plan, f"host-windows/{body['id']}/")
    assert api.get(detail).json() == body
    assert api.patch(detail, {"capacity": 2}, format="json").json()["capacity"] == 2
    assert [row["id"] for row in api.get(url(plan, "host-windows/")).json()["results"]] == [body["id"]]
    assert api.delete(detail).status_code == 204
    assert not HostWindow.objects.exists()


def test_visit_requests_list_create_read_change_delete(api, plan):
    g1, g2, _ = plan.groups
    created = api.post(
        url(plan, "visit-requests/"),
        {
            "groups": [g1.pk, g2.pk],
            "host": plan.hosts["B"].pk,
            "duration_minutes": 90,
            "priority": "should",
            "title": "Astana Hub",
            "not_before": "2026-12-08",
            "not_after": "2026-12-10",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body == {
        "id": body["id"],
        "groups": sorted([g1.pk, g2.pk]),
        "host": plan.hosts["B"].pk,
        "duration_minutes": 90,
        "priority": "should",
        "title": "Astana Hub",
        "not_before": "2026-12-08",
        "not_after": "2026-12-10",
        "visit": None,
    }
    detail = url(plan, f"visit-requests/{body['id']}/")
    changed = api.patch(detail, {"groups": [g1.pk], "priority": "must"}, format="json").json()
    assert (changed["groups"], changed["priority"]) == ([g1.pk], "must")
    assert api.delete(detail).status_code == 204
    assert not VisitRequest.objects.exists()


WINDOW = {"starts_at": "2026-12-08T10:00:00+05:00", "ends_at": "2026-12-08T12:00:00+05:00"}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**WINDOW, "starts_at": "2026-12-08T10:00:00"}, "starts_at"),  # naive
        ({**WINDOW, "ends_at": "2026-12-08T09:00:00+05:00"}, "ends_at"),
        ({**WINDOW, "starts_at": "2026-11-08T10:00:00+05:00", "ends_at": "2026-11-08T12:00:00+05:00"}, "starts_at"),
        ({**WINDOW, "capacity": 0}, "capacity"),
        ({**WINDOW, "capacity": "2"}, "capacity"),
        ({**WINDOW, "host": 999999}, "host"),
        ({**WINDOW, "rooms": 3}, "rooms"),
    ],
)
def test_hostile_windows_answer_400_naming_the_field(api, plan, body, field):
    body = {"host": plan.hosts["A"].pk, **body}

    response = api.post(url(plan, "host-windows/"), body, format="json")

    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not HostWindow.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"groups": []}, "groups"),
        ({"groups": "foreign"}, "groups"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"duration_minutes": 600}, "duration_minutes"),  # longer than the 9-hour day
        ({"priority": "maybe"}, "priority"),
        ({"not_before": "2026-12-10", "not_after": "2026-12-09"}, "not_after"),
        ({"not_after": "2027-01-10"}, "not_after"),
        ({"host": None}, "host"),
    ],
)
def test_hostile_requests_answer_400_naming_the_field(api, plan, body, field):
    base = {"groups": [plan.groups[0].pk], "host": plan.hosts["A"].pk, "duration_minutes": 60}
    if body.get("groups") == "foreign":
        body = {"groups": [ProjectGroupFactory().pk]}

    response = api.post(url(plan, "visit-requests/"), {**base, **body}, format="json")

    assert response.status_code == 400, response.json()
    assert field in response.json()["errors"]
    assert not VisitRequest.objects.exists()


@pytest.mark.parametrize("body", [{"time_limit_seconds": 0}, {"time_limit_seconds": 10_000}, {"keep": True}])
def test_a_proposal_with_bad_options_answers_400(api, plan, body):
    response = api.post(url(plan, "proposals/"), body, format="json")

    assert response.status_code == 400
    assert next(iter(body)) in response.json()["errors"]


def test_propose_read_and_apply(api, plan, celery_eager, django_capture_on_commit_callbacks):
    g1 = plan.groups[0]
    plan.window("A", 8, (9, 0), (18, 0))
    request = plan.ask("A", [g1], title="AIFC")
    impossible = plan.ask("C", [g1])

    with django_capture_on_commit_callbacks(execute=True):
        queued = api.post(url(plan, "proposals/"), {"time_limit_seconds": 2}, format="json")

    assert queued.status_code == 202
    assert set(queued.json()) == {"id", "status"}
    proposal = api.get(url(plan, f"proposals/{queued.json()['id']}/")).json()
    assert proposal["status"] == "done"
    (visit,) = proposal["visits"]
    assert (visit["request"], visit["groups"], visit["host"], visit["change"]) == (
        request.pk,
        [g1.pk],
        plan.hosts["A"].pk,
        "added",
    )
    assert visit["starts_at"].endswith("+05:00")
    assert proposal["unplaced"] == [
        {"request": impossible.pk, "code": "no_window", "reason": "Damu has no window in this program."}
    ]
    assert proposal["stats"]["musts_placed"] == 1
    assert proposal["stats"]["visits_added"] == 1

    with django_capture_on_commit_callbacks(execute=True):
        applied = api.post(url(plan, f"proposals/{proposal['id']}/apply/"))

    assert applied.status_code == 200
    (visit_id,) = applied.json()["visits"]
    assert SiteVisit.objects.get(pk=visit_id).title == "AIFC"


def test_a_stale_proposal_answers_409_and_writes_nothing(api, plan):
    g1 = plan.groups[0]
    plan.window("A", 8, (9, 0), (18, 0))
    plan.ask("A", [g1])
    proposal = plan.propose()
    lecture = visit_create(
        program=plan.program,
        groups=[g1],
        title="Lecture",
        kind="lecture",
        host=plan.academy,
        starts_at=local(plan.program, DEC[9], 10),
        ends_at=local(plan.program, DEC[9], 11),
    )

    response = api.post(url(plan, f"proposals/{proposal.pk}/apply/"))

    assert response.status_code == 409
    assert response.json()["conflicts"] == [{"visit": lecture.pk, "change": "added"}]
    assert "changed since" in response.json()["detail"]
    assert SiteVisit.objects.count() == 1


def test_another_programs_proposal_is_not_found(api, plan):
    proposal = plan.propose()
    other = ProjectGroupFactory().program

    assert api.get(f"/api/v1/programs/{other.slug}/proposals/{proposal.pk}/").status_code == 404
    assert api.post(f"/api/v1/programs/{other.slug}/proposals/{proposal.pk}/apply/").status_code == 404


def test_the_read_scope_cannot_propose(read_api, plan):
    assert read_api.post(url(plan, "proposals/"), {}, format="json").status_code == 403


@pytest.mark.parametrize("count", [1, 3])
def test_lists_take_a_fixed_number_of_queries(api, plan, count, django_assert_max_num_queries):
    for n in range(count):
        plan.window("A", 8 + n, (9, 0), (12, 0))
        plan.ask("A", [plan.groups[0]])
    with django_assert_max_num_queries(8):
        assert len(api.get(url(plan, "host-windows/")).json()["results"]) == count
    with django_assert_max_num_queries(9):
        assert len(api.get(url(plan, "visit-requests/")).json()["results"]) == count


def test_the_schema_documents_the_proposer():
    from rest_framework.test import APIClient

    paths = APIClient().get("/api/schema/?format=json").json()["paths"]
    prefix = "/api/v1/programs/{program_slug}/"
    assert {"get", "post"} <= set(paths[prefix + "host-windows/"])
    assert {"get", "put", "patch", "delete"} <= set(paths[prefix + "host-windows/{id}/"])
    assert {"get", "put", "patch", "delete"} <= set(paths[prefix + "visit-requests/{id}/"])
    assert "202" in paths[prefix + "proposals/"]["post"]["responses"]
    assert "409" in paths[prefix + "proposals/{id}/apply/"]["post"]["responses"]


def test_a_host_window_is_replaced_by_put_and_refused_by_the_service_on_patch(api, plan):
    window = plan.window("A", 8, (10, 0), (12, 0), capacity=2)
    detail = url(plan, f"host-windows/{window.pk}/")

    refused = api.patch(detail, {"ends_at": "2026-12-08T09:00:00+05:00"}, format="json")
    incomplete = api.put(detail, {"capacity": 3}, format="json")
    replaced = api.put(
        detail,
        {"host": plan.hosts["B"].pk, "starts_at": "2026-12-09T10:00:00+05:00", "ends_at": "2026-12-09T11:00:00+05:00"},
        format="json",
    )

    assert refused.status_code == 400
    assert refused.json() == {
        "detail": "Invalid input: ends_at: The window must end after it starts.",
        "errors": {"ends_at": ["The window must end after it starts."]},
    }
    assert incomplete.status_code == 400
    assert set(incomplete.json()["errors"]) == {"host", "starts_at", "ends_at"}
    assert replaced.status_code == 200
    assert replaced.json() == {
        "id": window.pk,
        "host": plan.hosts["B"].pk,
        "starts_at": "2026-12-09T10:00:00+05:00",
        "ends_at": "2026-12-09T11:00:00+05:00",
        "capacity": 2,
    }


def test_a_visit_request_keeps_its_groups_on_patch_and_is_replaced_by_put(api, plan):
    g1, g2, g3 = plan.groups
    visit_request = plan.ask("A", [g1, g2], title="AIFC")
    detail = url(plan, f"visit-requests/{visit_request.pk}/")

    retitled = api.patch(detail, {"title": "AIFC, morning"}, format="json")
    refused = api.patch(detail, {"groups": []}, format="json")
    incomplete = api.put(detail, {"title": "Damu"}, format="json")
    replaced = api.put(detail, {"groups": [g3.pk], "host": plan.hosts["C"].pk, "duration_minutes": 30}, format="json")

    assert retitled.status_code == 200
    assert (retitled.json()["groups"], retitled.json()["title"]) == (sorted([g1.pk, g2.pk]), "AIFC, morning")
    assert refused.status_code == 400
    assert refused.json() == {
        "detail": "Invalid input: groups: Choose at least one group.",
        "errors": {"groups": ["Choose at least one group."]},
    }
    assert incomplete.status_code == 400
    assert set(incomplete.json()["errors"]) == {"groups", "host", "duration_minutes"}
    assert replaced.status_code == 200
    body = replaced.json()
    assert (body["groups"], body["host"], body["duration_minutes"]) == ([g3.pk], plan.hosts["C"].pk, 30)
    assert list(VisitRequest.objects.get().groups.all()) == [g3]


def test_windows_and_requests_of_another_program_are_not_found(api, plan):
    window = plan.window("A", 8, (10, 0), (12, 0))
    visit_request = plan.ask("A", [plan.groups[0]])
    other = f"/api/v1/programs/{ProgramFactory().slug}/"

    changed = api.patch(f"{other}host-windows/{window.pk}/", {"capacity": 3}, format="json")
    deleted = api.delete(f"{other}visit-requests/{visit_request.pk}/")

    assert changed.status_code == 404
    assert deleted.status_code == 404
    assert deleted.json() == {"detail": "No VisitRequest matches the given query."}
    assert HostWindow.objects.get().capacity == 1
    assert VisitRequest.objects.exists()


def test_a_change_to_an_unknown_window_or_request_answers_404_before_reading_the_body(api, plan):
    responses = [
        api.patch(url(plan, "host-windows/999999/"), {"capacity": 0}, format="json"),
        api.put(url(plan, "visit-requests/999999/"), {"groups": []}, format="json"),
    ]

    assert [response.status_code for response in responses] == [404, 404]


def test_a_proposal_while_another_is_being_made_answers_409_and_queues_nothing(api, plan):
    """One proposal at a time per program: a partner app (or a double click) cannot fill the
    planner's queue with solves of the same board."""
    from planning.models import Proposal
    from planning.services import proposal_create

    waiting = proposal_create(program=plan.program, time_limit_seconds=5, enqueue=False)

    response = api.post(url(plan, "proposals/"), {"time_limit_seconds": 5}, format="json")

    assert response.status_code == 409
    assert response.json()["proposal"] == waiting.pk
    assert f"Proposal {waiting.pk}" in response.json()["detail"]
    assert list(Proposal.objects.values_list("pk", flat=True)) == [waiting.pk]


def test_a_proposal_left_unfinished_by_a_lost_worker_does_not_block_the_next(
    api, plan, celery_eager, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    from planning.models import Proposal
    from planning.services import PROPOSAL_LOST_AFTER, proposal_create

    lost = proposal_create(program=plan.program, time_limit_seconds=5, enqueue=False)
    Proposal.objects.filter(pk=lost.pk).update(
        status="running", created_at=timezone.now() - PROPOSAL_LOST_AFTER - timedelta(minutes=1)
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(url(plan, "proposals/"), {"time_limit_seconds": 2}, format="json")

    assert response.status_code == 202
    assert Proposal.objects.get(pk=response.json()["id"]).status == "done"
