"""Writes through the API go through the services: conflicts, cancellations, and bad input."""

from datetime import date

import pytest

from participants.models import Participant, ProjectGroup
from programs.models import Program
from tests.factories import HostOrganisationFactory, ParticipantFactory, ProgramFactory, ProjectGroupFactory, local
from visits.models import HostOrganisation, SiteVisit, VisitGroup
from visits.services import visit_create

pytestmark = pytest.mark.django_db

DAY = date(2026, 12, 8)


def visit_body(group_ids, start="2026-12-08T10:00:00+05:00", end="2026-12-08T12:00:00+05:00", **extra):
    return {"title": "Astana Hub", "starts_at": start, "ends_at": end, "groups": group_ids, **extra}


def test_double_booking_answers_409_with_conflicts_and_writes_nothing(program, group, other_group, host, api):
    booked = visit_create(
        program=program,
        groups=[group],
        host=host,
        title="Nazarbayev University",
        starts_at=local(program, DAY, 10),
        ends_at=local(program, DAY, 12),
    )
    url = f"/api/v1/programs/{program.slug}/visits/"

    response = api.post(url, visit_body([other_group.pk, group.pk], start="2026-12-08T11:00:00+05:00"), format="json")

    assert response.status_code == 409
    body = response.json()
    assert "Nazarbayev University" in body["detail"]
    assert body["conflicts"] == [
        {
            "visit": booked.pk,
            "group": group.pk,
            "starts_at": "2026-12-08T10:00:00+05:00",
            "ends_at": "2026-12-08T12:00:00+05:00",
        }
    ]
    assert SiteVisit.objects.count() == 1
    assert VisitGroup.objects.count() == 1


def test_moving_a_visit_onto_another_answers_409_and_keeps_it(program, group, host, api):
    visit_create(
        program=program,
        groups=[group],
        host=host,
        title="A",
        starts_at=local(program, DAY, 10),
        ends_at=local(program, DAY, 12),
    )
    other = visit_create(
        program=program,
        groups=[group],
        host=host,
        title="B",
        starts_at=local(program, DAY, 14),
        ends_at=local(program, DAY, 15),
    )

    response = api.patch(
        f"/api/v1/programs/{program.slug}/visits/{other.pk}/", {"starts_at": "2026-12-08T11:00:00+05:00"}, format="json"
    )

    assert response.status_code == 409
    other.refresh_from_db()
    assert other.starts_at == local(program, DAY, 14)


def test_create_visit_returns_201_and_the_visit(program, group, host, api):
    response = api.post(
        f"/api/v1/programs/{program.slug}/visits/", visit_body([group.pk], host=host.pk, kind="lecture"), format="json"
    )

    assert response.status_code == 201
    body = response.json()
    visit = SiteVisit.objects.get(pk=body["id"])
    assert visit.host == host
    assert body["groups"] == [group.pk]
    assert body["starts_at"] == "2026-12-08T10:00:00+05:00"
    assert body["kind"] == "lecture"


