"""Shifting a day and duplicating a visit through the API: all or nothing, clashes named, bad input a 400."""

from datetime import date

import pytest

from tests.factories import ProgramFactory, ProjectGroupFactory, local
from visits.models import SiteVisit
from visits.services import visit_create

pytestmark = pytest.mark.django_db

DAY = date(2026, 12, 8)


def book(program, groups, start, end, title="Visit", day=DAY):
    return visit_create(
        program=program, groups=groups, title=title,
        starts_at=local(program, day, *start), ends_at=local(program, day, *end),
    )  # fmt: skip


@pytest.fixture
def day_plan(program, group, other_group):
    return {
        "early": book(program, [group], (9,), (10,), "Early"),
        "late": book(program, [group], (10,), (11,), "Late"),
        "other": book(program, [other_group], (10,), (12,), "Other"),
    }


def shift_url(program):
    return f"/api/v1/programs/{program.slug}/visits/shift/"


def test_shift_moves_the_day_and_answers_the_moved_visits(program, day_plan, api):
    response = api.post(shift_url(program), {"date": "2026-12-08", "minutes": 30}, format="json")

    assert response.status_code == 200
    body = response.json()
    assert [(visit["title"], visit["starts_at"]) for visit in body] == [
        ("Early", "2026-12-08T09:30:00+05:00"),
        ("Late", "2026-12-08T10:30:00+05:00"),
        ("Other", "2026-12-08T10:30:00+05:00"),
    ]
    assert set(body[0]) == set(api.get(f"/api/v1/programs/{program.slug}/visits/").json()["results"][0])


def test_shift_of_some_groups_or_visits(program, group, other_group, day_plan, api):
    by_group = api.post(
        shift_url(program), {"date": "2026-12-08", "minutes": -30, "groups": [other_group.pk]}, format="json"
    )
    by_visit = api.post(
        shift_url(program), {"date": "2026-12-08", "minutes": 15, "visits": [day_plan["late"].pk]}, format="json"
    )

    assert [visit["title"] for visit in by_group.json()] == ["Other"]
    assert [visit["starts_at"] for visit in by_visit.json()] == ["2026-12-08T10:15:00+05:00"]


