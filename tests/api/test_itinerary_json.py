"""The itinerary JSON is built from plain rows (`itinerary_json`) and must stay the document that
`ItinerarySerializer` describes in the schema: the two are compared on every kind of item."""

import json
from datetime import timedelta

import pytest

from itinerary.api.serializers import ItinerarySerializer, itinerary_json
from itinerary.selectors import participant_itinerary, participant_itinerary_rows
from programs.services import program_update
from tests.factories import HostOrganisationFactory, ParticipantFactory, local
from visits.services import visit_cancel, visit_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def participant(program, group, other_group):
    program_update(program=program, topics=["Digital state", "Human capital"])
    host = HostOrganisationFactory(name="Astana Hub", address="55/5 Mangilik El Ave")
    day = program.start_date
    visit_create(
        program=program, groups=[group, other_group], host=host, title="Astana Hub tour", kind="site_visit",
        starts_at=local(program, day, 10), ends_at=local(program, day, 12), meeting_point="Hotel lobby",
    )  # fmt: skip
    visit_create(
        program=program, groups=[group], host=host, title="Workshop in the annex", kind="workshop",
        starts_at=local(program, day, 14), ends_at=local(program, day, 16), location="Annex, room 4",
    )  # fmt: skip
    visit_create(
        program=program, groups=[group], host=None, title="Transfer to the airport", kind="transfer",
        starts_at=local(program, day + timedelta(days=1), 23), ends_at=local(program, day + timedelta(days=2), 1),
        location="Nursultan Nazarbayev International Airport",
    )  # fmt: skip
    dropped = visit_create(
        program=program, groups=[group], host=None, title="Cancelled dinner", kind="ceremony",
        starts_at=local(program, day + timedelta(days=3), 19), ends_at=local(program, day + timedelta(days=3), 21),
    )  # fmt: skip
    visit_cancel(visit=dropped)
    participant = ParticipantFactory(program=program, group=group)
    participant.refresh_from_db()
    return participant


def as_json(data) -> object:
    return json.loads(json.dumps(data))


def test_itinerary_json_equals_the_serializer_document(participant):
    expected = as_json(ItinerarySerializer(participant_itinerary(participant=participant)).data)

    built = as_json(itinerary_json(itinerary=participant_itinerary_rows(participant=participant)))

    assert built == expected
    items = [item for day in built["days"] for item in day["items"]]
    assert [item["title"] for item in items] == [
        "Astana Hub tour", "Workshop in the annex", "Transfer to the airport", "Cancelled dinner",
    ]  # fmt: skip
    assert items[1]["location"] == "Annex, room 4"
    assert items[0]["location"] == "55/5 Mangilik El Ave"
    assert items[2]["host"] is None
    assert items[3]["status"] == "cancelled"
    assert built["program"]["topics"] == ["Digital state", "Human capital"]


def test_itinerary_json_of_a_participant_without_group(program):
    participant = ParticipantFactory(program=program, group=None)
    participant.refresh_from_db()

    built = as_json(itinerary_json(itinerary=participant_itinerary_rows(participant=participant)))

    assert built["days"] == []
    assert built == as_json(ItinerarySerializer(participant_itinerary(participant=participant)).data)


def test_api_answers_the_serializer_document(participant, program, make_api):
    api = make_api(scopes=("read",))

    response = api.get(f"/api/v1/programs/{program.slug}/participants/{participant.pk}/itinerary/")

    assert response.status_code == 200
    assert response.json() == as_json(ItinerarySerializer(participant_itinerary(participant=participant)).data)


def test_api_itinerary_of_a_program_outside_the_token_limits_is_404(participant, program, make_api):
    from tests.factories import ProgramFactory

    limited = make_api(scopes=("read",), programs=[ProgramFactory()])

    response = limited.get(f"/api/v1/programs/{program.slug}/participants/{participant.pk}/itinerary/")

    assert response.status_code == 404
    assert "Astana Hub" not in response.content.decode()


@pytest.mark.parametrize("suffix", ["itinerary/?format=AAA", "itinerary.ics?format=AAA", "itinerary.ics?format="])
def test_itinerary_with_an_unknown_format_answers_an_error_not_a_calendar(api, program, suffix):
    participant = ParticipantFactory(program=program)

    response = api.get(f"/api/v1/programs/{program.slug}/participants/{participant.pk}/{suffix}")

    assert response.status_code in {400, 404}
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"]
