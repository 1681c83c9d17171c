"""Domain errors of scheduling, translated once into 409s and form messages."""

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Clash:
    """One existing visit that a group is already booked into (times in the program's zone)."""

    visit_id: int
    visit_title: str
    group_id: int
    group_name: str
    starts_at: datetime
    ends_at: datetime

    def as_dict(self) -> dict:
        return {
            "visit": self.visit_id,
            "group": self.group_id,
            "starts_at": self.starts_at.isoformat(),
            "ends_at": self.ends_at.isoformat(),
        }


class ScheduleConflict(Exception):
    """A group would be in two overlapping visits. Carries every clash found."""

    def __init__(self, clashes: list[Clash]):
        self.clashes = clashes
        super().__init__(self.message)

    @property
    def message(self) -> str:
        parts = [
            f"group “{c.group_name}” is already booked into “{c.visit_title}” (visit {c.visit_id}, "
            f"{c.starts_at:%Y-%m-%d %H:%M}–{c.ends_at:%H:%M})"
            for c in self.clashes
        ]
        return "Schedule conflict: " + "; ".join(parts) + "."