def test_shift_with_a_clash_answers_409_naming_every_clash_and_moves_nothing(
    program, group, other_group, day_plan, api
):
    lunch = book(program, [group], (11, 30), (12,), "Lunch")
    press = book(program, [other_group], (12,), (13,), "Press")

    response = api.post(
        shift_url(program),
        {"date": "2026-12-08", "minutes": 60, "visits": [day_plan["late"].pk, day_plan["other"].pk]},
        format="json",
    )

    assert response.status_code == 409
    body = response.json()
    assert "Lunch" in body["detail"]
    assert "Press" in body["detail"]
    assert body["conflicts"] == [
        {"visit": lunch.pk, "group": group.pk, "starts_at": "2026-12-08T11:30:00+05:00",
         "ends_at": "2026-12-08T12:00:00+05:00"},
        {"visit": press.pk, "group": other_group.pk, "starts_at": "2026-12-08T12:00:00+05:00",
         "ends_at": "2026-12-08T13:00:00+05:00"},
    ]  # fmt: skip
    assert not SiteVisit.objects.filter(sequence__gt=0).exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"date": "2026-12-08", "minutes": 0}, "minutes"),
        ({"date": "2026-12-08", "minutes": "30"}, "minutes"),
        ({"date": "2026-12-08", "minutes": 1.5}, "minutes"),
        ({"date": "2026-12-08", "minutes": 10**12}, "minutes"),
        ({"date": "2026-12-08"}, "minutes"),
        ({"date": "2027-05-01", "minutes": 30}, "date"),
        ({"date": "8.12.2026", "minutes": 30}, "date"),
        ({"minutes": 30}, "date"),
        ({"date": "2026-12-08", "minutes": 30, "groups": [999999]}, "groups"),
        ({"date": "2026-12-08", "minutes": 30, "groups": "all"}, "groups"),
        ({"date": "2026-12-08", "minutes": 30, "groups": []}, "groups"),
        ({"date": "2026-12-08", "minutes": 30, "visits": [999999]}, "visits"),
        ({"date": "2026-12-08", "minutes": 30, "visits": [None]}, "visits"),
        ({"date": "2026-12-08", "minutes": 30, "hours": 1}, "hours"),
    ],
)
def test_shift_bad_input_is_400_naming_the_field(program, day_plan, api, body, field):
    response = api.post(shift_url(program), body, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert not SiteVisit.objects.filter(sequence__gt=0).exists()


def test_shift_refuses_ids_of_another_program(program, day_plan, api):
    elsewhere = ProgramFactory()
    foreign_group = ProjectGroupFactory(program=elsewhere)
    foreign_visit = book(elsewhere, [foreign_group], (9,), (10,))

    groups = api.post(shift_url(program), {"date": "2026-12-08", "minutes": 30, "groups": [foreign_group.pk]},
                      format="json")  # fmt: skip
    visits = api.post(shift_url(program), {"date": "2026-12-08", "minutes": 30, "visits": [foreign_visit.pk]},
                      format="json")  # fmt: skip

    assert (groups.status_code, visits.status_code) == (400, 400)
    assert "groups" in groups.json()["errors"]
    assert "visits" in visits.json()["errors"]


def test_shift_needs_a_write_token(program, day_plan, read_api):
    response = read_api.post(shift_url(program), {"date": "2026-12-08", "minutes": 30}, format="json")

    assert response.status_code == 403
    assert not SiteVisit.objects.filter(sequence__gt=0).exists()


def test_duplicate_answers_201_with_the_copy(program, group, other_group, day_plan, api):
    source = day_plan["other"]
    response = api.post(
        f"/api/v1/programs/{program.slug}/visits/{source.pk}/duplicate/",
        {"starts_at": "2026-12-09T15:00:00+05:00", "groups": [group.pk]},
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    assert body["id"] != source.pk
    assert (body["title"], body["starts_at"], body["ends_at"], body["groups"]) == (
        "Other", "2026-12-09T15:00:00+05:00", "2026-12-09T17:00:00+05:00", [group.pk],
    )  # fmt: skip


def test_duplicate_onto_a_clash_is_409_and_writes_nothing(program, day_plan, api):
    response = api.post(
        f"/api/v1/programs/{program.slug}/visits/{day_plan['early'].pk}/duplicate/",
        {"starts_at": "2026-12-08T10:30:00+05:00"},
        format="json",
    )

    assert response.status_code == 409
    assert response.json()["conflicts"][0]["visit"] == day_plan["late"].pk
    assert SiteVisit.objects.count() == 3


@pytest.mark.parametrize(
    "body",
    [{}, {"starts_at": "2026-12-09T15:00:00"}, {"starts_at": 5}, {"starts_at": "2027-06-01T10:00:00+05:00"},
     {"starts_at": "2026-12-09T15:00:00+05:00", "groups": [999999]}, {"starts_at": "9999-12-31T23:00:00+05:00"},
     {"starts_at": "0001-01-01T00:00:00+05:00"}],
)  # fmt: skip
def test_duplicate_bad_input_is_400(program, day_plan, api, body):
    response = api.post(
        f"/api/v1/programs/{program.slug}/visits/{day_plan['early'].pk}/duplicate/", body, format="json"
    )

    assert response.status_code == 400, response.content
    assert response.json()["errors"]
    assert SiteVisit.objects.count() == 3


def test_duplicate_of_a_visit_of_another_program_is_404(program, day_plan, api):
    elsewhere = ProgramFactory()
    foreign = book(elsewhere, [ProjectGroupFactory(program=elsewhere)], (9,), (10,))

    response = api.post(
        f"/api/v1/programs/{program.slug}/visits/{foreign.pk}/duplicate/",
        {"starts_at": "2026-12-09T15:00:00+05:00"},
        format="json",
    )

    assert response.status_code == 404
