"""Webhook events for visits: visit.created, visit.updated, visit.cancelled.

Called by the scheduling service (visits.services) after each write. The payload
is the visit exactly as GET .../visits/{id}/ returns it. Runs inside the
scheduling service's transaction, so the deliveries are written with the change
or not at all; they are sent after commit.
"""

import json

from rest_framework.renderers import JSONRenderer

from partners.selectors import webhooks_subscribed
from partners.services import webhook_event_emit
from visits.models import SiteVisit
from visits.selectors import visits_of_program, visits_warnings

from .api.serializers import VisitOutputSerializer


def visit_payload(*, visit: SiteVisit) -> dict:
    fresh = visits_of_program(program=visit.program).get(pk=visit.pk)
    context = {"tzinfo": visit.program.tzinfo, "warnings": visits_warnings(visits=[fresh])}
    return json.loads(JSONRenderer().render(VisitOutputSerializer(fresh, context=context).data))


def visit_event_emit(*, visit: SiteVisit, event: str) -> None:
    """Queue the webhooks of `visit.<event>` ("created", "updated", "cancelled") for its subscribers."""
    name = f"visit.{event}"
    # Most writes have no subscriber: one cheap query, no payload built.
    if not webhooks_subscribed(program_id=visit.program_id, event=name):
        return
    webhook_event_emit(program_id=visit.program_id, event=name, payload=visit_payload(visit=visit))
