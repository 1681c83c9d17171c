"""The contract of issue 3: exactly these fields, in these shapes, for each resource."""

from datetime import date

import pytest
from django.conf import settings

from participants.services import participant_rotate_token
from tests.factories import HostContactFactory, ParticipantFactory, ProjectGroupFactory, local
from visits.services import visit_create

pytestmark = pytest.mark.django_db

DAY = date(2026, 12, 8)


def english(text: str) -> dict:
    """`<field>_i18n` of a text written in English only (issue 14: every language, a missing one "")."""
    return {"en": text, "ru": "", "kk": ""}


def test_program_fields(program, api):
    program.topics.create(name="Digital transformation", slug="digital")

    body = api.get(f"/api/v1/programs/{program.slug}/").json()

    assert body == {
        "slug": program.slug,
        "title": program.title,
        "title_i18n": english(program.title),
        "description": "",
        "description_i18n": english(""),
        "host_institution": "Academy of Public Administration",
        "host_institution_i18n": english("Academy of Public Administration"),
        "city": "Astana",
        "city_i18n": english("Astana"),
        "timezone": "Asia/Almaty",
        "start_date": "2026-12-07",
        "end_date": "2026-12-16",
        "status": "published",
        "topics": ["Digital transformation"],
        "certificate_min_attendance": 80,
    }


def test_group_fields_with_participant_count(program, group, api):
    ParticipantFactory.create_batch(3, program=program, group=group)

    body = api.get(f"/api/v1/programs/{program.slug}/groups/{group.pk}/").json()

    assert body == {
        "id": group.pk,
        "name": group.name,
        "name_i18n": english(group.name),
        "theme": group.theme,
        "theme_i18n": english(group.theme),
        "participant_count": 3,
    }


def test_participant_fields_with_absolute_personal_links(program, group, api):
    participant = ParticipantFactory(program=program, group=group)

    body = api.get(f"/api/v1/programs/{program.slug}/participants/{participant.pk}/").json()

    token = participant.access_token
    assert body == {
        "id": participant.pk,
        "first_name": "Andrey",
        "last_name": participant.last_name,
        "patronymic": "Viktorovich",
        "email": participant.email,
        "phone": "",
        "position": participant.position,
        "organisation": participant.organisation,
        "region": "Tomsk Region",
        "language": "ru",
        "group": group.pk,
        "itinerary_url": f"{settings.SITE_URL}/i/{token}/",
        "calendar_url": f"{settings.SITE_URL}/i/{token}.ics",
        "attendance": {"visits": 0, "present": 0, "absent": 0, "percent": None, "hours": 0.0},
    }
    assert body["itinerary_url"].startswith("http")


def test_rotate_link_replaces_the_token_in_both_links(program, group, api):
    participant = ParticipantFactory(program=program, group=group)
    old = participant.access_token

    response = api.post(f"/api/v1/programs/{program.slug}/participants/{participant.pk}/rotate-link/")

    assert response.status_code == 200
    participant.refresh_from_db()
    assert participant.access_token != old
    assert response.json()["itinerary_url"] == f"{settings.SITE_URL}/i/{participant.access_token}/"
    assert old not in response.json()["calendar_url"]


def test_host_fields_with_contacts(api):
    contact = HostContactFactory(host__latitude="51.090000", host__longitude="71.418000")

    body = api.get(f"/api/v1/hosts/{contact.host.pk}/").json()

    assert body == {
        "id": contact.host.pk,
        "name": contact.host.name,
        "name_i18n": english(contact.host.name),
        "kind": "university",
        "address": contact.host.address,
        "address_i18n": english(contact.host.address),
        "city": "Astana",
        "city_i18n": english("Astana"),
        "website": "",
        "latitude": 51.09,
        "longitude": 71.418,
        "visitor_list_days_ahead": 3,
        "required_visitor_fields": ["position", "organisation"],
        "contacts": [
            {
                "name": "Asel Nurpeisova",
                "role": "Director of External Relations",
                "email": contact.email,
                "phone": "",
                "language": "ru",
            }
        ],
    }


def test_visit_fields_times_in_program_zone_and_warnings(program, group, host, api):
    visit = visit_create(
        program=program,
        groups=[group],
        host=host,
        title="Astana Hub",
        starts_at=local(program, DAY, 19),
        ends_at=local(program, DAY, 21),
        meeting_point="Hotel lobby",
        agenda="Tour of the startups",
        capacity=20,
    )

    body = api.get(f"/api/v1/programs/{program.slug}/visits/{visit.pk}/").json()

    assert body == {
        "id": visit.pk,
        "title": "Astana Hub",
        "title_i18n": english("Astana Hub"),
        "kind": "site_visit",
        "host": host.pk,
        "starts_at": "2026-12-08T19:00:00+05:00",
        "ends_at": "2026-12-08T21:00:00+05:00",
        "location": "",
        "location_i18n": english(""),
        "meeting_point": "Hotel lobby",
        "meeting_point_i18n": english("Hotel lobby"),
        "agenda": "Tour of the startups",
        "agenda_i18n": english("Tour of the startups"),
        "status": "planned",
        "capacity": 20,
        "groups": [group.pk],
        "warnings": [{"code": "outside_working_hours", "message": body["warnings"][0]["message"]}],
        "host_status": "",
        "host_note": "",
        "host_proposed_starts_at": None,
        "host_proposed_ends_at": None,
        "host_requested_at": None,
        "host_answered_at": None,
    }
    assert "08:00–20:00" in body["warnings"][0]["message"]


