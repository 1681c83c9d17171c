"""Attendance: merge semantics of the service, the API round trip, hostile input, the webhook,
and the summary on the participant resource."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from outcomes.models import Attendance
from outcomes.services import Mark, attendance_merge
from partners.models import WebhookDelivery
from partners.services import webhook_create

pytestmark = pytest.mark.django_db


def url(held, visit) -> str:
    return f"/api/v1/programs/{held.program.slug}/visits/{visit.pk}/attendance/"


def test_the_same_mark_twice_is_one_mark(held):
    visit, person = held.visits[0], held.members[1]
    when = timezone.now() - timedelta(hours=1)
    mark = Mark(participant_id=person.pk, present=True, marked_at=when, client_id="phone-1")

    first = attendance_merge(visit=visit, marks=[mark], marked_by="Айгерим")
    again = attendance_merge(visit=visit, marks=[mark, mark], marked_by="Айгерим")

    assert (first, again) == (1, 0)
    assert Attendance.objects.filter(visit=visit, participant=person).count() == 1


def test_a_mark_made_on_a_phone_before_the_program_starts_is_kept():
    """A coordinator who tries the check-in ahead, or a phone that was offline for a while: marks
    dated before the program and before now, but recent, are marks (only an old date is refused)."""
    from tests.factories import ProgramFactory

    from .conftest import hold

    today = timezone.localdate()
    ahead = hold(ProgramFactory(start_date=today + timedelta(days=10), end_date=today + timedelta(days=14)))
    visit, person = ahead.visits[0], ahead.members[1]
    made = timezone.now() - timedelta(minutes=10)  # queued on the phone, sent when back online

    stored = attendance_merge(
        visit=visit, marks=[Mark(participant_id=person.pk, present=True, marked_at=made, client_id="phone-1")],
        marked_by="coordinator",
    )  # fmt: skip

    assert stored == 1
    assert Attendance.objects.get(visit=visit, participant=person).present


def test_a_later_mark_wins_and_an_older_one_is_ignored(held):
    visit, person = held.visits[0], held.members[1]
    now = timezone.now()
    attendance_merge(visit=visit, marks=[Mark(person.pk, True, now - timedelta(minutes=10))], marked_by="a")

    attendance_merge(visit=visit, marks=[Mark(person.pk, False, now - timedelta(minutes=5))], marked_by="b")
    attendance_merge(visit=visit, marks=[Mark(person.pk, True, now - timedelta(minutes=20))], marked_by="c")

    row = Attendance.objects.get(visit=visit, participant=person)
    assert (row.present, row.marked_by) == (False, "b")


def test_a_phone_clock_ahead_cannot_outlast_a_later_correction(held):
    visit, person = held.visits[0], held.members[1]
    now = timezone.now()
    attendance_merge(visit=visit, marks=[Mark(person.pk, True, now + timedelta(days=1))], marked_by="phone", now=now)

    attendance_merge(
        visit=visit, marks=[Mark(person.pk, False, now + timedelta(seconds=1))], marked_by="organiser",
        now=now + timedelta(seconds=1),
    )  # fmt: skip

    assert Attendance.objects.get(visit=visit, participant=person).present is False


def test_a_stranger_or_a_cancelled_visit_is_refused_and_nothing_is_written(held):
    visit = held.visits[0]
    marks = [Mark(held.members[1].pk, True), Mark(held.stranger.pk, True)]

    with pytest.raises(ValidationError) as refused:
        attendance_merge(visit=visit, marks=marks, marked_by="x")
    with pytest.raises(ValidationError):
        attendance_merge(visit=held.visits[2], marks=[Mark(held.members[1].pk, True)], marked_by="x")

    assert str(held.stranger.pk) in str(refused.value)
    assert not Attendance.objects.exists()


def test_api_round_trip_answers_the_full_list(held, api):
    visit = held.visits[1]  # a joint visit: the other group's member may be marked too
    body = [
        {"participant": held.members[0].pk, "present": True},
        {"participant": held.members[1].pk, "present": False},
        {"participant": held.stranger.pk, "present": True},
    ]

    put = api.put(url(held, visit), body, format="json")
    put_again = api.put(url(held, visit), [{"participant": held.members[2].pk, "present": True}], format="json")
    got = api.get(url(held, visit))

    assert put.status_code == 200, put.json()
    assert len(put.json()) == 3
    assert put_again.json() == got.json()
    listed = {row["participant"]: row for row in got.json()}
    assert set(listed) == {held.members[0].pk, held.members[1].pk, held.members[2].pk, held.stranger.pk}
    assert listed[held.members[1].pk]["present"] is False
    assert listed[held.members[0].pk]["marked_by"] == "Ministry HR system"
    assert set(listed[held.members[0].pk]) == {"participant", "present", "marked_by", "marked_at"}
    assert listed[held.members[0].pk]["marked_at"].endswith("+05:00")


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ({"participant": 1, "present": True}, "list"),
        ([{"participant": "x", "present": True}], "integer"),
        ([{"participant": 1, "present": "yes"}], "boolean"),
        ([{"participant": 1}], "required"),
        ([{"participant": 1, "present": True, "extra": 1}], "Unknown field"),
        ("DUPLICATE", "more than once"),
        ("STRANGER", "Not a member"),
        ([{"participant": 1, "present": True, "marked_at": "2026-11-02T10:00:00"}], "offset"),
        ("LONG_AGO", "before the program starts"),
    ],
)
def test_hostile_input_is_a_400_naming_the_problem(held, api, body, named):
    member = held.members[0].pk
    if body == "DUPLICATE":
        body = [{"participant": member, "present": True}, {"participant": member, "present": False}]
    elif body == "STRANGER":
        body = [{"participant": 999999, "present": True}]
    elif body == "LONG_AGO":  # a partner's bad clock or default date: no mark is older than its program
        body = [{"participant": member, "present": True, "marked_at": "1900-01-01T00:00:00Z"}]

    response = api.put(url(held, held.visits[0]), body, format="json")

    assert response.status_code == 400
    assert named in str(response.json())
    assert not Attendance.objects.exists()


def test_read_token_cannot_write_and_other_programs_are_404(held, read_api, make_api):
    limited = make_api(programs=[])
    from tests.factories import ProgramFactory

    elsewhere = make_api(programs=[ProgramFactory()])

    assert read_api.put(url(held, held.visits[0]), [], format="json").status_code == 403
    assert limited.get(url(held, held.visits[0])).status_code == 200
    assert elsewhere.get(url(held, held.visits[0])).status_code == 404


def test_a_change_emits_attendance_updated_with_the_list(held, api, django_capture_on_commit_callbacks):
    webhook_create(client=api.partner, url="https://hr.example/hook", events=["attendance.updated"])
    body = [{"participant": held.members[0].pk, "present": True}]

    api.put(url(held, held.visits[0]), body, format="json")
    api.put(url(held, held.visits[0]), body, format="json")  # the same again: changes nothing

    deliveries = list(WebhookDelivery.objects.filter(event="attendance.updated"))
    assert len(deliveries) == 1
    assert deliveries[0].payload["visit"] == held.visits[0].pk
    assert deliveries[0].payload["attendance"][0]["participant"] == held.members[0].pk


def test_participant_resource_carries_an_attendance_summary(held, api):
    attendance_merge(
        visit=held.visits[0], marks=[Mark(held.members[1].pk, True), Mark(held.members[2].pk, False)], marked_by="x"
    )
    base = f"/api/v1/programs/{held.program.slug}/participants/"

    one = api.get(f"{base}{held.members[1].pk}/").json()
    listed = {row["id"]: row for row in api.get(base).json()["results"]}

    # Two non-cancelled visits (2 h and 3 h 30); present at the first.
    assert one["attendance"] == {"visits": 2, "present": 1, "absent": 0, "percent": 50, "hours": 2.0}
    assert listed[held.members[2].pk]["attendance"]["absent"] == 1
    assert listed[held.members[1].pk]["attendance"] == one["attendance"]


def test_openapi_documents_attendance_reports_and_the_participants_summary(db):
    from rest_framework.test import APIClient

    document = APIClient().get("/api/schema/?format=json").json()

    attendance = document["paths"]["/api/v1/programs/{program_slug}/visits/{id}/attendance/"]
    assert set(attendance) >= {"get", "put"}
    assert "400" in attendance["put"]["responses"]
    assert "/api/v1/programs/{program_slug}/outcome-report.pdf" in document["paths"]
    assert "/api/v1/programs/{program_slug}/outcome-report.xlsx" in document["paths"]
    assert "/api/v1/programs/{program_slug}/hosts/{host_id}/debrief.pdf" in document["paths"]
    schemas = document["components"]["schemas"]
    assert "attendance" in schemas["ParticipantOutput"]["properties"]
    assert "certificate_min_attendance" in schemas["ProgramOutput"]["properties"]
