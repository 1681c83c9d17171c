"""Signals sent by the scheduling service after a visit is written.

They let the apps above `visits` (webhooks for partner apps, change notices
for participants) react inside the same transaction without `visits`
importing them. Receivers must not fail for reasons of their own: whatever
they raise rolls the visit's change back.
"""

from django.dispatch import Signal

# Sent with: visit (SiteVisit, as written), event ("created" | "updated" |
# "cancelled"), before (dict snapshot or None for a new visit), after (dict
# snapshot). A snapshot is `visits.services.visit_snapshot(...)`.
visit_changed = Signal()
