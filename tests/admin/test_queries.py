"""The organiser's admin changelists run a fixed number of queries whatever the data size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notices.services import schedule_send
from outcomes.models import Certificate
from outcomes.services import Mark, attendance_merge, certificate_archive_request
from planning.enums import ProposalStatus
from planning.models import Proposal
from planning.services import planning_settings_update, proposal_create, request_create, travel_time_set, window_create
from surveys.services import survey_send
from tests.factories import HostOrganisationFactory, ParticipantFactory, local
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
    "/admin/planning/planningsettings/",
    "/admin/planning/hostwindow/",
    "/admin/planning/visitrequest/",
    "/admin/planning/traveltime/",
    "/admin/planning/proposal/",
    "/admin/outcomes/attendance/",
    "/admin/outcomes/certificate/",
    "/admin/outcomes/certificatearchive/",
]


def add_rows(side, start, count):
    program = side.program
    planning_settings_update(program=program, max_visits_per_day=2 + start)
    for index in range(start, start + count):
        participant = ParticipantFactory(program=program, group=side.group, email=f"extra{index}@a.example")
        visit = visit_create(
            program=program,
            groups=[side.group],
            host=side.host,
            title=f"Extra visit {index}",
            starts_at=local(program, program.end_date, 8 + index),
            ends_at=local(program, program.end_date, 9 + index),
        )
        host = HostOrganisationFactory(name=f"Extra host {index}")
        window_create(
            program=program,
            host=host,
            starts_at=local(program, program.start_date, 9),
            ends_at=local(program, program.start_date, 12),
        )
        request_create(program=program, groups=[side.group], host=host, duration_minutes=60)
        travel_time_set(program=program, origin=side.host, destination=host, minutes=10 + index)
        solved = proposal_create(program=program, enqueue=False)
        Proposal.objects.filter(pk=solved.pk).update(status=ProposalStatus.DONE)  # as the planner leaves it
        attendance_merge(
            visit=visit, marks=[Mark(participant_id=participant.pk, present=True)], marked_by="coordinator"
        )
        # Issued as certificate_issue would, whatever the participant's attendance (only the list is measured).
        Certificate.objects.create(participant=participant)
        certificate_archive_request(program=program)
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
