"""The personal pages run a fixed number of SQL queries, whatever the size of the program."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from participants.models import Participant
from tests.factories import ParticipantFactory, ProjectGroupFactory
from visits.services import visit_cancel

from .conftest import schedule

pytestmark = pytest.mark.django_db

# participant by token, the group's visits with their hosts, the groups of those visits
PAGE_QUERIES = 3
# participant by token, the group's visits with their hosts
FEED_QUERIES = 2
# ... and the participant's ID details, read only when one of their hosts requires them (the demo's do)
DEMO_PAGE_QUERIES = PAGE_QUERIES + 1
# session, user, the user's participations, the visits, the groups of those visits
ME_QUERIES = 5


def populate(program, group, other_group, size: int) -> Participant:
    for _ in range(size):
        ParticipantFactory(program=program, group=group)
        ProjectGroupFactory(program=program)
    for day in range(min(size, 10)):
        for hour in (9, 11, 14, 16):
            groups = [group, other_group] if hour == 9 else [group]
            visit = schedule(program, groups, day, hour, hour + 1)
            if hour == 16 and day % 2:
                visit_cancel(visit=visit)
    return ParticipantFactory(program=program, group=group)


@pytest.mark.parametrize("size", [1, 3, 10])
def test_page_query_count_does_not_grow(client, django_assert_num_queries, program, group, other_group, size):
    participant = populate(program, group, other_group, size)

    with django_assert_num_queries(PAGE_QUERIES):
        response = client.get(f"/i/{participant.access_token}/")

    assert response.status_code == 200
    assert response.content.decode().count('class="visit') >= 4 * min(size, 10)


@pytest.mark.parametrize("size", [1, 3, 10])
def test_feed_query_count_does_not_grow(client, django_assert_num_queries, program, group, other_group, size):
    participant = populate(program, group, other_group, size)

    with django_assert_num_queries(FEED_QUERIES):
        response = client.get(f"/i/{participant.access_token}.ics")

    assert response.content.count(b"BEGIN:VEVENT") == 4 * min(size, 10)


@pytest.mark.parametrize("size", [1, 3])
def test_me_query_count_does_not_grow(client, django_assert_num_queries, program, group, other_group, size):
    user = get_user_model().objects.create_user("antonov", "a@delegation.example", "correct-horse-battery")
    participant = populate(program, group, other_group, size)
    participant.user = user
    participant.save()
    client.force_login(user)

    with django_assert_num_queries(ME_QUERIES):
        response = client.get("/me/")

    assert response.status_code == 200


@pytest.mark.parametrize("scale", [1, 2, 10])
def test_demo_program_pages_run_fixed_queries_at_every_scale(client, django_assert_num_queries, scale):
    call_command("load_demo", scale=scale, stdout=open("/dev/null", "w"))  # noqa: SIM115 - discarded output
    participant = Participant.objects.select_related("program").filter(group__isnull=False).order_by("-id").first()
    assert participant.program.start_date == date(2026, 12, 7)

    with django_assert_num_queries(DEMO_PAGE_QUERIES):
        page = client.get(f"/i/{participant.access_token}/")
    with django_assert_num_queries(FEED_QUERIES):
        feed = client.get(f"/i/{participant.access_token}.ics")

    assert page.status_code == 200
    assert feed.content.count(b"BEGIN:VEVENT") >= 10
