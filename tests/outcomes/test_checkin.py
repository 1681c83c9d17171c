"""The coordinator's check-in page and the endpoint its phone sends marks to."""

import json
import uuid
from datetime import timedelta

import pytest

from outcomes import views
from outcomes.models import Attendance
from tests.factories import local

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_the_first_day(held, monkeypatch):
    """The clock at 11:00 of the first day; returns 10:00, when the coordinator marks."""
    monkeypatch.setattr(views, "current_time", lambda: local(held.program, held.program.start_date, 11))
    return local(held.program, held.program.start_date, 10)


def send(client, held, marks):
    return client.post(
        f"/i/{held.coordinator.access_token}/check-in/marks/",
        json.dumps({"marks": marks}),
        content_type="application/json",
    )


def mark(held, visit, person, present, moment):
    return {"id": str(uuid.uuid4()), "visit": visit.pk, "participant": person.pk, "present": present,
            "marked_at": moment.isoformat()}  # fmt: skip


def test_coordinator_sees_todays_visits_and_the_groups_members(held, client, on_the_first_day):
    response = client.get(f"/i/{held.coordinator.access_token}/check-in/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Astana Hub" in page
    assert "Lecture on public service" in page
    assert "Cancelled tour" not in page  # another day
    for member in held.members:
        assert member.full_name in page
    assert held.stranger.full_name not in page  # the other group of the joint visit
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_a_member_who_does_not_coordinate_gets_a_clear_404(held, client):
    response = client.get(f"/i/{held.members[1].access_token}/check-in/")

    assert response.status_code == 404
    assert "координатор" in response.content.decode()  # in the member's language


def test_marks_sent_twice_arrive_once_and_a_later_tap_wins(held, client, on_the_first_day):
    visit, person = held.visits[0], held.members[1]
    first = mark(held, visit, person, True, on_the_first_day)
    later = mark(held, visit, person, False, on_the_first_day + timedelta(minutes=2))

    one = send(client, held, [first])
    again = send(client, held, [first, later])
    replay = send(client, held, [first])

    assert one.json() == {"accepted": [first["id"]], "refused": []}
    assert set(again.json()["accepted"]) == {first["id"], later["id"]}
    assert replay.status_code == 200
    rows = Attendance.objects.filter(visit=visit, participant=person)
    assert rows.count() == 1
    assert rows.get().present is False
    assert rows.get().marked_by == held.coordinator.full_name


def test_marks_outside_the_coordinators_group_are_refused_not_written(held, client, on_the_first_day):
    stranger = mark(held, held.visits[1], held.stranger, True, on_the_first_day)
    cancelled = mark(held, held.visits[2], held.members[1], True, on_the_first_day)

    answer = send(client, held, [stranger, cancelled]).json()

    assert answer["accepted"] == []
    assert {item["id"] for item in answer["refused"]} == {stranger["id"], cancelled["id"]}
    assert not Attendance.objects.exists()


@pytest.mark.parametrize(
    "body", ["not json", json.dumps([]), json.dumps({"marks": [{"id": "x", "visit": "1"}]}), json.dumps({"marks": [1]})]
)
def test_a_malformed_request_is_a_400(held, client, body):
    response = client.post(f"/i/{held.coordinator.access_token}/check-in/marks/", body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["detail"]


def test_the_personal_page_links_the_coordinator_to_check_in(held, client):
    page = client.get(f"/i/{held.coordinator.access_token}/").content.decode()

    assert f"/i/{held.coordinator.access_token}/check-in/" in page


@pytest.mark.parametrize(
    "marked_at",
    [
        "2026-02-30T10:00:00+05:00",  # no such day
        "2026-11-02T25:00:00+05:00",  # no such hour
        "2026-11-02T10:00:00+24:00",  # no such offset
        "0001-01-01T00:00:00+05:00",  # before the first moment a database column holds in UTC
    ],
)
def test_a_mark_at_a_time_that_cannot_be_is_a_400_and_writes_nothing(held, client, on_the_first_day, marked_at):
    body = {**mark(held, held.visits[0], held.members[1], True, on_the_first_day), "marked_at": marked_at}

    response = send(client, held, [body])

    assert response.status_code == 400
    assert "marked_at" in response.json()["detail"]
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("mark_id", ["a\x00b", "line\nbreak", "\u202e"])
def test_a_mark_whose_id_holds_control_characters_is_a_400(held, client, on_the_first_day, mark_id):
    body = {**mark(held, held.visits[0], held.members[1], True, on_the_first_day), "id": mark_id}

    response = send(client, held, [body])

    assert response.status_code == 400
    assert not Attendance.objects.exists()


def test_a_body_nested_too_deeply_is_a_400(held, client):
    response = client.post(
        f"/i/{held.coordinator.access_token}/check-in/marks/", "[" * 100_000, content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["detail"] == "The body is not JSON."
