"""Summaries that apps above `participants` add to the participant resource.

`outcomes` knows each participant's attendance; it registers, from its `AppConfig.ready()`,
a function that gives the attendance summaries of a list of participants, so that the
participant API shows them without this app importing the one above it.
"""

from collections.abc import Callable, Iterable

from .models import Participant

AttendanceSummaries = Callable[[list[Participant]], dict[int, dict]]

_attendance: list[AttendanceSummaries] = []


def register_attendance_summaries(function: AttendanceSummaries) -> None:
    """Use `function(participants) -> {id: summary}` for the participant resource's `attendance`."""
    _attendance[:] = [function]


def attendance_summaries(*, participants: Iterable[Participant]) -> dict[int, dict]:
    """The attendance summary of each participant (by id); empty if no app provides them.
    Two queries, whatever the number of participants."""
    if not _attendance:
        return {}
    return _attendance[0](list(participants))
