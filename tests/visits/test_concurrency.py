"""Many writers racing to book one group: the database lets exactly one win."""

import threading
from datetime import date

import pytest
from django.db import connection

from tests.factories import HostOrganisationFactory, ProgramFactory, ProjectGroupFactory, local
from visits.exceptions import ScheduleConflict
from visits.models import SiteVisit, VisitGroup
from visits.services import visit_create

WRITERS = 12


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_overlapping_bookings_exactly_one_wins():
    program = ProgramFactory()
    group = ProjectGroupFactory(program=program)
    host = HostOrganisationFactory()
    day = date(2026, 12, 9)
    barrier = threading.Barrier(WRITERS)
    outcomes: list[str] = []
    unexpected: list[BaseException] = []
    lock = threading.Lock()

    def writer(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            # Every writer overlaps every other: 10:00 + i minutes, two hours long.
            visit_create(
                program=program,
                groups=[group],
                host=host,
                title=f"Racer {index}",
                starts_at=local(program, day, 10, index),
                ends_at=local(program, day, 12, index),
            )
            result = "won"
        except ScheduleConflict:
            result = "conflict"
        except BaseException as exc:  # noqa: BLE001 - any other error is the failure this test looks for
            with lock:
                unexpected.append(exc)
            return
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert unexpected == []
    assert sorted(outcomes) == ["conflict"] * (WRITERS - 1) + ["won"]
    assert SiteVisit.objects.filter(program=program).count() == 1
    assert VisitGroup.objects.filter(group=group).count() == 1
