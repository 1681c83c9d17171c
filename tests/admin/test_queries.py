"""The organiser's admin changelists run a fixed number of queries whatever the data size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notices.services import schedule_send
from surveys.services import survey_send
from tests.factories import ParticipantFactory, local
from visits.services import visit_create

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "/admin/programs/program/",
    "/admin/participants/participant/",
    "/admin/participants/projectgroup/",
    "/admin/visits/sitevisit/",
    "/admin/visits/hostorganisation/",
    "/admin/surveys/survey/",
    "/admin/surveys/invitation/",
    "/admin/notifications/notification/",
    "/admin/notifications/sendout/",
]


def add_rows(side, start, count):
    program = side.program
    for index in range(start, start + count):
        ParticipantFactory(program=program, group=side.group, email=f"extra{index}@a.example")
        visit_create(
            program=program,
            groups=[side.group],
            host=side.host,
            title=f"Extra visit {index}",
            starts_at=local(program, program.end_date, 8 + index),
            ends_at=local(program, program.end_date, 9 + index),
        )
    # More messages and invitations, too.
    schedule_send(program=program)
    survey_send(survey=side.survey)


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", CHANGELISTS)
def test_organiser_changelist_query_count_does_not_grow(side_a, organiser_client, url):
    add_rows(side_a, 0, 1)
    few = queries(organiser_client, url)

    add_rows(side_a, 1, 3)
    many = queries(organiser_client, url)

    assert many == few
