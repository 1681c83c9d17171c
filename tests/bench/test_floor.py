"""Each floor view answers the same question as the real endpoint it is measured against.

A floor that returned less (fewer visits, no warnings, no access check)
would flatter the portal's ratio; these tests hold the floor to the same
answer: equal JSON for the API, the same events for the calendar, the same
visits, times and warnings on the pages. PostgreSQL only, like the floor's SQL.
"""

import json
import re
from datetime import timedelta

import icalendar
import pytest

from partners.services import api_client_create
from tests.factories import HostOrganisationFactory, ParticipantFactory, ProjectGroupFactory, local
from visits.services import visit_cancel, visit_create

pytestmark = [pytest.mark.postgres, pytest.mark.urls("tests.bench.urls")]


@pytest.fixture
def schedule(program):
    """Two groups; a joint lecture, a tight connection, an evening visit (warnings), a cancelled one
    without host; texts with commas, semicolons, new lines and long lines for the calendar's escaping."""
    group_a = ProjectGroupFactory(program=program, name="Group A: Digital state")
    group_b = ProjectGroupFactory(program=program, name="Group B: Demography")
    academy = HostOrganisationFactory(
        name="Academy", address="33a Abay Ave, Astana", latitude="51.160523", longitude="71.431580"
    )
    hub = HostOrganisationFactory(name="Astana Hub", address="55/8 Mangilik El Ave; Astana")
    day1 = program.start_date
    day2 = day1 + timedelta(days=1)
    lecture = visit_create(
        program=program,
        groups=[group_a, group_b],
        title="Lecture: planning, projects; KPIs",
        kind="lecture",
        host=academy,
        starts_at=local(program, day1, 9),
        ends_at=local(program, day1, 10, 30),
        agenda="Strategy 2050, national projects;\nthe KPI cascade. " + "Long agenda text " * 8,
        meeting_point="Main entrance",
    )
    hub_visit = visit_create(
        program=program,
        groups=[group_a],
        title="Astana Hub: start-ups",
        host=hub,
        starts_at=local(program, day1, 10, 45),
        ends_at=local(program, day1, 12),
    )
    evening = visit_create(
        program=program,
        groups=[group_a],
        title="Evening reception",
        kind="ceremony",
        host=academy,
        starts_at=local(program, day1, 19),
        ends_at=local(program, day1, 21),
    )
    transfer = visit_create(
        program=program,
        groups=[group_b, group_a],
        title="Transfer",
        kind="transfer",
        host=None,
        location="Hotel lobby",
        starts_at=local(program, day2, 10),
        ends_at=local(program, day2, 11),
    )
    visit_cancel(visit=transfer)
    participant = ParticipantFactory(program=program, group=group_a, first_name="Andrey", last_name="Antonov")
    return {
        "participant": participant,
        "groups": [group_a, group_b],
        "visits": [lecture, hub_visit, evening, transfer],
        "day": day1,
    }


@pytest.fixture
def api_token(db):
    _client, token = api_client_create(name="Benchmark", scopes=["read"], programs=[])
    return token


def test_floor_itinerary_json_equals_the_api(client, program, schedule, api_token):
    participant = schedule["participant"]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {api_token}"}
    real = client.get(f"/api/v1/programs/{program.slug}/participants/{participant.pk}/itinerary/", **auth)
    floor = client.get(f"/bench-floor/api/{program.slug}/participants/{participant.pk}/itinerary/", **auth)

    assert real.status_code == floor.status_code == 200
    assert json.loads(floor.content) == real.json()
    days = real.json()["days"]
    assert [len(day["items"]) for day in days] == [3, 1]
    assert days[1]["items"][0]["status"] == "cancelled"


def test_floor_itinerary_json_checks_the_token(client, program, schedule):
    participant = schedule["participant"]
    url = f"/bench-floor/api/{program.slug}/participants/{participant.pk}/itinerary/"

    assert client.get(url).status_code == 401
    assert client.get(url, HTTP_AUTHORIZATION="Bearer not-a-token").status_code == 404


@pytest.mark.parametrize("page", [1, 2])
def test_floor_visits_list_equals_the_api(client, program, schedule, api_token, page):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {api_token}"}
    query = f"?date={schedule['day'].isoformat()}&page_size=2&page={page}"
    real = client.get(f"/api/v1/programs/{program.slug}/visits/{query}", **auth)
    floor = client.get(f"/bench-floor/api/{program.slug}/visits/{query}", **auth)

    assert real.status_code == floor.status_code == 200
    real_body, floor_body = real.json(), json.loads(floor.content)
    # The links differ by their path only: the same page of the same query.
    for key in ("next", "previous"):
        if floor_body[key]:
            floor_body[key] = floor_body[key].replace("/bench-floor/api/", "/api/v1/programs/")
    assert floor_body == real_body
    assert (real_body["next"] is None) == (page == 2)
    assert real_body["count"] == 3
    warnings = [w["code"] for visit in real_body["results"] for w in visit["warnings"]]
    assert warnings, "the fixture's day must carry soft warnings, or the comparison proves little"