def test_times_with_another_offset_are_stored_as_the_same_moment(program, group, api):
    response = api.post(
        f"/api/v1/programs/{program.slug}/visits/",
        visit_body([group.pk], start="2026-12-08T05:00:00Z", end="2026-12-08T09:00:00+03:00"),
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert response.json()["starts_at"] == "2026-12-08T10:00:00+05:00"
    assert response.json()["ends_at"] == "2026-12-08T11:00:00+05:00"


def test_naive_datetime_answers_400_naming_the_field(program, group, api):
    response = api.post(
        f"/api/v1/programs/{program.slug}/visits/", visit_body([group.pk], start="2026-12-08T10:00:00"), format="json"
    )

    assert response.status_code == 400
    body = response.json()
    assert list(body["errors"]) == ["starts_at"]
    assert "offset" in body["errors"]["starts_at"][0]
    assert "starts_at" in body["detail"]
    assert not SiteVisit.objects.exists()


def test_service_rule_outside_program_dates_answers_400_naming_the_field(program, group, api):
    response = api.post(
        f"/api/v1/programs/{program.slug}/visits/",
        visit_body([group.pk], start="2027-01-08T10:00:00+05:00", end="2027-01-08T11:00:00+05:00"),
        format="json",
    )

    assert response.status_code == 400
    assert "program's dates" in response.json()["errors"]["starts_at"][0]


def test_delete_cancels_the_visit_and_keeps_it(program, group, host, api):
    visit = visit_create(
        program=program,
        groups=[group],
        host=host,
        title="A",
        starts_at=local(program, DAY, 10),
        ends_at=local(program, DAY, 12),
    )
    url = f"/api/v1/programs/{program.slug}/visits/{visit.pk}/"

    response = api.delete(url)

    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert api.get(url).json()["status"] == "cancelled"
    visit.refresh_from_db()
    assert visit.sequence == 1
    # the group's time is free again
    again = api.post(f"/api/v1/programs/{program.slug}/visits/", visit_body([group.pk]), format="json")
    assert again.status_code == 201


def test_unknown_fields_answer_400_naming_them(program, api):
    response = api.post(
        f"/api/v1/programs/{program.slug}/groups/", {"name": "Group 9", "colour": "red", "size": 3}, format="json"
    )

    assert response.status_code == 400
    assert sorted(response.json()["errors"]) == ["colour", "size"]
    assert not ProjectGroup.objects.filter(name="Group 9").exists()


def test_unknown_field_in_a_nested_contact_answers_400(api):
    response = api.post(
        "/api/v1/hosts/", {"name": "Astana Hub", "contacts": [{"name": "Asel", "fax": "1"}]}, format="json"
    )

    assert response.status_code == 400
    assert "fax" in str(response.json()["errors"])
    assert not HostOrganisation.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": 5, "starts_at": "x", "ends_at": "2026-12-08T12:00:00+05:00"}, "starts_at"),
        ({"title": "A", "starts_at": 12, "ends_at": "2026-12-08T12:00:00+05:00"}, "starts_at"),
        (
            {
                "title": "A",
                "starts_at": "2026-12-08T10:00:00+05:00",
                "ends_at": "2026-12-08T12:00:00+05:00",
                "groups": "1",
            },
            "groups",
        ),
        (
            {
                "title": "A",
                "starts_at": "2026-12-08T10:00:00+05:00",
                "ends_at": "2026-12-08T12:00:00+05:00",
                "capacity": "many",
            },
            "capacity",
        ),
        (
            {
                "title": "A",
                "starts_at": "2026-12-08T10:00:00+05:00",
                "ends_at": "2026-12-08T12:00:00+05:00",
                "capacity": 10**12,
            },
            "capacity",
        ),
        (
            {
                "title": "A",
                "starts_at": "2026-12-08T10:00:00+05:00",
                "ends_at": "2026-12-08T12:00:00+05:00",
                "status": "done",
            },
            "status",
        ),
        (
            {"title": "A" * 301, "starts_at": "2026-12-08T10:00:00+05:00", "ends_at": "2026-12-08T12:00:00+05:00"},
            "title",
        ),
        (
            {"title": "A\x00B", "starts_at": "2026-12-08T10:00:00+05:00", "ends_at": "2026-12-08T12:00:00+05:00"},
            "title",
        ),
        ({"title": "A", "starts_at": "0001-01-01T00:00:00+05:00", "ends_at": "2026-12-08T12:00:00+05:00"}, "starts_at"),
        ({"title": "A", "starts_at": "2026-12-08T10:00:00+05:00", "ends_at": "2026-12-08T09:00:00+05:00"}, "ends_at"),
    ],
)
def test_wrong_types_answer_400_naming_the_field(program, api, body, field):
    response = api.post(f"/api/v1/programs/{program.slug}/visits/", body, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert not SiteVisit.objects.exists()


def test_ids_from_another_program_answer_400_and_write_nothing(program, group, api):
    foreign_group = ProjectGroupFactory(program=ProgramFactory())

    visit = api.post(
        f"/api/v1/programs/{program.slug}/visits/", visit_body([group.pk, foreign_group.pk]), format="json"
    )
    person = api.post(
        f"/api/v1/programs/{program.slug}/participants/",
        {"first_name": "A", "last_name": "B", "email": "a@b.example", "group": foreign_group.pk},
        format="json",
    )

    assert visit.status_code == 400
    assert "groups" in visit.json()["errors"]
    assert person.status_code == 400
    assert "group" in person.json()["errors"]
    assert not SiteVisit.objects.exists()
    assert not Participant.objects.exists()


def test_objects_of_another_program_are_404_under_this_program(program, api):
    foreign = ParticipantFactory(program=ProgramFactory())

    assert api.get(f"/api/v1/programs/{program.slug}/participants/{foreign.pk}/").status_code == 404
    assert api.get(f"/api/v1/programs/{program.slug}/participants/{foreign.pk}/itinerary/").status_code == 404
    response = api.patch(f"/api/v1/programs/{program.slug}/participants/{foreign.pk}/", {"region": "X"}, format="json")
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.region != "X"


def test_malformed_json_answers_400(program, api):
    response = api.generic(
        "POST", f"/api/v1/programs/{program.slug}/groups/", "{not json", content_type="application/json"
    )

    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]