def test_itinerary_shape_days_and_items_in_time_order(program, group, other_group, host, api):
    participant = ParticipantFactory(program=program, group=group)
    later = visit_create(
        program=program,
        groups=[group],
        host=host,
        title="Later",
        starts_at=local(program, DAY, 15),
        ends_at=local(program, DAY, 17),
    )
    first = visit_create(
        program=program,
        groups=[group, other_group],
        host=None,
        title="First",
        starts_at=local(program, DAY, 9),
        ends_at=local(program, DAY, 10),
        location="Academy hall 1",
    )
    visit_create(
        program=program,
        groups=[other_group],
        host=host,
        title="Not mine",
        starts_at=local(program, DAY, 12),
        ends_at=local(program, DAY, 13),
    )
    next_day = visit_create(
        program=program,
        groups=[group],
        host=host,
        title="Next day",
        starts_at=local(program, date(2026, 12, 9), 10),
        ends_at=local(program, date(2026, 12, 9), 11),
        status="cancelled",
    )

    body = api.get(f"/api/v1/programs/{program.slug}/participants/{participant.pk}/itinerary/").json()

    assert body.keys() == {"participant", "program", "timezone", "days"}
    assert body["participant"]["id"] == participant.pk
    assert body["program"]["slug"] == program.slug
    assert body["timezone"] == "Asia/Almaty"
    assert [day["date"] for day in body["days"]] == ["2026-12-08", "2026-12-09"]
    assert [item["visit"] for item in body["days"][0]["items"]] == [first.pk, later.pk]
    assert body["days"][0]["items"][0] == {
        "visit": first.pk,
        "title": "First",
        "kind": "site_visit",
        "host": None,
        "starts_at": "2026-12-08T09:00:00+05:00",
        "ends_at": "2026-12-08T10:00:00+05:00",
        "location": "Academy hall 1",
        "meeting_point": "",
        "status": "planned",
    }
    assert body["days"][0]["items"][1]["host"] == {"id": host.pk, "name": host.name, "address": host.address}
    assert body["days"][0]["items"][1]["location"] == host.address  # defaults to the host's address
    assert body["days"][1]["items"][0]["visit"] == next_day.pk
    assert body["days"][1]["items"][0]["status"] == "cancelled"


def test_itinerary_etag_and_if_none_match_304_for_json_and_ics(program, group, host, api):
    participant = ParticipantFactory(program=program, group=group)
    visit = visit_create(
        program=program,
        groups=[group],
        host=host,
        title="Astana Hub",
        starts_at=local(program, DAY, 10),
        ends_at=local(program, DAY, 12),
    )
    base = f"/api/v1/programs/{program.slug}/participants/{participant.pk}"

    for url in (f"{base}/itinerary/", f"{base}/itinerary.ics", f"{base}/itinerary/?format=ics"):
        first = api.get(url)
        assert first.status_code == 200
        etag = first["ETag"]
        again = api.get(url, HTTP_IF_NONE_MATCH=etag)
        assert again.status_code == 304, url
        assert again.content == b""
    json_etag = api.get(f"{base}/itinerary/")["ETag"]
    ics_etag = api.get(f"{base}/itinerary.ics")["ETag"]
    assert json_etag != ics_etag

    from visits.services import visit_update

    visit_update(visit=visit, ends_at=local(program, DAY, 13))

    changed = api.get(f"{base}/itinerary/", HTTP_IF_NONE_MATCH=json_etag)
    assert changed.status_code == 200
    assert changed["ETag"] != json_etag


def test_itinerary_ics_is_text_calendar_both_ways(program, group, host, api):
    participant = ParticipantFactory(program=program, group=group)
    visit_create(
        program=program,
        groups=[group],
        host=host,
        title="Astana Hub",
        starts_at=local(program, DAY, 10),
        ends_at=local(program, DAY, 12),
    )
    base = f"/api/v1/programs/{program.slug}/participants/{participant.pk}"

    by_suffix = api.get(f"{base}/itinerary.ics")
    by_format = api.get(f"{base}/itinerary/?format=ics")

    for response in (by_suffix, by_format):
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/calendar")
        assert b"SUMMARY:Astana Hub" in response.content
    assert by_suffix.content == by_format.content


def test_itinerary_ics_errors_are_json(program, api):
    response = api.get(f"/api/v1/programs/{program.slug}/participants/999999/itinerary.ics")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


def test_rotated_token_does_not_change_the_itinerary_path(program, group, api):
    participant = ParticipantFactory(program=program, group=group)
    participant_rotate_token(participant=participant)

    assert api.get(f"/api/v1/programs/{program.slug}/participants/{participant.pk}/itinerary/").status_code == 200


def test_list_pagination_shape(program, api):
    ProjectGroupFactory.create_batch(3, program=program)

    body = api.get(f"/api/v1/programs/{program.slug}/groups/?page_size=2").json()

    assert body.keys() == {"count", "next", "previous", "results"}
    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert "page=2" in body["next"]
    assert body["previous"] is None
