"""Rules that a write of a lower app must obey but an app above it owns.

`programs` knows nothing above it and `participants` does not import
`visits`; yet a program's dates must still hold its visits, and a
participant may not join a group whose visits are full. The app that owns
such a rule registers a check here when it starts (`AppConfig.ready`), and
the lower app's service runs the checks inside its transaction: a check
refuses with a ValidationError naming the field. A few events are follow-ups
rather than checks (`VISIT_HOST_ASKED_AGAIN`): the upper app's function does
what must follow the write, in the same transaction.
"""

from collections import defaultdict
from collections.abc import Callable
from typing import Any

# Sent with program= (the program with its new dates set, not yet saved).
PROGRAM_DATES = "program.dates"
# Sent with group= (the group being joined) and participant= (who joins; unsaved when new).
GROUP_JOIN = "group.join"
# Sent with group= (the group about to be deleted).
GROUP_DELETE = "group.delete"
# Sent with visit= (saved: a visit its host had confirmed was moved or re-staffed, and its
# `host_status` is back to requested); what follows (telling the host) belongs to the app above.
VISIT_HOST_ASKED_AGAIN = "visit.host_asked_again"

_checks: dict[str, dict[str, Callable[..., None]]] = defaultdict(dict)


def rule_register(*, event: str, name: str, check: Callable[..., None]) -> None:
    """Run `check(**kwargs)` whenever a service writes `event`; `name` keeps a second registration out."""
    _checks[event][name] = check


def rules_check(*, event: str, **kwargs: Any) -> None:
    """Run every check registered for `event`; the first refusal goes up."""
    for check in _checks[event].values():
        check(**kwargs)