def _events(body: bytes) -> dict[str, dict]:
    calendar = icalendar.Calendar.from_ical(body)
    events = {}
    for event in calendar.walk("VEVENT"):
        events[str(event["UID"])] = {
            "summary": str(event["SUMMARY"]),
            "start": event.decoded("DTSTART").timestamp(),
            "end": event.decoded("DTEND").timestamp(),
            "location": str(event.get("LOCATION", "")),
            "description": str(event.get("DESCRIPTION", "")),
            "status": str(event["STATUS"]),
            "sequence": int(event["SEQUENCE"]),
            "url": str(event["URL"]),
            "geo": (event["GEO"].latitude, event["GEO"].longitude) if "GEO" in event else None,
        }
    return events


TEXT_PROPERTIES = ("UID", "SEQUENCE", "SUMMARY", "LOCATION", "DESCRIPTION", "URL", "STATUS")


def _raw_properties(body: bytes) -> list[list[str]]:
    """Each event's text properties as written (unfolded, escaped): the escaping must match too."""
    unfolded = body.decode().replace("\r\n ", "")
    events = []
    for chunk in unfolded.split("BEGIN:VEVENT")[1:]:
        lines = chunk.split("END:VEVENT")[0].split("\r\n")
        events.append(sorted(line for line in lines if line.split(":", 1)[0].split(";", 1)[0] in TEXT_PROPERTIES))
    return sorted(events)


def test_floor_calendar_has_the_same_events(client, schedule):
    token = schedule["participant"].access_token
    real = client.get(f"/i/{token}.ics")
    floor = client.get(f"/bench-floor/i/{token}.ics")

    assert real.status_code == floor.status_code == 200
    real_events, floor_events = _events(real.content), _events(floor.content)
    assert floor_events == real_events
    assert _raw_properties(floor.content) == _raw_properties(real.content)
    assert len(real_events) == 4
    assert "CANCELLED" in {event["status"] for event in real_events.values()}
    assert all(len(line.encode()) <= 75 for line in floor.content.decode().split("\r\n"))


def _visible_text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_floor_personal_page_shows_the_same_visits(client, program, schedule):
    token = schedule["participant"].access_token
    real = client.get(f"/i/{token}/")
    floor = client.get(f"/bench-floor/i/{token}/")

    assert real.status_code == floor.status_code == 200
    real_text, floor_text = _visible_text(real.content.decode()), _visible_text(floor.content.decode())
    for visit in schedule["visits"]:
        start = visit.starts_at.astimezone(program.tzinfo).strftime("%H:%M")
        end = visit.ends_at.astimezone(program.tzinfo).strftime("%H:%M")
        for text in (real_text, floor_text):
            assert visit.title.replace("&", "&amp;") in text or visit.title in text
            assert start in text
            assert end in text
    for group in schedule["groups"]:  # the joint lecture names both groups on both pages
        assert group.name in real_text
        assert group.name in floor_text


def test_floor_personal_page_refuses_an_unknown_token(client, schedule):
    assert client.get("/bench-floor/i/not-a-token/").status_code == 404


def test_floor_board_shows_the_same_blocks_and_warnings(client, program, schedule, django_user_model):
    organiser = django_user_model.objects.create_user(username="organiser-bench", password="x", is_superuser=True)
    client.force_login(organiser)
    day = schedule["day"].isoformat()
    real = client.get(f"/organiser/programs/{program.slug}/board/?day={day}")
    floor = client.get(f"/bench-floor/board/{program.slug}/{day}/")

    assert real.status_code == floor.status_code == 200

    def blocks(html: str) -> set[tuple[str, str]]:
        # (visit id, group) for each block: the board's question is "who is where, when".
        return set(re.findall(r'data-visit="(\d+)"', html))

    real_html, floor_html = real.content.decode(), floor.content.decode()
    assert blocks(floor_html) == blocks(real_html) == {str(visit.pk) for visit in schedule["visits"][:3]}
    # One block per visit: the lecture for both (adjacent) groups is drawn once across their columns.
    assert real_html.count('data-visit="') == floor_html.count('data-visit="') == 3
    for message in ("only 15 minutes to travel", "outside 08:00–20:00"):
        assert message in real_html
        assert message in floor_html


def test_floor_board_is_for_organisers_only(client, program, schedule, django_user_model):
    stranger = django_user_model.objects.create_user(username="stranger", password="x")
    day = schedule["day"].isoformat()

    assert client.get(f"/bench-floor/board/{program.slug}/{day}/").status_code == 302
    client.force_login(stranger)
    assert client.get(f"/bench-floor/board/{program.slug}/{day}/").status_code == 404
