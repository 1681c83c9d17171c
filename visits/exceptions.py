"""Domain errors of scheduling, translated once into 409s and form messages."""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from internship_portal.errors import Conflict


@dataclass(frozen=True)
class Clash:
    """One existing visit that a group is already booked into (times in the program's zone)."""

    visit_id: int
    visit_title: str
    group_id: int
    group_name: str
    starts_at: datetime
    ends_at: datetime
    # When several visits move at once (visits.services.visits_shift): the moved visit that
    # would meet the existing one. Not part of the API's `conflicts`, which name what is there.
    moved_title: str = ""

    def as_dict(self) -> dict:
        return {
            "visit": self.visit_id,
            "group": self.group_id,
            "starts_at": self.starts_at.isoformat(),
            "ends_at": self.ends_at.isoformat(),
        }


class ScheduleConflict(Conflict):
    """A group would be in two overlapping visits. Carries every clash found."""

    def __init__(self, clashes: list[Clash]):
        self.clashes = clashes
        super().__init__(clashes)

    @property
    def message(self) -> str:
        """In the active language: read where it is shown (the API, a form, the admin)."""
        parts = []
        for c in self.clashes:
            values = {
                "group": c.group_name,
                "visit": c.visit_title,
                "id": c.visit_id,
                "start": f"{c.starts_at:%Y-%m-%d %H:%M}",
                "end": f"{c.ends_at:%H:%M}",
                "moved": c.moved_title,
            }
            if c.moved_title:
                parts.append(
                    _(
                        "“%(moved)s” would meet “%(visit)s” (visit %(id)s, %(start)s–%(end)s) "
                        "where group “%(group)s” is booked"
                    )
                    % values
                )
            else:
                parts.append(
                    _("group “%(group)s” is already booked into “%(visit)s” (visit %(id)s, %(start)s–%(end)s)") % values
                )
        return _("Schedule conflict: %(clashes)s.") % {"clashes": "; ".join(parts)}

    def __str__(self) -> str:
        return self.message

    def details(self) -> dict:
        return {"conflicts": [clash.as_dict() for clash in self.clashes]}


class UndoRefused(Conflict):
    """The board's last action cannot be undone (nothing to undo, or its visits changed since)."""
