"""Reads of the host contact's page and the organiser's confirmation pages (`visits.selectors`
holds the shaped queries; this module adds what only these pages need)."""

from datetime import datetime

from django.utils import timezone

from visits.enums import HostStatus
from visits.models import HostContact, SiteVisit
from visits.selectors import host_contact_visits


def host_page_visits(*, contact: HostContact, now: datetime | None = None) -> list[SiteVisit]:
    """The contact's visits (fixed queries, see `visits.selectors.host_contact_visits`), each
    with `can_answer` (not cancelled, not over)."""
    now = now or timezone.now()
    visits = host_contact_visits(contact=contact, now=now)
    for visit in visits:
        visit.can_answer = not visit.is_cancelled and visit.ends_at > now
        visit.is_answered = visit.host_status in (HostStatus.CONFIRMED, HostStatus.DECLINED, HostStatus.PROPOSED)
    return visits
