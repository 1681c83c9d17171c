"""Every list and itinerary endpoint runs a fixed number of SQL queries, whatever the data size."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from demo.data import load_demo
from tests.factories import HostContactFactory, ParticipantFactory, ProgramFactory, ProjectGroupFactory, local
from visits.services import visit_create

pytestmark = pytest.mark.django_db

# Every endpoint: the token lookup (which also tells whether the client is limited to listed programs;
# a limited client's programs are a join of the program lookup).
EXPECTED = {
    "programs": 4,  # token, count, programs, topics
    "groups": 4,  # token, program, count, groups with participant_count
    # token, program, count, participants with group; their attendance: visits of their groups, marks
    "participants": 6,
    "hosts": 4,  # token, count, hosts, contacts
    "visits": 2,  # token, program (and its version): the page is cached by the program's version
    # token, participant with its program (and its version); the visits are read on a cache miss only
    "itinerary": 2,
    "itinerary.ics": 2,
}


def urls(program, participant) -> dict[str, str]:
    base = f"/api/v1/programs/{program.slug}"
    return {
        "programs": "/api/v1/programs/",
        "groups": f"{base}/groups/",
        "participants": f"{base}/participants/",
        "hosts": "/api/v1/hosts/",
        "visits": f"{base}/visits/",
        "itinerary": f"{base}/participants/{participant.pk}/itinerary/",
        "itinerary.ics": f"{base}/participants/{participant.pk}/itinerary.ics",
    }


def build(size: int):
    """A program with `size` groups, hosts, participants per group and visits per group."""
    program = ProgramFactory()
    for index in range(size):
        ProgramFactory().topics.create(name=f"Topic {index}", slug=f"topic-{index}")
    groups = [ProjectGroupFactory(program=program) for _ in range(size)]
    for group in groups:
        ParticipantFactory.create_batch(size, program=program, group=group)
    hosts = [HostContactFactory().host for _ in range(size)]
    for day_offset in range(size):
        day = program.start_date + timedelta(days=day_offset)
        for index, group in enumerate(groups):
            visit_create(
                program=program,
                groups=[group] if index else groups,
                host=hosts[index],
                title=f"Visit {day_offset}-{index}",
                starts_at=local(program, day, 8 + 2 * index),
                ends_at=local(program, day, 9 + 2 * index),
            )
    participant = groups[0].participants.first()
    return program, participant


def count_queries(api, url: str) -> int:
    api.get(url)  # warm-up: records last_used_at once
    with CaptureQueriesContext(connection) as queries:
        response = api.get(url)
    assert response.status_code == 200, response.content[:300]
    return len(queries)


@pytest.mark.parametrize("size", [1, 5])
@pytest.mark.parametrize("endpoint", list(EXPECTED))
def test_endpoint_query_count_is_fixed(api, django_assert_num_queries, size, endpoint):
    program, participant = build(size)
    url = urls(program, participant)[endpoint]
    api.get(url)  # warm-up

    with django_assert_num_queries(EXPECTED[endpoint]):
        response = api.get(url)

    assert response.status_code == 200
    body = response.content if endpoint == "itinerary.ics" else response.json()
    if endpoint == "visits":
        assert body["count"] == size * size
    if endpoint == "itinerary":
        assert sum(len(day["items"]) for day in body["days"]) == size
    if endpoint == "itinerary.ics":
        assert body.count(b"BEGIN:VEVENT") == size


@pytest.mark.parametrize("size", [1, 5])
def test_visits_list_built_on_a_cache_miss_runs_a_fixed_number_of_queries(api, django_assert_num_queries, size):
    from django.core.cache import cache

    program, participant = build(size)
    url = urls(program, participant)["visits"]
    api.get(url)  # warm-up: records last_used_at once
    cache.clear()

    # token, program, count, visits with host, bookings, warnings
    with django_assert_num_queries(6):
        response = api.get(url)

    assert response.json()["count"] == size * size


def test_query_counts_are_the_same_on_the_demo_at_scale_1_and_10(api):
    """The demo program, and ten times the demo (80 groups, 960 participants, 1,140 visits)."""
    counts = {}
    for scale in (1, 10):
        program, _ = load_demo(scale=scale)
        participant = program.participants.order_by("pk").first()
        counts[scale] = {
            name: count_queries(api, url + ("?page_size=500" if name in ("participants", "visits") else ""))
            for name, url in urls(program, participant).items()
        }

    assert counts[1] == counts[10] == EXPECTED