def test_a_json_list_instead_of_an_object_answers_400(program, api):
    response = api.post(f"/api/v1/programs/{program.slug}/groups/", [{"name": "G"}], format="json")

    assert response.status_code == 400
    assert "detail" in response.json()


def test_wrong_content_type_answers_415(program, api):
    response = api.generic(
        "POST", f"/api/v1/programs/{program.slug}/groups/", "name=G", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 415
    assert "Unsupported media type" in response.json()["detail"]
    assert not ProjectGroup.objects.exists()


@pytest.mark.parametrize("size", ["501", "100000", "0", "-1", "many", ""])
def test_bad_page_size_answers_400(program, api, size):
    response = api.get(f"/api/v1/programs/{program.slug}/visits/?page_size={size}")

    assert response.status_code == 400
    assert "page_size" in response.json()["errors"]


def test_page_size_500_is_allowed(program, api):
    assert api.get(f"/api/v1/programs/{program.slug}/visits/?page_size=500").status_code == 200


def test_duplicate_program_slug_answers_400_from_the_service(program, api):
    body = {
        "slug": program.slug,
        "title": "T",
        "host_institution": "H",
        "city": "C",
        "timezone": "Asia/Almaty",
        "start_date": "2027-01-01",
        "end_date": "2027-01-02",
    }

    response = api.post("/api/v1/programs/", body, format="json")

    assert response.status_code == 400
    assert "slug" in response.json()["errors"]
    assert Program.objects.count() == 1


def test_program_with_unknown_timezone_or_reversed_dates_answers_400(api):
    body = {
        "slug": "p",
        "title": "T",
        "host_institution": "H",
        "city": "C",
        "timezone": "Mars/Olympus",
        "start_date": "2027-01-05",
        "end_date": "2027-01-02",
    }

    response = api.post("/api/v1/programs/", body, format="json")

    assert response.status_code == 400
    assert "timezone" in response.json()["errors"]
    assert not Program.objects.exists()


def test_program_dates_out_of_bounds_answer_400_naming_the_field_and_change_nothing(program, api):
    response = api.patch(
        f"/api/v1/programs/{program.slug}/", {"start_date": "0001-01-01", "end_date": "9999-12-31"}, format="json"
    )

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert "2000" in errors["start_date"][0]
    assert "2100" in errors["end_date"][0]
    program.refresh_from_db()
    assert (program.start_date, program.end_date) == (date(2026, 12, 7), date(2026, 12, 16))


def test_program_longer_than_366_days_answers_400_naming_end_date(program, api):
    response = api.patch(f"/api/v1/programs/{program.slug}/", {"end_date": "2027-12-08"}, format="json")

    assert response.status_code == 400
    assert "366 days" in response.json()["errors"]["end_date"][0]
    program.refresh_from_db()
    assert program.end_date == date(2026, 12, 16)


def test_host_update_replaces_contacts(api):
    host = HostOrganisationFactory()

    response = api.patch(
        f"/api/v1/hosts/{host.pk}/",
        {"contacts": [{"name": "Dana", "role": "Protocol"}], "latitude": 51.1},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["contacts"] == [
        {"name": "Dana", "role": "Protocol", "email": "", "phone": "", "language": "ru"}
    ]
    assert response.json()["latitude"] == 51.1


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("group={group}", ["A", "C"]),
        ("host={host}", ["A"]),
        ("status=cancelled", ["C"]),
        ("date=2026-12-09", ["C"]),
        ("date=2026-12-08", ["A", "B"]),
        ("starts_after=2026-12-08T11:00:00%2B05:00", ["B", "C"]),
        ("ends_before=2026-12-08T12:00:00%2B05:00", ["A"]),
        ("group={group}&date=2026-12-08", ["A"]),
    ],
)
def test_visit_filters(program, group, other_group, host, api, query, expected):
    other_host = HostOrganisationFactory()
    visit_create(
        program=program,
        groups=[group],
        host=host,
        title="A",
        starts_at=local(program, DAY, 10),
        ends_at=local(program, DAY, 12),
    )
    visit_create(
        program=program,
        groups=[other_group],
        host=other_host,
        title="B",
        starts_at=local(program, DAY, 13),
        ends_at=local(program, DAY, 14),
    )
    # 00:30 local on the 9th is still the 8th in UTC: `date` is the program's local day.
    visit_create(
        program=program,
        groups=[group],
        host=other_host,
        title="C",
        starts_at=local(program, date(2026, 12, 9), 0, 30),
        ends_at=local(program, date(2026, 12, 9), 2),
        status="cancelled",
    )

    response = api.get(f"/api/v1/programs/{program.slug}/visits/?" + query.format(group=group.pk, host=host.pk))

    assert response.status_code == 200, response.json()
    assert [row["title"] for row in response.json()["results"]] == expected


