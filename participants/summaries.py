"""Summaries that apps above `participants` add to the participant resource.

`outcomes` knows each participant's attendance; it registers, from its `AppConfig.ready()`,
a function that gives the attendance summaries of a list of participants, so that the
participant API shows them without this app importing the one above it.
"""

from collections.abc import Callable, Iterable

AttendanceSummaries = Callable[[Iterable[int]], dict[int, dict]]

_attendance: list[AttendanceSummaries] = []


def register_attendance_summaries(function: AttendanceSummaries) -> None:
    """Use `function(participant_ids) -> {id: summary}` for the participant resource's `attendance`."""
    _attendance[:] = [function]


def attendance_summaries(*, participant_ids: Iterable[int]) -> dict[int, dict]:
    """The attendance summary of each participant (by id); empty if no app provides them."""
    if not _attendance:
        return {}
    return _attendance[0](list(participant_ids))
