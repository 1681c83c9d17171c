"""Writes of the audit trail's own records (the history tables write themselves)."""

from typing import Any

from .history import describe_actor
from .models import DataAccess

VISITOR_LIST = "visitor_list"


def data_access_record(
    *,
    what: str,
    object_id: int,
    program_id: int | None,
    request: Any = None,
    actor: str | None = None,
    object_label: str = "",
    channel: str = "",
) -> DataAccess:
    """Record one read of personal data: by `actor` or else whoever made `request` ("system" outside one)."""
    return DataAccess.objects.create(
        actor=(actor or describe_actor(request))[:200],
        what=what,
        object_id=object_id,
        program_id=program_id,
        object_label=object_label[:300],
        channel=channel,
    )