def test_offsets_postgresql_cannot_store_are_accepted_as_the_same_moment(program, group, api):
    # Python accepts offsets up to ±23:59, PostgreSQL only ±15:59.
    start, end = "2026-12-08T23:00:00-18:00", "2026-12-09T00:00:00-18:00"
    listed = api.get(f"/api/v1/programs/{program.slug}/visits/?ends_before=2026-12-09T00:00:00-23:15")

    response = api.post(
        f"/api/v1/programs/{program.slug}/visits/", visit_body([group.pk], start=start, end=end), format="json"
    )

    assert listed.status_code == 200
    assert response.status_code == 201, response.json()
    assert response.json()["starts_at"] == "2026-12-09T22:00:00+05:00"


@pytest.mark.parametrize(
    "query",
    [
        "starts_after=2026-12-08T11:00:00",
        "date=yesterday",
        "status=done",
        "group=abc",
        "starts_after=",
        "date=",
        "status=",
        "host=%20",
    ],
)
def test_bad_filter_values_answer_400(program, api, query):
    response = api.get(f"/api/v1/programs/{program.slug}/visits/?{query}")

    assert response.status_code == 400
    assert query.split("=")[0] in response.json()["errors"]


def test_moving_a_participant_into_a_group_whose_visit_is_full_answers_400_naming_it(program, group, other_group, api):
    ParticipantFactory(program=program, group=group)
    visit_create(
        program=program,
        groups=[group],
        title="Astana Hub",
        capacity=1,
        starts_at=local(program, DAY, 10),
        ends_at=local(program, DAY, 12),
    )
    newcomer = ParticipantFactory(program=program, group=other_group)

    response = api.patch(
        f"/api/v1/programs/{program.slug}/participants/{newcomer.pk}/", {"group": group.pk}, format="json"
    )

    assert response.status_code == 400
    assert "Astana Hub" in response.json()["errors"]["group"][0]
    newcomer.refresh_from_db()
    assert newcomer.group == other_group


def test_program_dates_leaving_a_visit_outside_answer_400_naming_it(program, api):
    visit_create(
        program=program, title="Closing ceremony", starts_at=local(program, DAY, 10), ends_at=local(program, DAY, 12)
    )

    response = api.patch(f"/api/v1/programs/{program.slug}/", {"end_date": "2026-12-07"}, format="json")

    assert response.status_code == 400
    assert "Closing ceremony" in response.json()["errors"]["end_date"][0]
    assert Program.objects.get(pk=program.pk).end_date == date(2026, 12, 16)
