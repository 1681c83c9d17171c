"""The scheduling service tells the apps above it what changed."""

from datetime import date

import pytest

from tests.factories import local
from visits.exceptions import ScheduleConflict
from visits.services import visit_cancel, visit_create, visit_update
from visits.signals import visit_changed

pytestmark = pytest.mark.django_db
DAY = date(2026, 12, 8)


@pytest.fixture
def events():
    seen = []

    def receiver(sender, visit, event, before, after, **kwargs):
        seen.append((event, before, after))

    visit_changed.connect(receiver)
    yield seen
    visit_changed.disconnect(receiver)


def test_visit_changed_sent_for_create_update_cancel(program, group, events):
    visit = visit_create(
        program=program, groups=[group], title="A", starts_at=local(program, DAY, 9), ends_at=local(program, DAY, 10)
    )
    visit_update(visit=visit, meeting_point="Hotel lobby")
    visit_update(visit=visit, meeting_point="Hotel lobby")  # no change, no signal
    visit_cancel(visit=visit)

    assert [event for event, _b, _a in events] == ["created", "updated", "cancelled"]
    assert events[0][1] is None
    assert events[0][2]["groups"] == [group.pk]
    assert (events[1][1]["meeting_point"], events[1][2]["meeting_point"]) == ("", "Hotel lobby")


def test_visit_changed_not_sent_when_the_write_fails(program, group, events):
    visit_create(
        program=program, groups=[group], title="A", starts_at=local(program, DAY, 9), ends_at=local(program, DAY, 10)
    )

    with pytest.raises(ScheduleConflict):
        visit_create(
            program=program,
            groups=[group],
            title="B",
            starts_at=local(program, DAY, 9),
            ends_at=local(program, DAY, 10),
        )

    assert [event for event, _b, _a in events] == ["created"]
