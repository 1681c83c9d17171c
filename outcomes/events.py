"""The webhook event of attendance: attendance.updated.

Called by `attendance_merge` inside its transaction when a mark changed something. The
payload is the visit's id and its whole attendance list, exactly as
GET .../visits/{id}/attendance/ answers it.
"""

from partners.selectors import webhooks_subscribed
from partners.services import webhook_event_emit
from visits.models import SiteVisit

from .enums import ATTENDANCE_UPDATED


def attendance_payload(*, visit: SiteVisit) -> dict:
    from .api.serializers import attendance_list_data

    return {"visit": visit.pk, "attendance": attendance_list_data(visit=visit)}


def attendance_event_emit(*, visit: SiteVisit) -> None:
    """Queue the webhooks of `attendance.updated` for the visit's program's subscribers."""
    if not webhooks_subscribed(program_id=visit.program_id, event=ATTENDANCE_UPDATED):
        return
    webhook_event_emit(program_id=visit.program_id, event=ATTENDANCE_UPDATED, payload=attendance_payload(visit=visit))
