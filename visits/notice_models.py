"""What participants and hosts were last told, so that the next message says only what changed.

Kept apart from `visits.models` (and imported at its end) because they belong
to the messages, not to the scheduling rules.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from participants.models import Participant
from programs.models import Program


class NotifiedItinerary(models.Model):
    """The itinerary a participant was last sent (schedule or change notice), as plain data.

    A change notice is the difference between this and the current itinerary;
    `revision` counts the messages and keys their idempotency."""

    participant = models.OneToOneField(Participant, on_delete=models.CASCADE, related_name="notified_itinerary")
    # {visit id: {title, starts_at, ends_at, location, meeting_point, status, host}}
    snapshot = models.JSONField(default=dict)
    revision = models.PositiveIntegerField(default=0)
    notified_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.participant} r{self.revision}"


class PendingChanges(models.Model):
    """A program with schedule edits not yet told to participants.

    `since` is the first such edit, `last_edit_at` the latest: beat releases
    the notices once `CHANGE_NOTICE_QUIET_MINUTES` have passed after it."""

    program = models.OneToOneField(Program, on_delete=models.CASCADE, related_name="pending_changes")
    since = models.DateTimeField()
    last_edit_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = _("pending changes")

    def __str__(self) -> str:
        return f"{self.program}: changes since {self.since:%Y-%m-%d %H:%M}"


class HostBriefing(models.Model):
    """The visitor list last sent to a visit's host, by digest: a changed list is sent again."""

    visit = models.OneToOneField("visits.SiteVisit", on_delete=models.CASCADE, related_name="host_briefing")
    digest = models.CharField(max_length=64)
    revision = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"briefing r{self.revision} for {self.visit_id}"
